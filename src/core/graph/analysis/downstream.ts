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

/**
 * Every task in the seed's weakly connected component (upstream's discover_wcc): `after` and upstream's
 * `before` edges taken both ways, between tasks of the graph only. Sorted by id.
 */
export function componentOf(tasks: readonly Task[], index: TaskIndex, seed: string): string[] {
  const near = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    if (!index.has(a) || !index.has(b)) return;
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const list = near.get(from);
      if (list) list.push(to);
      else near.set(from, [to]);
    }
  };
  for (const task of tasks) {
    for (const dep of task.after) link(task.id, dep);
    for (const later of stringListOf(task, 'before')) link(task.id, later);
  }
  const found = new Set([seed]);
  const queue = [seed];
  while (queue.length > 0) {
    for (const id of near.get(queue.shift() as string) ?? []) {
      if (found.has(id)) continue;
      found.add(id);
      queue.push(id);
    }
  }
  return [...found].sort();
}

/**
 * `ids` with dependencies before dependents (upstream's topo_sort_subset), ties by id; members of a loop,
 * which no order satisfies, come last in id order.
 */
export function dependencyOrder(index: TaskIndex, ids: readonly string[]): string[] {
  const members = new Set(ids);
  const waiting = new Map(ids.map((id) => [id, 0]));
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  const edge = (from: string, to: string) => {
    if (!members.has(from) || !members.has(to)) return;
    (next.get(from) as string[]).push(to);
    waiting.set(to, (waiting.get(to) as number) + 1);
  };
  for (const id of ids) {
    const task = index.get(id);
    if (!task) continue;
    for (const dep of task.after) edge(dep, id);
    for (const later of stringListOf(task, 'before')) edge(id, later);
  }
  const ready = ids.filter((id) => waiting.get(id) === 0).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const to of next.get(id) ?? []) {
      const left = (waiting.get(to) as number) - 1;
      waiting.set(to, left);
      if (left === 0) {
        // Kept sorted: the smallest id that is free goes next, as upstream's heap takes it.
        const at = ready.findIndex((other) => other > to);
        ready.splice(at < 0 ? ready.length : at, 0, to);
      }
    }
  }
  const placed = new Set(order);
  return [...order, ...[...ids].filter((id) => !placed.has(id)).sort()];
}
