import type { Task } from '../../../shared/task';
import { estimateOf } from './task-index';

/**
 * `wg viz --critical-path` (upstream's `calculate_critical_path` of `wg viz`): among the tasks drawn, the
 * longest chain of dependencies by estimated hours (one hour without an estimate, or an unreadable one),
 * whatever their status, over the edges between drawn tasks. Unlike `wg critical-path` it does not leave
 * finished work out: it marks the chain in the picture as drawn. Tasks in a loop never enter the order
 * (upstream's walk cuts loops at the first revisit), so a loop is not part of the path.
 */
export function vizCriticalPath(tasks: readonly Task[]): Set<string> {
  const shown = new Set(tasks.map((t) => t.id));
  const forward = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  const pending = new Map<string, number>(tasks.map((t) => [t.id, 0]));
  for (const task of tasks) {
    for (const dep of new Set(task.after)) {
      if (!shown.has(dep) || dep === task.id) continue;
      forward.get(dep)?.push(task.id);
      pending.set(task.id, (pending.get(task.id) ?? 0) + 1);
    }
  }
  const order: string[] = [];
  const queue = tasks.filter((t) => pending.get(t.id) === 0).map((t) => t.id);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] as string;
    order.push(id);
    for (const next of forward.get(id) ?? []) {
      const left = (pending.get(next) ?? 0) - 1;
      pending.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const hoursOf = (id: string) => estimateOf(byId.get(id) as Task, 'hours') ?? 1;
  const longest = new Map<string, { hours: number; next: string | null }>();
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i] as string;
    let best: { hours: number; next: string | null } = { hours: 0, next: null };
    for (const child of forward.get(id) ?? []) {
      const candidate = longest.get(child);
      if (candidate && (best.next === null || candidate.hours > best.hours)) best = { hours: candidate.hours, next: child };
    }
    longest.set(id, { hours: hoursOf(id) + best.hours, next: best.next });
  }
  let start: string | null = null;
  for (const id of order) if (start === null || (longest.get(id)?.hours ?? 0) > (longest.get(start)?.hours ?? 0)) start = id;
  const path = new Set<string>();
  for (let id = start; id !== null; id = longest.get(id)?.next ?? null) path.add(id);
  return path;
}
