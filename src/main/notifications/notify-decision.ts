import type { Agent } from '../../shared/agent';
import { SATISFYING_STATUSES, type Task } from '../../shared/task';

/** The part of a task the notification rules (and the All projects view) look at. */
export type TaskSummary = Pick<Task, 'id' | 'title' | 'status' | 'paused' | 'after' | 'failure_reason' | 'executor'> & {
  /** Files of its worktree's conflicted merge (empty when none). */
  worktree_conflict: string[];
};

/** The part of an agent the All projects view shows. */
export type AgentSummary = Pick<Agent, 'id' | 'task_id' | 'executor' | 'state'>;

export interface Notice {
  kind: 'task-failed' | 'tasks-failed' | 'all-done' | 'work-stopped';
  title: string;
  body: string;
  /** The task to show when the notice is clicked, if it is about one. */
  taskId?: string;
}

/** Above this many failures at once, one summary instead of a notice each. */
const MAX_SINGLE_FAILURES = 3;

/**
 * What to tell the user about the change from `prev` to `next`. The first snapshot (prev null)
 * says nothing: failures from before the app opened are history, not news.
 */
export function decideNotifications(prev: readonly TaskSummary[] | null, next: readonly TaskSummary[]): Notice[] {
  if (prev === null) return [];
  const before = new Map(prev.map((t) => [t.id, t]));
  // Only tasks seen before and now failed; a task imported as failed is not news either.
  const failed = next.filter((t) => t.status === 'failed' && before.has(t.id) && before.get(t.id)?.status !== 'failed');
  const notices: Notice[] =
    failed.length > MAX_SINGLE_FAILURES
      ? [{ kind: 'tasks-failed', title: `${failed.length} tasks failed`, body: failed.map((t) => t.title).join(', ') }]
      : failed.map((t) => ({
          kind: 'task-failed',
          title: `Task failed: ${t.title}`,
          body: t.failure_reason ?? 'No reason given',
          taskId: t.id,
        }));
  if (next.length > 0 && hasWorkLeft(prev) && !hasWorkLeft(next)) notices.push(finished(next));
  return notices;
}

function finished(tasks: readonly TaskSummary[]): Notice {
  const done = tasks.filter((t) => t.status === 'done').length;
  const failed = tasks.filter((t) => t.status === 'failed').length;
  if (failed === 0) return { kind: 'all-done', title: 'All work is done', body: `${done} of ${tasks.length} tasks done` };
  return {
    kind: 'work-stopped',
    title: 'Work has stopped',
    body: `${done} done, ${failed} failed: nothing else can run until the failed ${failed === 1 ? 'task is' : 'tasks are'} retried`,
  };
}

/**
 * Whether anything is running or will run without the user stepping in: a task in progress or
 * awaiting evaluation, or an open, unpaused task whose dependencies are all satisfied or
 * themselves still on their way. Tasks waiting (even transitively) on a failed or paused task
 * are not work left: they will not start by themselves.
 */
export function hasWorkLeft(tasks: readonly TaskSummary[]): boolean {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const memo = new Map<string, boolean>();
  const onItsWay = (id: string, visiting: Set<string>): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const task = byId.get(id);
    if (!task || visiting.has(id)) return false; // unknown dependency or a cycle: stuck
    visiting.add(id);
    const result =
      task.status === 'in-progress' ||
      task.status === 'pending-eval' ||
      (task.status === 'open' && !task.paused && task.after.every((dep) => isSatisfied(byId.get(dep)) || onItsWay(dep, visiting)));
    visiting.delete(id);
    memo.set(id, result);
    return result;
  };
  return tasks.some((t) => onItsWay(t.id, new Set()));
}

function isSatisfied(task: TaskSummary | undefined): boolean {
  return task !== undefined && SATISFYING_STATUSES.includes(task.status);
}
