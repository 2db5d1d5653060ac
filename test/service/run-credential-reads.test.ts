import { sqlText } from '../helpers/sql-text';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import { newRun } from '../../src/core/store/agent-records';
import type { OpInput, OpName } from '../../src/shared/ops/registry';
import { opContextOn, tempStore } from '../helpers/temp-store';

/*
 * What a run's credential sent away (an HTTP agent service's, an agent daemon job's) may read (least authority,
 * run-authority.ts): the project's work, and of what runs leave behind (output, messages, traces) only its own
 * task's; nothing of the coordinator's set-up. The same run reading from the CLI in its own folder, without a
 * credential, reads what its user can read anyway.
 */

let env: Awaited<ReturnType<typeof tempStore>>;
let ctx: OpContext;

/** A task held by a run sent away, as the coordinator's claim leaves it. */
async function held(taskId: string, agentId: string): Promise<{ id: string; runId: string }> {
  const { store } = env;
  await store.tasks.add({ title: taskId, id: taskId }, 'test');
  const runId = `run-of-${agentId}`;
  await store.core.write(async (rev) => {
    const spec = {
      task_id: taskId,
      executor: 'http',
      model: null,
      model_source: null,
      runs_elsewhere: true,
      output_path: null,
      purpose: 'task' as const,
    };
    const launch = { kind: 'http', output: 'plain', resumed_session: null, timeout_s: null, needs_evidence: false };
    await store.agents.insert(newRun(agentId, spec, store.core.nowIso(), rev), JSON.stringify(launch), runId);
  });
  await store.tasks.claim(taskId, agentId, 'coordinator');
  return { id: agentId, runId };
}

const asRun = <N extends OpName>(run: { id: string; runId: string }, name: N, input: OpInput<N>, credential = true) =>
  dispatch(name, input, { ...ctx, actor: run.id, agent: { ...run, credential } });

beforeEach(async () => {
  env = await tempStore();
  ctx = opContextOn(env);
});
afterEach(() => env.dispose());

describe("a run's credential sent away", () => {
  it("reads the project's work: any task, the graph, its context", async () => {
    const mine = await held('mine', 'agent-1');
    await env.store.tasks.add({ title: 'Other work', id: 'other' }, 'test');
    await expect(asRun(mine, 'task:show', { id: 'other' })).resolves.toMatchObject({ id: 'other' });
    await expect(asRun(mine, 'task:list', {})).resolves.toHaveLength(2);
    await expect(asRun(mine, 'graph:export', {})).resolves.toContain('Other work');
    await expect(asRun(mine, 'task:context', { task: 'mine' })).resolves.toBeDefined();
  });

  it("reads its own task's messages, output and trace; not another task's", async () => {
    const mine = await held('mine', 'agent-1');
    const theirs = await held('theirs', 'agent-2');
    await dispatch('msg:send', { task: 'theirs', message: 'the key is 1234' }, ctx);
    await dispatch('msg:send', { task: 'mine', message: 'hello' }, ctx);

    await expect(asRun(mine, 'msg:list', { task: 'mine' })).resolves.toHaveLength(1);
    await expect(asRun(mine, 'run:events', { agent: 'agent-1' })).resolves.toBeDefined();
    await expect(asRun(mine, 'trace:show', { task: 'mine' })).resolves.toBeDefined();

    const own = "an agent's run reads the output, messages and trace of its own task 'mine' only";
    for (const [name, input] of [
      ['msg:list', { task: 'theirs' }],
      ['msg:poll', { task: 'theirs', agent: 'agent-1' }],
      // Every running task's open question.
      ['msg:questions', {}],
      ['run:events', { agent: 'agent-2' }],
      ['trace:show', { task: 'theirs' }],
      // The tree after its task holds other tasks' runs.
      ['trace:show', { task: 'mine', recursive: true }],
    ] as const) {
      await expect(asRun(mine, name, input as OpInput<typeof name>)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(asRun(mine, name, input as OpInput<typeof name>)).rejects.toThrow(own);
    }
    // The other run reads its own.
    await expect(asRun(theirs, 'msg:list', { task: 'theirs' })).resolves.toHaveLength(1);
  });

  it("reads nothing of the coordinator's set-up", async () => {
    const mine = await held('mine', 'agent-1');
    for (const name of [
      // The window's agency page, with the agency's settings.
      'agency:overview',
      'token:list',
      'config:list',
      'executor:list',
      'executor:discover',
      'model:list',
      'agent:list',
      'usage:spend',
      'usage:stats',
      'worktree:list',
      'trace:export',
    ] as const) {
      await expect(asRun(mine, name, {} as OpInput<typeof name>)).rejects.toThrow(
        /^an agent's run reads the project's work, not the coordinator's set-up/,
      );
    }
    await expect(asRun(mine, 'worktree:show', { id: 'mine' })).rejects.toMatchObject({ code: 'forbidden' });
    // `wg status`, which the agent guide names, reads: its counts of the work, without the set-up it also shows.
    await held('theirs', 'agent-2');
    const status = await asRun(mine, 'graph:status', {});
    expect(status.tasks.in_progress).toBe(2);
    expect(status.agents.active).toEqual([]);
    expect(status.coordinator).toEqual({ max_agents: 0, executor: '', model: null, poll_interval: 0 });
    expect(status.service).toMatchObject({ pid: null, socket: null });
    // Without a credential (the CLI in its own folder), the whole of it.
    expect((await asRun(mine, 'graph:status', {}, false)).agents.active).toHaveLength(2);
  });

  it('from the CLI in its own folder (no credential) reads as its user does', async () => {
    const mine = await held('mine', 'agent-1');
    await held('theirs', 'agent-2');
    await expect(asRun(mine, 'msg:list', { task: 'theirs' }, false)).resolves.toEqual([]);
    await expect(asRun(mine, 'agent:list', {}, false)).resolves.toHaveLength(2);
  });
});

describe("a run's log entries", () => {
  it('are under its own name: --actor naming another is refused, from its folder and with its credential', async () => {
    const mine = await held('mine', 'agent-1');
    for (const credential of [false, true]) {
      await expect(asRun(mine, 'task:log', { id: 'mine', message: 'x', actor: 'bob' }, credential)).rejects.toThrow(
        "--actor is for people: a run's log entries are its own (agent-1)",
      );
    }
    await asRun(mine, 'task:log', { id: 'mine', message: 'progress', actor: 'agent-1' });
    expect((await env.store.get('mine')).log.at(-1)).toMatchObject({ actor: 'agent-1', message: 'progress' });
    expect((await env.store.get('mine')).log.some((entry) => entry.message === 'x')).toBe(false);
  });
});

describe('a follow-up added by a run elsewhere', () => {
  it('stays in its own task’s executor, repository and role: naming another is refused; left out, they are its own', async () => {
    const run = await held('docs', 'agent-5');
    await env.store.core.write(async () => {
      await sqlText(env.store.core, "UPDATE tasks SET repo = 'app', role = 'writer' WHERE id = 'docs'").run();
      // A job on an agent daemon.
      await sqlText(env.store.core, "UPDATE agents SET executor = 'remote' WHERE id = 'agent-5'").run();
    });
    for (const [input, said] of [
      [
        { repo: 'acme/secrets' },
        "a follow-up added by a run elsewhere stays in its own task's repo (app): leave out --repo, or give 'app'",
      ],
      [{ role: 'ops' }, "a follow-up added by a run elsewhere stays in its own task's role (writer): leave out --role, or give 'writer'"],
    ] as const) {
      await expect(asRun(run, 'task:add', { title: 'Rotate keys', ...input })).rejects.toThrow(said);
    }
    const added = await asRun(run, 'task:add', { title: 'More docs' });
    expect(added).toMatchObject({ executor: 'remote', repo: 'app', role: 'writer', after: ['docs'] });
  });
});

describe('a wait of a run elsewhere', () => {
  it("watches no file of the coordinator's machine (file:), which would tell it when one changes; other conditions it may", async () => {
    const mine = await held('mine', 'agent-1');
    for (const until of ['file:/etc/shadow', 'timer:1h|file:/root/.ssh/id_rsa', ' message , file:notes.txt']) {
      await expect(asRun(mine, 'task:wait', { id: 'mine', until })).rejects.toThrow(
        "a run away from the coordinator's machine cannot wait for a file there (file:); wait for a task, a message or a timer",
      );
    }
    expect((await env.store.get('mine')).status).toBe('in-progress');
    await expect(asRun(mine, 'task:wait', { id: 'mine', until: 'timer:1h' })).resolves.toMatchObject({ status: 'waiting' });
  });
});
