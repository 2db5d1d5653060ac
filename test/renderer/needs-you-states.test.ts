import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { TaskStates, taskState, type StateContext } from '../../src/renderer/task-state/task-state';
import { workColumn } from '../../src/renderer/task-state/work-column';
import { makeTask } from './support/fixtures';

/** Issue 75 item 1: the states only a person moves on are "needs you" in the window, in needs-you.ts's words. */
const NOW = Date.parse('2025-06-02T08:00:00Z');
const setting = { manualExecutors: new Set(['manual']), defaultIsManual: false, coordinatorIdle: false, now: NOW };

function context(tasks: Task[], extra: Partial<StateContext> = {}): StateContext {
  return { tasks: new Map(tasks.map((t) => [t.id, t])), ...setting, ...extra };
}
const stateOf = (ctx: StateContext, id: string) => taskState(ctx.tasks.get(id) as Task, ctx);

const humanInput = { wait_condition: { mode: 'any', conditions: [{ type: 'human-input' }] } };

describe('needs you: one kind for each part a person plays', () => {
  const graph = [
    makeTask({ id: 'ask', title: 'Pick a name', status: 'waiting', extra: humanInput }),
    makeTask({
      id: 'timer',
      title: 'Wait a bit',
      status: 'waiting',
      extra: { wait_condition: { mode: 'any', conditions: [{ type: 'message' }] } },
    }),
    makeTask({ id: 'review', title: 'Review the copy', status: 'pending-validation' }),
    makeTask({ id: 'scored', title: 'Scored later', status: 'pending-eval' }),
    makeTask({ id: 'rescue', title: 'Rescue', status: 'failed-pending-eval' }),
    makeTask({ id: 'pilot', title: 'Sign the contract', executor: 'manual' }),
    makeTask({ id: 'broke', title: 'Migrate', status: 'failed', failure_reason: 'exit code 2: expected 200, got 503' }),
    makeTask({ id: 'after', title: 'After', after: ['broke'] }),
    makeTask({ id: 'also', title: 'Also after', after: ['broke'] }),
    makeTask({ id: 'lone', title: 'Lone failure', status: 'failed', failure_reason: 'oops' }),
  ];

  it('says each in its own words, with its kind for the action (and a failure keeps its reason)', () => {
    const ctx = context(graph);
    expect(stateOf(ctx, 'ask')).toEqual({ kind: 'needs-you', text: 'waits for your reply', needs: 'reply' });
    expect(stateOf(ctx, 'timer').kind).toBe('waiting');
    // A wait a reply releases among others: the whole condition said beside it.
    const either = makeTask({
      id: 'either',
      status: 'waiting',
      extra: {
        wait_condition: { mode: 'any', conditions: [{ type: 'task-status', task_id: 'api', status: 'done' }, { type: 'human-input' }] },
      },
    });
    expect(taskState(either, ctx)).toEqual({
      kind: 'needs-you',
      text: 'waits for your reply',
      needs: 'reply',
      detail: "waiting until 'api' is done or a person sends it a message",
    });
    expect(stateOf(ctx, 'review')).toEqual({ kind: 'needs-you', text: 'awaits your approval', needs: 'approve' });
    expect(stateOf(ctx, 'scored')).toEqual({ kind: 'needs-you', text: 'no evaluation will run', needs: 'evaluate' });
    expect(stateOf(ctx, 'rescue')).toEqual({ kind: 'needs-you', text: 'no evaluation will run', needs: 'evaluate' });
    expect(stateOf(ctx, 'pilot')).toEqual({ kind: 'needs-you', text: 'yours to do', needs: 'do' });
    expect(stateOf(ctx, 'broke')).toEqual({
      kind: 'needs-you',
      text: 'failed; 2 tasks wait on it',
      needs: 'unblock',
      detail: 'expected 200, got 503',
    });
    expect(stateOf(ctx, 'lone')).toEqual({ kind: 'failed', text: 'failed: oops' });
    expect(workColumn(stateOf(ctx, 'review').kind)).toBe('needs-you');
  });

  it('leaves an evaluation to whatever runs it: the coordinator with auto_evaluate, or an upstream .evaluate-X not ended', () => {
    expect(stateOf(context(graph, { autoEvaluate: true }), 'scored')).toEqual({ kind: 'evaluating', text: 'done; awaiting evaluation' });
    const upstream = (status: Task['status']) =>
      context([...graph, makeTask({ id: '.evaluate-scored', title: 'Evaluate', status, after: ['scored'] })]);
    expect(stateOf(upstream('open'), 'scored').kind).toBe('evaluating');
    expect(stateOf(upstream('in-progress'), 'scored').kind).toBe('evaluating');
    expect(stateOf(upstream('failed'), 'scored').kind).toBe('needs-you');
  });

  it('counts only the unfinished tasks that wait on a failure, not its own evaluation (which a failure lets go)', () => {
    const ctx = context([
      makeTask({ id: 'broke', status: 'failed' }),
      makeTask({ id: 'done-after', status: 'done', after: ['broke'] }),
      makeTask({ id: '.evaluate-broke', after: ['broke'] }),
      makeTask({ id: 'waits', after: ['broke'] }),
    ]);
    expect(stateOf(ctx, 'broke').text).toBe('failed; 1 task waits on it');
  });
});

describe('needs you, kept from one graph to the next (TaskStates)', () => {
  const tasksOf = (tasks: Task[]) => new Map(tasks.map((t) => [t.id, t]));

  it('looks again at a failure when a task comes to wait on it, or the last one waiting ends', () => {
    const kept = new TaskStates();
    const broke = makeTask({ id: 'broke', status: 'failed', failure_reason: 'oops' });
    expect(kept.compute({ ...setting, tasks: tasksOf([broke]) }).get('broke')?.kind).toBe('failed');
    const after = makeTask({ id: 'after', after: ['broke'] });
    expect(kept.compute({ ...setting, tasks: tasksOf([broke, after]) }).get('broke')).toMatchObject({
      kind: 'needs-you',
      text: 'failed; 1 task waits on it',
    });
    const abandoned = { ...after, status: 'abandoned' as const };
    expect(kept.compute({ ...setting, tasks: tasksOf([broke, abandoned]) }).get('broke')?.kind).toBe('failed');
    // An edge taken off the waiting task (the task changed, the failure did not).
    const kept2 = new TaskStates();
    kept2.compute({ ...setting, tasks: tasksOf([broke, after]) });
    expect(kept2.compute({ ...setting, tasks: tasksOf([broke, { ...after, after: [] }]) }).get('broke')?.kind).toBe('failed');
  });

  it('looks again at what awaits an evaluation when auto_evaluate changes, or its .evaluate-X ends', () => {
    const kept = new TaskStates();
    const scored = makeTask({ id: 'scored', status: 'pending-eval' });
    const tasks = tasksOf([scored]);
    expect(kept.compute({ ...setting, tasks, autoEvaluate: true }).get('scored')?.kind).toBe('evaluating');
    expect(kept.compute({ ...setting, tasks, autoEvaluate: false }).get('scored')?.kind).toBe('needs-you');
    const evaluation = makeTask({ id: '.evaluate-scored', status: 'in-progress', after: ['scored'] });
    expect(kept.compute({ ...setting, tasks: tasksOf([scored, evaluation]) }).get('scored')?.kind).toBe('evaluating');
    const ended = { ...evaluation, status: 'failed' as const };
    expect(kept.compute({ ...setting, tasks: tasksOf([scored, ended]) }).get('scored')?.kind).toBe('needs-you');
  });
});
