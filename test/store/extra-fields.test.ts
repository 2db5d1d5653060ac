import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyFunction } from '../../src/core/functions/apply';
import { functionsDir, saveFunctionAt } from '../../src/core/functions/function-files';
import { sampleFunction } from '../functions/func-support';
import { removeTasks } from '../../src/core/store/task-removal';
import { makeAgent } from '../fixtures/objects';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/*
 * Upstream's fields this app keeps in a task's `extra` (JSON text), written and walked in SQL: the same
 * on both stores (PostgreSQL's words for them are in src/core/store/dialect.ts).
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  const line = (task: Record<string, unknown>) => JSON.stringify({ kind: 'task', title: task.id, ...task });

  it('a write stamps last_interaction_at on the task it changed, and on no other', async () => {
    env = await tempStore(new Date('2026-03-01T12:00:00Z'), kind);
    const { store } = env;
    await store.importJsonl([line({ id: 'a' }), line({ id: 'b', last_interaction_at: '2026-01-01T00:00:00+00:00' })].join('\n'));
    env.setNow(new Date('2026-03-02T08:00:00Z'));
    await store.tasks.log('a', 'a note', 'user');
    expect((await store.get('a')).extra.last_interaction_at).toBe('2026-03-02T08:00:00.000Z');
    expect((await store.get('b')).extra.last_interaction_at).toBe('2026-01-01T00:00:00+00:00');
  });

  it('wg retry ends the delay and drops the checkpoint, keeping the other fields', async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    await store.importJsonl(
      line({ id: 't', status: 'failed', retry_count: 1, ready_after: '2099-01-01T00:00:00Z', checkpoint: 'half-way', keep: { a: [1] } }),
    );
    await store.tasks.retry('t', 'user');
    const { extra } = await store.get('t');
    expect(extra.ready_after).toBeUndefined();
    expect(extra.checkpoint).toBeUndefined();
    expect(extra.keep).toEqual({ a: [1] });
  });

  it("wg func apply keeps a template's skills and verify in the tasks it makes (PostgreSQL refused SQLite's json_patch)", async () => {
    env = await tempStore(undefined, kind);
    const wgDir = join(env.dir, '.wg');
    mkdirSync(functionsDir(wgDir), { recursive: true });
    const func = sampleFunction();
    const [plan, ...rest] = func.tasks;
    saveFunctionAt(
      { ...func, tasks: [{ ...(plan as (typeof func.tasks)[0]), verify: 'npm test' }, ...rest] },
      join(functionsDir(wgDir), 'f.yaml'),
    );
    const request = { functionId: func.id, inputs: ['feature_name=zz'], dryRun: false, after: [], checkPath: () => undefined };
    await applyFunction(env.store.core, { dir: wgDir, root: env.dir }, request, 'user', () => undefined);
    expect((await env.store.get('zz-plan')).extra).toMatchObject({ skills: ['analysis'], verify: 'npm test' });
    expect((await env.store.get('zz-implement')).extra.skills).toEqual(['implementation']);
  });

  it('wg abandon --superseded-by keeps the replacing tasks as a JSON array', async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    await store.importJsonl([line({ id: 'old' }), line({ id: 'new-1' }), line({ id: 'new-2' })].join('\n'));
    await store.tasks.abandonWithCascade('old', 'replaced', 'user', ['new-1', 'new-2']);
    expect((await store.get('old')).extra.superseded_by).toEqual(['new-1', 'new-2']);
  });

  // upstream: src/commands/retry.rs test_wg_retry_clears_downstream_claims_on_dead_agents, through `before` alone
  it("wg retry releases a dead run's claim downstream along upstream's `before` edges, strings only", async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    await store.importJsonl(
      [
        line({ id: 'seed', status: 'failed', retry_count: 1, before: ['down', 42] }),
        line({ id: 'down', status: 'in-progress', assigned: 'agent-dead-1', started_at: '2026-01-01T00:00:00Z' }),
        line({ id: 'odd', status: 'failed', retry_count: 1, before: 'down' }),
        line({ id: '42', status: 'in-progress', assigned: 'agent-gone' }),
      ].join('\n'),
    );
    await store.core.write(() => store.agents.insert(makeAgent({ id: 'agent-dead-1', task_id: 'down', state: 'dead' }), null));
    // A `before` that is not an array makes no edge.
    await store.tasks.retry('odd', 'user');
    expect(await store.get('down')).toMatchObject({ status: 'in-progress', assigned: 'agent-dead-1' });
    await store.tasks.retry('seed', 'user');
    expect(await store.get('down')).toMatchObject({ status: 'open', assigned: null, started_at: null });
    expect((await store.get('down')).log.at(-1)?.message).toBe(
      'stale-claim cleared via retry of seed (was assigned to @agent-dead-1 — agent dead/missing)',
    );
    // A number in the array names no task.
    expect(await store.get('42')).toMatchObject({ status: 'in-progress', assigned: 'agent-gone' });
  });
});

describe.each(STORE_KINDS)('tasks taken out of the graph (wg gc, wg archive), on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  const line = (task: Record<string, unknown>) => JSON.stringify({ kind: 'task', title: task.id, ...task });

  it("go with what named them: dependencies, and the ids in upstream's before and requires", async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    await store.importJsonl(
      [
        line({ id: 'gone', status: 'done' }),
        line({ id: 'kept', status: 'done' }),
        line({ id: 'after-it', after: ['gone', 'kept'] }),
        line({ id: 'names-it', before: ['gone', 'kept'], requires: ['gone'] }),
        line({ id: 'odd', before: 'gone' }),
      ].join('\n'),
    );
    const removed = await store.core.write((rev) => removeTasks(store.core, ['gone', 'nowhere'], rev));
    expect(removed).toEqual(['gone']);
    expect((await store.list()).map((t) => t.id).sort()).toEqual(['after-it', 'kept', 'names-it', 'odd']);
    expect((await store.get('after-it')).after).toEqual(['kept']);
    expect((await store.get('names-it')).extra).toMatchObject({ before: ['kept'] });
    expect((await store.get('names-it')).extra.requires).toBeUndefined();
    expect((await store.get('odd')).extra.before).toBe('gone');
  });
});
