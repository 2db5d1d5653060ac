import { describe, expect, it } from 'vitest';
import { decideNotifications, type TaskSummary } from '../../../src/main/notifications/notify-decision';
import { hasWorkLeft } from '../../../src/shared/work-end';
import { needingYou, needsYouSetupFrom } from '../../../src/main/projects/project-summary';

function task(id: string, status: TaskSummary['status'], extra: Partial<TaskSummary> = {}): TaskSummary {
  return {
    id,
    title: `Task ${id}`,
    status,
    paused: false,
    after: [],
    failure_reason: null,
    executor: null,
    exec: null,
    extra: {},
    not_before: null,
    worktree_conflict: [],
    ...extra,
  };
}

describe('decideNotifications', () => {
  it('says nothing on the first snapshot, even about old failures', () => {
    expect(decideNotifications(null, [task('a', 'failed'), task('b', 'done')])).toEqual([]);
  });

  it('says nothing when nothing notable changed', () => {
    const tasks = [task('a', 'in-progress'), task('b', 'open', { after: ['a'] })];
    expect(decideNotifications(tasks, tasks)).toEqual([]);
  });

  it('reports a task that just failed, with its reason', () => {
    const prev = [task('a', 'in-progress'), task('b', 'in-progress')];
    const next = [task('a', 'failed', { failure_reason: 'exit code 1' }), task('b', 'in-progress')];
    expect(decideNotifications(prev, next)).toEqual([
      { kind: 'task-failed', title: 'Task failed: Task a', body: 'exit code 1', taskId: 'a' },
    ]);
  });

  it('does not report a failure twice, nor a task that arrived already failed', () => {
    const prev = [task('a', 'failed'), task('b', 'in-progress')];
    const next = [task('a', 'failed'), task('b', 'in-progress'), task('c', 'failed')];
    expect(decideNotifications(prev, next)).toEqual([]);
  });

  it('sums up many failures at once in one notice', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const prev = [...ids.map((id) => task(id, 'in-progress')), task('z', 'in-progress')];
    const next = [...ids.map((id) => task(id, 'failed')), task('z', 'in-progress')];
    const notices = decideNotifications(prev, next);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'tasks-failed', title: '4 tasks failed', body: 'Task a, Task b, Task c, Task d' });
  });

  it('announces that all work is done when the last task completes', () => {
    const prev = [task('a', 'done'), task('b', 'in-progress', { after: ['a'] })];
    const next = [task('a', 'done'), task('b', 'done', { after: ['a'] })];
    expect(decideNotifications(prev, next)).toEqual([{ kind: 'all-done', title: 'All work is done', body: '2 done' }]);
  });

  it('counts abandoned tasks as finished but not as done', () => {
    const prev = [task('a', 'in-progress'), task('b', 'open', { after: ['a'] })];
    const next = [task('a', 'done'), task('b', 'abandoned', { after: ['a'] })];
    expect(decideNotifications(prev, next)).toEqual([{ kind: 'all-done', title: 'All work is done', body: '1 done, 1 abandoned' }]);
  });

  it('says work stopped when a failure blocks the rest', () => {
    const prev = [task('a', 'in-progress'), task('b', 'open', { after: ['a'] })];
    const next = [task('a', 'failed', { failure_reason: 'timeout' }), task('b', 'open', { after: ['a'] })];
    expect(decideNotifications(prev, next)).toEqual([
      { kind: 'task-failed', title: 'Task failed: Task a', body: 'timeout', taskId: 'a' },
      {
        kind: 'work-stopped',
        title: 'Work has stopped: 1 failed, 1 waiting',
        body: '0 done. Nothing else starts by itself until the failed task is retried.',
      },
    ]);
  });

  it('does not announce the end again while idle', () => {
    const idle = [task('a', 'done')];
    expect(decideNotifications(idle, idle)).toEqual([]);
  });

  // Review finding M1: the window's toast said "All work is done — 1 done, 1 failed" for this, the desktop notification
  // "Work has stopped"; both now say what stopped it, from one decision (shared/work-end.ts).
  it('says work stopped, naming a failed and a paused task, not that all is done', () => {
    const prev = [task('quick', 'done'), task('broken', 'failed'), task('stuck', 'in-progress')];
    const next = [task('quick', 'done'), task('broken', 'failed'), task('stuck', 'open', { paused: true })];
    expect(decideNotifications(prev, next)).toEqual([
      {
        kind: 'work-stopped',
        title: 'Work has stopped: 1 failed, 1 paused',
        body: '1 done. Nothing else starts by itself until the failed task is retried or the paused task is resumed.',
      },
    ]);
  });

  it('tells of each task that came to need a person, once, and not of a failure told already', () => {
    const setup = needsYouSetupFrom([], [{ name: 'manual', type: 'manual' }]);
    const needing = (tasks: readonly TaskSummary[]) => needingYou(tasks, setup, Date.parse('2026-11-29T00:00:00Z'));
    const ask: Partial<TaskSummary> = { extra: { wait_condition: { mode: 'all', conditions: [{ type: 'human-input' }] } } };
    const prev = [
      task('a', 'in-progress'),
      task('b', 'in-progress'),
      task('c', 'open', { after: ['a'], executor: 'manual' }),
      task('d', 'in-progress'),
    ];
    const next = [
      task('a', 'done'),
      task('b', 'waiting', ask),
      task('c', 'open', { after: ['a'], executor: 'manual' }),
      task('d', 'failed', { failure_reason: 'boom' }),
      task('e', 'open', { after: ['d'] }),
    ];
    expect(decideNotifications(prev, next, needing)).toEqual([
      { kind: 'task-failed', title: 'Task failed: Task d', body: 'boom', taskId: 'd' },
      { kind: 'needs-you', title: 'Needs you: Task b', body: 'Waits for your reply', taskId: 'b' },
      { kind: 'needs-you', title: 'Needs you: Task c', body: 'Yours to do', taskId: 'c' },
    ]);
    // Nothing new: nothing said again.
    expect(decideNotifications(next, next, needing)).toEqual([]);
  });

  it('does not call it done while a ready task waits for an agent', () => {
    const prev = [task('a', 'in-progress'), task('b', 'open')];
    const next = [task('a', 'done'), task('b', 'open')];
    expect(decideNotifications(prev, next)).toEqual([]);
  });
});

/** The graph's tasks by id, as the window and the main process hand them to hasWorkLeft. */
const workLeft = (tasks: ReturnType<typeof task>[]) => hasWorkLeft(new Map(tasks.map((t) => [t.id, t])));

describe('hasWorkLeft', () => {
  it('counts running and evaluating tasks', () => {
    expect(workLeft([task('a', 'in-progress')])).toBe(true);
    expect(workLeft([task('a', 'pending-eval')])).toBe(true);
  });

  it('counts open tasks whose dependencies are done or on their way', () => {
    expect(workLeft([task('a', 'done'), task('b', 'open', { after: ['a'] })])).toBe(true);
    expect(workLeft([task('a', 'in-progress'), task('b', 'open', { after: ['a'] }), task('c', 'open', { after: ['b'] })])).toBe(true);
  });

  it('does not count tasks held up by a paused or failed task, even transitively', () => {
    expect(workLeft([task('a', 'open', { paused: true })])).toBe(false);
    expect(workLeft([task('a', 'failed'), task('b', 'open', { after: ['a'] }), task('c', 'open', { after: ['b'] })])).toBe(false);
    expect(workLeft([task('a', 'open', { paused: true }), task('b', 'open', { after: ['a'] })])).toBe(false);
  });

  it('treats unknown dependencies and cycles as stuck', () => {
    expect(workLeft([task('b', 'open', { after: ['missing'] })])).toBe(false);
    expect(workLeft([task('a', 'open', { after: ['b'] }), task('b', 'open', { after: ['a'] })])).toBe(false);
  });

  it('is false for an empty graph', () => {
    expect(workLeft([])).toBe(false);
  });

  it('answers a graph it was asked of before without looking again (the window asks of each graph twice)', () => {
    const graph = new Map([['a', task('a', 'in-progress')]]);
    expect(hasWorkLeft(graph)).toBe(true);
    // The same map, changed behind its back (never done by the store, whose graphs are new maps): the first answer.
    graph.set('a', task('a', 'failed'));
    expect(hasWorkLeft(graph)).toBe(true);
    expect(hasWorkLeft(new Map(graph))).toBe(false);
  });
});
