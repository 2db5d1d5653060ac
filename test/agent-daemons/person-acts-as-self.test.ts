import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src/core/store/token-store';
import type { OpContext } from '../../src/core/ops/context';
import { dispatch } from '../../src/core/ops/dispatch';
import type { ProjectPaths } from '../../src/core/project';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', async (kind) => {
  /**
   * SECURITY.md: a person's token acts "with the token's name as the actor in the task's log (and as a message's
   * sender and reader)". So alice over WG_SERVER may not write log lines as `coordinator`, claim a task for bob, send
   * a message from an agent or mark bob's messages read (--actor, --from, --agent). Admins included: an admin may
   * manage tokens, not speak for others.
   */
  let temp = await tempStore(undefined, kind);
  afterEach(async () => {
    await temp.dispose();
    temp = await tempStore(undefined, kind);
  });

  const as = (name: string, admin = false): OpContext => ({
    store: temp.store,
    paths: { dir: temp.dir, root: temp.dir, serviceDir: join(temp.dir, 'service') } as ProjectPaths,
    actor: name,
    person: { name, admin },
  });
  const add = (id: string) => dispatch('task:add', { title: id, id }, as('alice'));

  it('naming someone else as who acts is refused in one line, and changes nothing', async () => {
    await add('spoof');
    const before = JSON.stringify(await dispatch('task:show', { id: 'spoof' }, as('alice')));
    const attempts: Array<[Parameters<typeof dispatch>[0], Record<string, unknown>, string]> = [
      ['task:claim', { id: 'spoof', actor: 'bob' }, "alice's token acts as alice: it cannot give --actor bob"],
      ['task:claim', { id: 'spoof', agent: 'agent-7' }, "alice's token acts as alice: it cannot give --agent agent-7"],
      ['task:log', { id: 'spoof', message: 'Task done: agent agent-1 exited 0', actor: 'coordinator' }, '--actor coordinator'],
      ['task:done', { id: 'spoof', agent: 'agent-1' }, '--agent agent-1'],
      ['msg:send', { task: 'spoof', message: 'from bob really', from: 'bob' }, '--from bob'],
      ['msg:read', { task: 'spoof', agent: 'bob' }, '--agent bob'],
    ];
    for (const [name, input, said] of attempts) {
      for (const caller of [as('alice'), as('alice', true)]) {
        await expect(dispatch(name, input, caller), `${name} ${JSON.stringify(input)}`).rejects.toMatchObject({
          code: 'forbidden',
          message: expect.stringContaining(said),
        });
      }
    }
    expect(JSON.stringify(await dispatch('task:show', { id: 'spoof' }, as('alice')))).toBe(before);
    expect(await dispatch('msg:list', { task: 'spoof' }, as('alice'))).toEqual([]);
  });

  it('naming oneself, or no one, acts as the person', async () => {
    await add('mine');
    await dispatch('task:claim', { id: 'mine', actor: 'alice' }, as('alice'));
    await dispatch('task:log', { id: 'mine', message: 'on it', actor: 'alice' }, as('alice'));
    await dispatch('msg:send', { task: 'mine', message: 'hello' }, as('alice'));
    const task = await dispatch('task:show', { id: 'mine' }, as('alice'));
    expect(task.assigned).toBe('alice');
    expect(task.log.at(-1)).toMatchObject({ actor: 'alice', message: 'on it' });
    expect((await dispatch('msg:list', { task: 'mine' }, as('alice')))[0]).toMatchObject({ sender: 'alice' });
  });

  it("a person's token cannot take a name the app acts under", async () => {
    const tokens = new TokenStore(temp.store.core);
    return Promise.all(
      (
        await Promise.all(
          ['coordinator', 'Coordinator-2', 'agent-12', 'user', 'api', 'app', 'scheduler'].map(async (name) =>
            Promise.all(
              [{ person: true }, { admin: true }].map((kind) =>
                expect(dispatch('token:create', { name, ...kind }, { ...as('root', true), person: undefined })).rejects.toMatchObject({
                  code: 'invalid',
                  message: expect.stringContaining(`a person's token cannot be named '${name}'`),
                }),
              ),
            ),
          ),
        )
      ).flat(),
    ).then(async () => {
      expect(await tokens.list()).toEqual([]);
      // An agent daemon's token may still be named after its machine, agent-box or not.
      expect((await tokens.create({ name: 'agent-box' })).kind).toBe('agent');
    });
  });
});
