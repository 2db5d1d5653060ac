import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import { hasWorkLeft, workEnd } from '../../shared/work-end';
import type { NeedsYou } from '../../shared/needs-you';

/** The part of a task the notification rules (and the All projects view) look at. */
export type TaskSummary = Pick<
  Task,
  'id' | 'title' | 'status' | 'paused' | 'after' | 'failure_reason' | 'executor' | 'exec' | 'extra' | 'not_before'
> & {
  /** Files of its worktree's conflicted merge (empty when none). */
  worktree_conflict: string[];
};

/** The part of an agent the All projects view shows. */
export type AgentSummary = Pick<Agent, 'id' | 'task_id' | 'executor' | 'state'>;

export interface Notice {
  kind: 'task-failed' | 'tasks-failed' | 'needs-you' | 'all-done' | 'work-stopped';
  title: string;
  body: string;
  /** The task to show when the notice is clicked, if it is about one. */
  taskId?: string;
}

/** Above this many at once (failures, tasks needing a person), one summary instead of a notice each. */
const MAX_SINGLE_NOTICES = 3;

/**
 * What to tell the user about the change from `prev` to `next`. The first snapshot (prev null)
 * says nothing: failures from before the app opened are history, not news.
 */
export function decideNotifications(
  prev: readonly TaskSummary[] | null,
  next: readonly TaskSummary[],
  needing?: (tasks: readonly TaskSummary[]) => ReadonlyMap<string, NeedsYou>,
): Notice[] {
  if (prev === null) return [];
  const before = new Map(prev.map((t) => [t.id, t]));
  // Only tasks seen before and now failed; a task imported as failed is not news either.
  const failed = next.filter((t) => t.status === 'failed' && before.has(t.id) && before.get(t.id)?.status !== 'failed');
  const notices: Notice[] =
    failed.length > MAX_SINGLE_NOTICES
      ? [{ kind: 'tasks-failed', title: `${failed.length} tasks failed`, body: failed.map((t) => t.title).join(', ') }]
      : failed.map((t) => ({
          kind: 'task-failed',
          title: `Task failed: ${t.title}`,
          body: t.failure_reason ?? 'No reason given',
          taskId: t.id,
        }));
  if (needing) notices.push(...newlyNeedingYou(needing(prev), needing(next), next));
  // Worded as the window's toast words it (work-notices.ts): one decision for both.
  if (next.length > 0 && hasWorkLeft(before) && !hasWorkLeft(new Map(next.map((t) => [t.id, t])))) notices.push(workEnd(next));
  return notices;
}

/**
 * Tasks that came to need a person since the last look (a reply, an approval, their own task ready, an evaluation nothing
 * runs, a merge): one notice each, or one that counts them. A failed task others wait on was told as a failure already.
 */
function newlyNeedingYou(
  before: ReadonlyMap<string, NeedsYou>,
  now: ReadonlyMap<string, NeedsYou>,
  tasks: readonly TaskSummary[],
): Notice[] {
  const fresh = tasks.filter((t) => {
    const needs = now.get(t.id);
    return needs !== undefined && needs.kind !== 'unblock' && before.get(t.id)?.kind !== needs.kind;
  });
  if (fresh.length > MAX_SINGLE_NOTICES)
    return [{ kind: 'needs-you', title: `${fresh.length} tasks need you`, body: fresh.map((t) => t.title).join(', ') }];
  return fresh.map((t) => {
    const label = now.get(t.id)?.label ?? '';
    return { kind: 'needs-you', title: `Needs you: ${t.title}`, body: `${label.charAt(0).toUpperCase()}${label.slice(1)}`, taskId: t.id };
  });
}
