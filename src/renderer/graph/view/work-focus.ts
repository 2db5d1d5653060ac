import { AWAITING_EVALUATION, STARTABLE_STATUSES, type Task } from '../../../shared/task';
import { JUST_FINISHED_MS } from './work-set';

/**
 * Where work is happening, from the tasks alone (before their states are known): running tasks,
 * those awaiting evaluation, failures and what finished minutes ago; when there are none, the tasks
 * ready to start (what happens next). Their parts of the graph are laid out first, so the first
 * view (work-set.ts) can frame them soon.
 */
export function workFocus(tasks: Iterable<Task>, now: number = Date.now()): Set<string> {
  const busy = new Set<string>();
  const ready = new Set<string>();
  for (const task of tasks) {
    const finished = task.completed_at ? now - Date.parse(task.completed_at) : Infinity;
    if (task.status === 'in-progress' || AWAITING_EVALUATION.includes(task.status) || task.status === 'failed') busy.add(task.id);
    else if (task.status === 'done' && finished < JUST_FINISHED_MS) busy.add(task.id);
    else if (STARTABLE_STATUSES.includes(task.status) && !task.paused && busy.size === 0) ready.add(task.id);
  }
  return busy.size > 0 ? busy : ready;
}
