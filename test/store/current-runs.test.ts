import { sqlText } from '../helpers/sql-text';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTasks } from '../../src/core/store/task-removal';
import type { Agent } from '../../src/shared/agent';
import { makeAgent } from '../fixtures/objects';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/**
 * A window's first snapshot carries the runs it shows, not the project's whole run history: that grows with the
 * project's age (36,000 runs made it 17 MB), while the graph shows a task's current run of each kind. Every run that
 * changes after it still comes (changedSince); `wg agents` and the Agents page list them all.
 */
describe.each(STORE_KINDS)('the runs of a first snapshot, on %s', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>> | null = null;
  afterEach(async () => {
    await t?.dispose();
    t = null;
  });

  it('are every run at work, each task’s newest run of each purpose and its assigned run; older ones only as they change', async () => {
    t = await tempStore(new Date('2026-03-01T12:00:00Z'), kind);
    const { store } = t;
    for (const id of ['built', 'running', 'gone']) await store.tasks.add({ title: id, id }, 'test');
    const run = (id: string, task: string, fields: Partial<Agent>) =>
      store.core.write(() => store.agents.insert(makeAgent({ id, task_id: task, state: 'done', ...fields }), null));
    // Two tries at `built`, then its evaluation; it names the first try as its run (a person's claim on record).
    await run('agent-1', 'built', { state: 'failed', started_at: '2026-03-01T09:00:00.000Z' });
    await run('agent-2', 'built', { started_at: '2026-03-01T10:00:00.000Z' });
    await run('agent-3', 'built', { purpose: 'evaluate', started_at: '2026-03-01T10:30:00.000Z' });
    await run('agent-4', 'built', { state: 'failed', started_at: '2026-03-01T08:00:00.000Z' });
    await store.core.write(() => sqlText(store.core, "UPDATE tasks SET assigned = 'agent-4' WHERE id = 'built'").run());
    await run('agent-5', 'running', { state: 'working', started_at: '2026-03-01T11:00:00.000Z' });
    await run('agent-6', 'running', { state: 'killed', started_at: '2026-03-01T10:00:00.000Z' });
    // A task removed from the graph: its ended run is not shown any more, one still at work is.
    await run('agent-7', 'gone', { started_at: '2026-03-01T10:00:00.000Z' });
    await run('agent-8', 'gone', { state: 'working', started_at: '2026-03-01T11:00:00.000Z' });
    await store.core.write((rev) => removeTasks(store.core, ['gone'], rev));

    const first = await store.snapshot(0);
    expect(first.agents.map((a) => a.id)).toEqual(['agent-2', 'agent-3', 'agent-4', 'agent-5', 'agent-8']);
    // An older run that changes comes with the change.
    await store.core.write((rev) => store.agents.update('agent-1', { reason: 'looked at again' }, rev));
    expect((await store.snapshot(first.rev)).agents.map((a) => a.id)).toEqual(['agent-1']);
    // The whole history is still listed where it is asked for.
    expect(await store.agents.list()).toHaveLength(8);
  });

  it('newest(n): the n runs of the highest numbers, in the order `list` gives (agent-10 after agent-9)', async () => {
    t = await tempStore(new Date('2026-03-01T12:00:00Z'), kind);
    const { store } = t;
    await store.tasks.add({ title: 'one', id: 'one' }, 'test');
    for (const n of [1, 2, 9, 10, 11])
      await store.core.write(() => store.agents.insert(makeAgent({ id: `agent-${n}`, task_id: 'one', state: 'done' }), null));
    expect((await store.agents.newest(3)).map((a) => a.id)).toEqual(['agent-9', 'agent-10', 'agent-11']);
    expect((await store.agents.newest(10)).map((a) => a.id)).toEqual((await store.agents.list()).map((a) => a.id));
  });
});
