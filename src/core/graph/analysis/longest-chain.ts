/**
 * The longest chain of dependencies by hours, for `wg critical-path` and `wg viz --critical-path`:
 * Kahn's order, then each task's longest chain to the end computed dependents first, and the chain
 * from the task whose chain is longest (the first in order on a tie). A dependency not among `tasks`
 * is ignored; tasks in a loop never enter the order, so no loop is part of the chain.
 */
export function longestChain(
  tasks: readonly { id: string; after: readonly string[] }[],
  hoursOf: (id: string) => number,
): { path: string[]; hours: number } {
  const forward = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  const pending = new Map<string, number>(tasks.map((t) => [t.id, 0]));
  for (const task of tasks) {
    for (const dep of new Set(task.after)) {
      if (!forward.has(dep) || dep === task.id) continue;
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
  const path: string[] = [];
  for (let id = start; id !== null; id = longest.get(id)?.next ?? null) path.push(id);
  return { path, hours: start === null ? 0 : (longest.get(start)?.hours ?? 0) };
}
