import type { Task } from '../../../shared/task';
import { stringListOf, type TaskIndex } from './task-index';

/**
 * The seed and every task downstream of it (upstream's discover_downstream): tasks whose
 * `after` names a member, and tasks a member names in upstream's `before`. Sorted by id.
 */
export function downstreamOf(tasks: readonly Task[], index: TaskIndex, seed: string): string[] {
  const next = new Map<string, string[]>();
  const link = (from: string, to: string) => {
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  };
  for (const task of tasks) {
    for (const dep of task.after) link(dep, task.id);
    for (const later of stringListOf(task, 'before')) link(task.id, later);
  }
  const found = new Set([seed]);
  const queue = [seed];
  while (queue.length > 0) {
    for (const id of next.get(queue.shift() as string) ?? []) {
      if (!index.has(id) || found.has(id)) continue;
      found.add(id);
      queue.push(id);
    }
  }
  return [...found].sort();
}
