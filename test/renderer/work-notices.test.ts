// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { workNotices } from '../../src/renderer/notifications/work-notices';
import { GraphStore, type GraphState } from '../../src/renderer/state/graph-store';
import type { Task } from '../../src/shared/task';
import { makeTask } from './support/fixtures';
import { decideNotifications, type TaskSummary } from '../../src/main/notifications/notify-decision';

const summary = (task: Task): TaskSummary => ({ ...task, worktree_conflict: [] });

const state = (tasks: Task[], loaded = true): GraphState => ({
  rev: 1,
  loaded,
  tasks: new Map(tasks.map((t) => [t.id, t])),
  agents: new Map(),
  structureVersion: 0,
  error: null,
});

describe('work notices', () => {
  it('announces a task that just failed', () => {
    const notices = workNotices(
      state([makeTask({ id: 'a', status: 'in-progress' }), makeTask({ id: 'b', status: 'open' })]),
      state([makeTask({ id: 'a', status: 'failed', failure_reason: 'exit 1' }), makeTask({ id: 'b', status: 'open' })]),
    );
    expect(notices).toEqual([{ kind: 'failed', title: 'Task failed: a', body: 'exit 1', taskId: 'a' }]);
  });

  it('announces when the last pending task finishes', () => {
    const notices = workNotices(
      state([makeTask({ id: 'a', status: 'done' }), makeTask({ id: 'b', status: 'in-progress' })]),
      state([makeTask({ id: 'a', status: 'done' }), makeTask({ id: 'b', status: 'done' })]),
    );
    expect(notices).toEqual([{ kind: 'all-done', title: 'All work is done', body: '2 done' }]);
  });

  // Review finding M1: "All work is done — 1 done, 1 failed" while a task failed and another was held by a kill.
  it('says work has stopped, not that all is done, when a task failed and another is paused, as the desktop notification does', () => {
    const quick = makeTask({ id: 'quick', status: 'done' });
    const broken = makeTask({ id: 'broken', status: 'failed' });
    const notices = workNotices(
      state([quick, broken, makeTask({ id: 'stuck', status: 'in-progress' })]),
      state([quick, broken, makeTask({ id: 'stuck', status: 'open', paused: true })]),
    );
    const desktop = decideNotifications(
      [...state([quick, broken, makeTask({ id: 'stuck', status: 'in-progress' })]).tasks.values()].map(summary),
      [...state([quick, broken, makeTask({ id: 'stuck', status: 'open', paused: true })]).tasks.values()].map(summary),
    );
    expect(notices).toEqual([
      {
        kind: 'work-stopped',
        title: 'Work has stopped: 1 failed, 1 paused',
        body: '1 done. Nothing else starts by itself until the failed task is retried or the paused task is resumed.',
      },
    ]);
    expect(desktop).toEqual(notices);
  });

  it('says nothing on the first snapshot or while paused tasks wait', () => {
    expect(workNotices(state([], false), state([makeTask({ id: 'a', status: 'failed' })]))).toEqual([]);
    const paused = makeTask({ id: 'p', status: 'open', paused: true });
    expect(
      workNotices(state([paused, makeTask({ id: 'a', status: 'done' })]), state([paused, makeTask({ id: 'a', status: 'done' })])),
    ).toEqual([]);
  });

  it('announces tasks the coordinator could not start once per reason, not once per task', () => {
    const open = ['a', 'b', 'c'].map((id) => makeTask({ id, title: id.toUpperCase(), status: 'open' }));
    const failed = open.map((task) => ({ ...task, status: 'failed' as const, failure_reason: "cannot launch: no executor 'nope'" }));
    expect(workNotices(state(open), state(failed)).filter((n) => n.kind === 'dispatch')).toEqual([
      { kind: 'dispatch', title: 'Could not start 3 tasks', body: "no executor 'nope'", taskId: 'a' },
    ]);
  });

  it("tells of the tasks a store's change brought, as a look at every task would, and of the end of the work", () => {
    const store = new GraphStore();
    const plan = Array.from({ length: 2000 }, (_, i) =>
      makeTask({ id: `t${i}`, status: i < 1990 ? 'done' : 'in-progress', after: i > 0 ? [`t${i - 1}`] : [] }),
    );
    store.apply({ rev: 1, tasks: plan, agents: [] }, true);
    let before = store.getState();
    const running = plan.slice(1990);
    for (const [step, task] of running.entries()) {
      const failed = step % 3 === 0;
      store.apply(
        {
          rev: step + 2,
          tasks: [{ ...task, status: failed ? 'failed' : 'done', failure_reason: failed ? `exit ${step}` : null }],
          agents: [],
        },
        false,
      );
      const after = store.getState();
      const notices = workNotices(before, after);
      // The same maps, unrecorded: every task looked at.
      expect(notices).toEqual(workNotices({ ...before, tasks: new Map(before.tasks) }, { ...after, tasks: new Map(after.tasks) }));
      expect(notices.filter((n) => n.kind === 'failed')).toEqual(
        failed ? [{ kind: 'failed', title: `Task failed: ${task.title}`, body: `exit ${step}`, taskId: task.id }] : [],
      );
      before = after;
    }
    expect(workNotices(state([makeTask({ id: 'x', status: 'in-progress' })]), before).at(-1)).toEqual({
      kind: 'work-stopped',
      title: 'Work has stopped: 4 failed',
      body: expect.any(String),
    });
  });
});
