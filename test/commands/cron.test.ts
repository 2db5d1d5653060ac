import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadyItem, Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Cron tasks against upstream's own cases (graphwork/workgraph tests/integration_cron_dispatch.rs and
 * src/cron.rs `mod tests`), each named in its `it`; list_cron_filter_shows_only_cron_tasks,
 * edit_cron_clear_schedule and edit_cron_invalid_expression_fails are in test/cli/upstream-commands.test.ts.
 * Upstream keeps a cron task's next run in `next_cron_fire`; this app keeps it as the task's not_before,
 * read from and written back to that field.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-cron-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

type TaskJson = Task & Record<string, unknown>;
const show = (id: string) => p.json<TaskJson>(['show', id]);
const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
const readyIds = async () => (await p.json<ReadyItem[]>(['ready'])).filter((t) => t.ready).map((t) => t.id);
const cronTask = (id: string, nextFire: string, fields: Record<string, unknown> = {}) => ({
  id,
  cron_enabled: true,
  cron_schedule: '0 0 2 * * *',
  next_cron_fire: nextFire,
  ...fields,
});

describe('cron tasks (upstream integration_cron_dispatch.rs, cron.rs)', () => {
  it('cron_task_ready_when_due / cron_task_appears_in_ready_when_due', async () => {
    await p.importTasks([cronTask('cr1', hoursFromNow(-1))]);
    expect(await readyIds()).toEqual(['cr1']);
  });

  it('cron_task_not_ready_before_fire_time / cron_task_not_in_ready_when_not_due / is_time_ready_gates_cron_tasks', async () => {
    await p.importTasks([cronTask('cf1', hoursFromNow(12)), { id: 'no-cron', title: 'Normal task' }]);
    expect(await readyIds()).toEqual(['no-cron']);
  });

  it('a cron task upstream also holds back by a not_before waits for both (is_time_ready and is_cron_due), its next fire kept', async () => {
    await p.importTasks([
      cronTask('held', hoursFromNow(-1), { not_before: hoursFromNow(6) }),
      cronTask('due', hoursFromNow(6), { not_before: hoursFromNow(-2) }),
    ]);
    expect(await readyIds()).toEqual([]);
    // Written back as upstream reads it: the next fire is the later of the two.
    const exported = (await p.ok(['export', '--upstream'])).split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const due = exported.find((l) => l.id === 'due');
    expect(Date.parse(due?.next_cron_fire as string)).toBeGreaterThan(Date.now());
  });

  it("wg show gives a fired cron task's next run once, not the imported next_cron_fire gone stale", async () => {
    await p.importTasks([cronTask('nightly', hoursFromNow(-30), { last_cron_fire: hoursFromNow(-54) })]);
    await p.ok(['claim', 'nightly', '--agent', 'agent-1', '--force']);
    await p.ok(['done', 'nightly']);
    const page = await p.ok(['show', 'nightly']);
    const next = (await show('nightly')).next_cron_fire as string;
    expect(Date.parse(next)).toBeGreaterThan(Date.now());
    expect(page).toContain(next);
    expect(page).not.toMatch(/next_cron_fire/);
  });

  it('cron_task_with_dependency_not_ready_until_dep_done', async () => {
    await p.importTasks([{ id: 'dep', title: 'Dependency' }, cronTask('cron-dep', hoursFromNow(-1), { after: ['dep'] })]);
    expect(await readyIds()).toEqual(['dep']);
  });

  it('cron_task_resets_after_done / test_cron_task_resets_to_open_after_completion: open, unassigned, completed_at cleared, last_cron_fire set', async () => {
    await p.ok(['add', 'Cron reset test', '--id', 'cron-reset', '--cron', '0 0 2 * * *']);
    await p.ok(['claim', 'cron-reset', '--agent', 'agent-1', '--force']);
    const before = Date.now();
    await p.ok(['done', 'cron-reset']);
    const task = await show('cron-reset');
    expect(task).toMatchObject({ status: 'open', assigned: null, completed_at: null, cron_enabled: true });
    expect(Date.parse(task.last_cron_fire as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(task.next_cron_fire as string)).toBeGreaterThan(Date.now() - 15 * 60_000);
    // graph.jsonl as upstream reads it carries the same (wg export --upstream).
    const line = JSON.parse((await p.ok(['export', '--upstream'])).split('\n').find((l) => l.includes('"cron-reset"')) as string) as Record<
      string,
      unknown
    >;
    expect(line).toMatchObject({ status: 'open', cron_enabled: true, last_cron_fire: task.last_cron_fire });
    expect(line.completed_at).toBeUndefined();
  });

  it('test_cron_reset_does_not_apply_to_non_cron_task / test_cron_reset_does_not_apply_to_non_done_task', async () => {
    await p.ok(['add', 'Plain', '--id', 'plain']);
    await p.ok(['done', 'plain']);
    expect((await show('plain')).status).toBe('done');
    await p.ok(['add', 'Cron', '--id', 'cron-busy', '--cron', '0 0 2 * * *']);
    await p.ok(['claim', 'cron-busy', '--agent', 'agent-1', '--force']);
    const busy = await show('cron-busy');
    expect(busy.status).toBe('in-progress');
    expect(busy.last_cron_fire).toBeUndefined();
  });

  it("list_cron_filter_json: upstream's cron fields on each cron task, none on the others", async () => {
    await p.ok(['add', 'Cron JSON', '--id', 'cj1', '--cron', '0 */5 * * * *']);
    await p.ok(['add', 'Normal JSON', '--id', 'nj1']);
    const cron = await p.json<TaskJson[]>(['list', '--cron']);
    expect(cron).toHaveLength(1);
    expect(cron[0]).toMatchObject({ id: 'cj1', cron_enabled: true, cron_schedule: '0 */5 * * * *' });
    expect(cron[0]?.next_cron_fire).toBe(cron[0]?.not_before);
    const normal = (await p.json<TaskJson[]>(['list'])).find((t) => t.id === 'nj1');
    expect(normal?.cron_enabled).toBeUndefined();
  });

  it('edit_cron_set_schedule: cron_enabled, cron_schedule and next_cron_fire', async () => {
    await p.ok(['add', 'Edit cron test', '--id', 'e1']);
    expect((await show('e1')).cron_enabled).toBeUndefined();
    await p.ok(['edit', 'e1', '--cron', '0 0 9 * * *']);
    expect(await show('e1')).toMatchObject({ cron_enabled: true, cron_schedule: '0 0 9 * * *' });
    expect(typeof (await show('e1')).next_cron_fire).toBe('string');
    await p.ok(['edit', 'e1', '--cron', '']);
    const cleared = await show('e1');
    expect([cleared.cron_enabled, cleared.cron_schedule, cleared.next_cron_fire]).toEqual([undefined, undefined, undefined]);
  });

  it('list_shows_cron_indicator: [cron: …] after the title', async () => {
    await p.ok(['add', 'Cron display', '--id', 'cd1', '--cron', '0 0 2 * * *']);
    expect(await p.ok(['list'])).toMatch(/Cron display \[delayed \d+[smhd]( \d+[smh])?\] \[cron: 0 0 2 \* \* \*\]/);
  });
});
