import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Upstream's record of every change (graphwork/workgraph tests/integration_logging.rs). Upstream appends each
 * change to an operations log (`operations.jsonl`, rotated into zstd files, read by `wg log --operations`); this app
 * has none (docs/upstream.md, "Not here"): each change is an entry in the task's own log (`wg show --json`'s `log`,
 * `wg log ID`), and a batch that removes tasks (`wg archive`, `wg gc`) names them in its `--json`. So each
 * "X produces an operation log entry" case is ported as "X writes an entry in the task's log", saying what
 * upstream's entry's detail says (the reason, the attempt, the actor); the lines are this app's words
 * (docs/upstream.md).
 *
 * Not ported:
 * - `wg edit`, which writes no line in the task's log here nor upstream (only upstream's operations log has it):
 *   edit_produces_operation_log_entry (an edit that changes nothing is ported below);
 * - the operations log file itself, its rotation and compression, its readers and writers, and upstream's
 *   `wg log --operations` (not here): rotation_triggers_under_high_volume, rotated_zstd_files_can_be_read_back,
 *   concurrent_writes_to_operation_log, operation_log_survives_many_small_writes, empty_operation_log_is_readable,
 *   wg_log_operations_shows_entries, wg_log_operations_json;
 * - the test file's own coherency checker run on hand-made graphs and logs (no `wg` in them):
 *   coherency_detects_missing_add_entry, coherency_detects_done_without_done_entry;
 * - upstream's copy of an agent's prompt and output into `log/agents/<task>/<attempt>/` at done and fail (a run's
 *   files stay in its own run folder here, `runs/<agent>/`, read by `wg output`): agent_archive_on_done_preserves_files,
 *   agent_archive_on_fail_preserves_files.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-logging-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

type Entry = Task['log'][number];
const log = async (id: string): Promise<Entry[]> => (await p.json<Task>(['show', id])).log;
const last = async (id: string): Promise<Entry> => (await log(id)).at(-1) as Entry;

describe('every change to a task writes an entry in its log (upstream: an operation log entry)', () => {
  it('add_produces_operation_log_entry', async () => {
    await p.ok(['add', 'My test task', '--id', 'test-task']);
    expect((await log('test-task')).map((e) => e.message)).toEqual(['Task created']);
  });

  it('edit_no_change_does_not_produce_log_entry', async () => {
    await p.ok(['add', 'No change task', '--id', 'nc-task']);
    const before = await log('nc-task');
    const edit = await p.wg(['edit', 'nc-task']);
    expect(edit.exitCode).toBe(0);
    // Upstream prints it on stdout, and only it (not "updated successfully" as well).
    expect([edit.stdout.trim(), edit.stderr]).toEqual(["No changes made to task 'nc-task'", '']);
    expect(await log('nc-task')).toEqual(before);
  });

  it('done_produces_operation_log_entry', async () => {
    await p.importTasks([{ id: 't1', title: 'Task 1' }]);
    const before = (await log('t1')).length;
    await p.ok(['done', 't1']);
    const entries = await log('t1');
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)?.message).toBe('Task marked done');
  });

  it('fail_produces_operation_log_entry (with the reason)', async () => {
    await p.importTasks([{ id: 't1', title: 'Task 1', status: 'in-progress', assigned: 'agent-1' }]);
    await p.ok(['fail', 't1', '--reason', 'test failure']);
    expect((await last('t1')).message).toBe('Task failed: test failure');
  });

  it('abandon_produces_operation_log_entry (with the reason)', async () => {
    await p.importTasks([{ id: 't1', title: 'Task 1' }]);
    await p.ok(['abandon', 't1', '--reason', 'not needed']);
    expect((await last('t1')).message).toBe('Abandoned: not needed');
  });

  it('retry_produces_operation_log_entry (with the attempt)', async () => {
    await p.importTasks([{ id: 't1', title: 'Task 1', status: 'failed', retry_count: 1 }]);
    await p.ok(['retry', 't1']);
    expect((await last('t1')).message).toBe('Retry #1');
  });

  it('claim_produces_operation_log_entry (with the actor)', async () => {
    await p.importTasks([{ id: 't1', title: 'Task 1' }]);
    await p.ok(['claim', 't1', '--actor', 'agent-1']);
    const entry = await last('t1');
    expect(entry.actor).toBe('agent-1');
    expect(entry.message).toBe('Claimed by agent-1');
  });

  it('unclaim_produces_operation_log_entry', async () => {
    await p.importTasks([{ id: 't1', title: 'Task 1', status: 'in-progress', assigned: 'agent-1' }]);
    await p.ok(['unclaim', 't1']);
    expect((await last('t1')).message).toBe('Unclaimed');
  });

  it('pause_produces_operation_log_entry / resume_produces_operation_log_entry', async () => {
    await p.importTasks([
      { id: 't1', title: 'Task 1' },
      { id: 't2', title: 'Task 2', paused: true },
    ]);
    await p.ok(['pause', 't1']);
    expect((await last('t1')).message).toBe('Task paused');
    await p.ok(['resume', 't2']);
    expect((await last('t2')).message).toBe('Task resumed');
  });
});

describe('a batch that removes tasks names them (upstream: one entry with the ids in its detail)', () => {
  it('archive_produces_operation_log_entry', async () => {
    await p.importTasks([
      { id: 't1', title: 'Done task', status: 'done', completed_at: '2024-01-01T00:00:00Z' },
      { id: 't2', title: 'Open task' },
    ]);
    const archived = await p.json<{ tasks: Array<{ id: string }> }>(['archive', '--yes']);
    expect(archived.tasks.map((t) => t.id)).toEqual(['t1']);
    expect((await p.json<Task[]>(['list', '--all'])).map((t) => t.id)).toEqual(['t2']);
  });

  it('gc_produces_operation_log_entry', async () => {
    await p.importTasks([
      { id: 't1', title: 'Abandoned task', status: 'abandoned' },
      { id: 't2', title: 'Open task' },
    ]);
    const gc = await p.json<{ removed: Array<{ id: string }> }>(['gc']);
    expect(gc.removed.map((t) => t.id)).toEqual(['t1']);
    expect((await p.json<Task[]>(['list', '--all'])).map((t) => t.id)).toEqual(['t2']);
  });

  it('multiple_tasks_archive_produces_multiple_entries (one batch naming both)', async () => {
    await p.ok(['add', 'Done A', '--id', 'done-a']);
    await p.ok(['add', 'Done B', '--id', 'done-b']);
    await p.ok(['done', 'done-a']);
    await p.ok(['done', 'done-b']);
    const archived = await p.json<{ tasks: Array<{ id: string }> }>(['archive', '--yes']);
    expect(archived.tasks.map((t) => t.id).sort()).toEqual(['done-a', 'done-b']);
  });
});

describe('a lifecycle leaves its steps in order', () => {
  it('full_lifecycle_produces_ordered_operations', async () => {
    await p.ok(['add', 'Lifecycle task', '--id', 'lifecycle']);
    await p.ok(['claim', 'lifecycle', '--actor', 'agent-1']);
    await p.ok(['pause', 'lifecycle']);
    await p.ok(['resume', 'lifecycle']);
    await p.ok(['done', 'lifecycle']);
    const entries = await log('lifecycle');
    expect(entries.map((e) => e.message)).toEqual([
      'Task created',
      'Claimed by agent-1',
      'Task paused',
      'Task resumed',
      'Task marked done',
    ]);
    const times = entries.map((e) => Date.parse(e.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('fail_retry_done_lifecycle', async () => {
    await p.ok(['add', 'Retry task', '--id', 'retry-task']);
    await p.ok(['claim', 'retry-task']);
    await p.ok(['fail', 'retry-task', '--reason', 'oops']);
    await p.ok(['retry', 'retry-task']);
    await p.ok(['claim', 'retry-task']);
    await p.ok(['done', 'retry-task']);
    expect((await log('retry-task')).map((e) => e.message)).toEqual([
      'Task created',
      'Claimed',
      'Task failed: oops',
      'Retry #1',
      'Claimed',
      'Task marked done',
    ]);
  });
});

describe('the record agrees with the graph (upstream: check_coherency)', () => {
  it('coherency_after_full_lifecycle', async () => {
    for (const id of ['task-a', 'task-b', 'task-c']) await p.ok(['add', `Task ${id.slice(-1).toUpperCase()}`, '--id', id]);
    await p.ok(['done', 'task-a']);
    await p.ok(['claim', 'task-b']);
    await p.ok(['fail', 'task-b', '--reason', 'broken']);
    await p.ok(['abandon', 'task-b']);
    const tasks = await p.json<Task[]>(['list', '--all']);
    expect(tasks.map((t) => [t.id, t.status])).toEqual([
      ['task-a', 'done'],
      ['task-b', 'abandoned'],
      ['task-c', 'open'],
    ]);
    // Every task has its creation; each finished one the entry of the verb that finished it.
    const expected: Record<string, RegExp> = { done: /^Task marked done$/, abandoned: /^Abandoned/, open: /^Task created$/ };
    for (const task of tasks) {
      const messages = (await log(task.id)).map((e) => e.message);
      expect(messages[0]).toBe('Task created');
      expect(messages.at(-1)).toMatch(expected[task.status] as RegExp);
    }
    expect((await log('task-b')).map((e) => e.message)).toContain('Task failed: broken');
  });

  it('coherency_after_archive_and_gc', async () => {
    await p.ok(['add', 'Done task', '--id', 'done-task']);
    await p.ok(['add', 'Fail task', '--id', 'fail-task']);
    await p.ok(['add', 'Keep task', '--id', 'keep-task']);
    await p.ok(['done', 'done-task']);
    await p.ok(['fail', 'fail-task', '--reason', 'test']);
    // Archive takes done (and abandoned) tasks, not failed ones; gc takes the failed one.
    const archived = await p.json<{ tasks: Array<{ id: string }> }>(['archive', '--yes']);
    expect(archived.tasks.map((t) => t.id)).toEqual(['done-task']);
    const gc = await p.json<{ removed: Array<{ id: string }> }>(['gc']);
    expect(gc.removed.map((t) => t.id)).toEqual(['fail-task']);
    expect((await p.json<Task[]>(['list', '--all'])).map((t) => t.id)).toEqual(['keep-task']);
    // The archived one is kept in the archive, not lost.
    const list = await p.json<Array<{ id: string }>>(['archive', '--list']);
    expect(list.map((t) => t.id)).toEqual(['done-task']);
  });
});
