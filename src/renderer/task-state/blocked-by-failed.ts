import type { Task } from '../../shared/task';

/** Statuses of a task that waits for what is before it (an open task, one sent back, one marked blocked). */
const WAITING_STATUSES: ReadonlySet<Task['status']> = new Set(['open', 'incomplete']);

/**
 * The failed task that holds `task` for good, or null: a failed dependency, or the failed task that
 * holds one of its dependencies (`roots`: failedUpstream over the graph, shared/task-hold.ts). Such a
 * task never starts by itself, whatever else it waits on: a person must retry, fix or abandon the
 * failure. Not for a paused task (held by a person, whatever is upstream) nor one marked blocked by
 * hand (its own reason), nor one that is not waiting at all.
 */
export function blockedByFailed(task: Task, roots: ReadonlyMap<string, string>): string | null {
  if (task.paused || !WAITING_STATUSES.has(task.status)) return null;
  return roots.get(task.id) ?? null;
}
