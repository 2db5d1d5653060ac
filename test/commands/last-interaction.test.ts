import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `last_interaction_at` against upstream's own cases (graphwork/workgraph tests/integration_last_interaction_at.rs),
 * each named in its `it`: every change people see stamps its task (upstream's modify_graph), reads and
 * refused commands do not, and a task from before the field reads as last touched when it was created.
 * Kept in graph.jsonl's field, so upstream's TUI orders by the same times.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-interaction-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

type TaskJson = Task & { last_interaction_at?: string };
const stampOf = async (id: string) => (await p.json<TaskJson>(['show', id])).last_interaction_at;
const OLD = '2026-04-30T00:00:00+00:00';

describe('last_interaction_at (upstream integration_last_interaction_at.rs)', () => {
  it('migration_defaults_last_interaction_at_to_created_at / interaction_sort_key_falls_back_to_created_at', async () => {
    await p.importTasks([{ id: 'old', title: 'Old', created_at: OLD }]);
    expect(await stampOf('old')).toBe(OLD);
    expect(await p.ok(['show', 'old'])).toContain('Last interaction: 2026-04-30T00:00:00+00:00');
    // Read, not invented: the stored task (and graph.jsonl) still has none.
    expect(await p.ok(['export', '--upstream'])).not.toContain('last_interaction_at');
  });

  it('migration_leaves_last_interaction_at_alone_when_present / modify_graph_does_not_bump_when_only_interaction_field_changed', async () => {
    await p.importTasks([{ id: 'new', created_at: OLD, last_interaction_at: '2099-01-01T00:00:00+00:00' }]);
    expect(await stampOf('new')).toBe('2099-01-01T00:00:00+00:00');
  });

  it('modify_graph_bumps_on_substantive_change / modify_graph_bumps_only_changed_tasks', async () => {
    await p.importTasks([
      { id: 'a', title: 'Task A', created_at: OLD, last_interaction_at: OLD },
      { id: 'b', title: 'Task B', created_at: OLD, last_interaction_at: OLD },
    ]);
    const before = Date.now();
    await p.ok(['claim', 'a', '--agent', 'agent-1']);
    expect(Date.parse((await stampOf('a')) as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(await stampOf('b')).toBe(OLD);
    // Each verb a person or an agent uses counts: a log line, an edit, a dependency, a finish.
    for (const args of [
      ['log', 'b', 'a note'],
      ['edit', 'b', '--title', 'Renamed'],
      ['add-dep', 'b', 'a'],
      ['done', 'a'],
    ]) {
      const id = args[1] as string;
      await p.importTasks([{ id, last_interaction_at: OLD }]);
      await p.ok(args);
      expect(await stampOf(id), args.join(' ')).not.toBe(OLD);
    }
  });

  it('modify_graph_does_not_bump_when_closure_skips_save: a refused command or a read leaves it', async () => {
    await p.importTasks([{ id: 't1', created_at: OLD, last_interaction_at: OLD }]);
    expect((await p.wg(['retry', 't1'])).exitCode).not.toBe(0);
    await p.ok(['show', 't1']);
    await p.ok(['list']);
    expect(await stampOf('t1')).toBe(OLD);
  });

  it('modify_graph_bumps_brand_new_task', async () => {
    await p.ok(['add', 'Fresh', '--id', 'fresh']);
    const task = await p.json<Task>(['show', 'fresh']);
    const line = (await p.ok(['export', '--upstream'])).split('\n').find((l) => l.includes('"fresh"')) as string;
    const stamp = (JSON.parse(line) as { last_interaction_at?: string }).last_interaction_at as string;
    expect(Date.parse(stamp)).toBeGreaterThanOrEqual(Date.parse(task.created_at));
    expect(Date.parse(stamp) - Date.parse(task.created_at)).toBeLessThan(5000);
  });

  it('a dependency finishing does not stamp its dependents: their readiness is no change of theirs', async () => {
    await p.importTasks([
      { id: 'dep', status: 'in-progress', last_interaction_at: OLD },
      { id: 'waiting', after: ['dep'], last_interaction_at: OLD },
    ]);
    await p.ok(['done', 'dep']);
    expect(await stampOf('waiting')).toBe(OLD);
  });

  it('task_message_send_bumps_last_interaction_at', async () => {
    await p.importTasks([{ id: 'task-a', title: 'Task A', last_interaction_at: OLD }]);
    await p.ok(['msg', 'send', 'task-a', 'hello']);
    expect(await stampOf('task-a')).not.toBe(OLD);
  });
});
