import { AWAITING_EVALUATION, STARTABLE_STATUSES, type Task } from '../../../shared/task';

/** Failures newer than this count as "recent": the first view shows them with the running tasks. */
const RECENT_FAILURE_MS = 24 * 3_600_000;

/**
 * Where work is happening: running tasks and recent failures; when there are none, the tasks
 * ready to start (what happens next). The first view of a big graph shows these, and their parts
 * of the graph are laid out first.
 */
export function workFocus(tasks: Iterable<Task>, now: number = Date.now()): Set<string> {
  const busy = new Set<string>();
  const ready = new Set<string>();
  for (const task of tasks) {
    if (task.status === 'in-progress' || AWAITING_EVALUATION.includes(task.status)) busy.add(task.id);
    else if (task.status === 'failed' && task.completed_at && now - Date.parse(task.completed_at) < RECENT_FAILURE_MS) busy.add(task.id);
    else if (STARTABLE_STATUSES.includes(task.status) && !task.paused && busy.size === 0) ready.add(task.id);
  }
  return busy.size > 0 ? busy : ready;
}
