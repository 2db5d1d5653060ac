import type { Task } from '../../../shared/task';
import type { CriticalPath } from '../../../shared/insight';
import { isTerminal } from '../readiness';
import { findCycles, structuralCycles } from './graph-check';
import { estimateOf, indexTasks } from './task-index';

/**
 * `wg critical-path` (upstream): the longest chain of active (not
 * terminal) tasks by estimated hours, a task without an estimate counting one hour; tasks in a
 * cycle are left out and the cycles reported. Slack: the total less a task's own hours.
 */
export function criticalPath(tasks: readonly Task[]): CriticalPath {
  const active = tasks.filter((t) => !isTerminal(t.status));
  const empty: CriticalPath = { critical_path: [], task_count: 0, total_hours: 0, slack_analysis: [], cycles_skipped: [] };
  if (active.length === 0) return empty;
  const activeIndex = indexTasks(active);
  // Only edges between active tasks: a cycle through finished work no longer holds anything back.
  const activeOnly = active.map((t) => ({ ...t, after: t.after.filter((dep) => activeIndex.has(dep)) }));
  const localIndex = indexTasks(activeOnly);
  const cycles = findCycles(activeOnly, localIndex);
  const inCycle = new Set([...cycles.flat(), ...structuralCycles(activeOnly, localIndex).flatMap((c) => c.members)]);
  const nodes = activeOnly.filter((t) => !inCycle.has(t.id));
  const forward = new Map<string, string[]>(nodes.map((t) => [t.id, []]));
  const pending = new Map<string, number>(nodes.map((t) => [t.id, 0]));
  for (const task of nodes) {
    for (const dep of task.after) {
      if (!forward.has(dep)) continue;
      forward.get(dep)?.push(task.id);
      pending.set(task.id, (pending.get(task.id) as number) + 1);
    }
  }
  // Kahn's order, then the longest path from each task is computed dependents first.
  const order: string[] = [];
  const queue = nodes.filter((t) => pending.get(t.id) === 0).map((t) => t.id);
  while (queue.length > 0) {
    const id = queue.shift() as string;
    order.push(id);
    for (const next of forward.get(id) ?? []) {
      const left = (pending.get(next) as number) - 1;
      pending.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  const hoursOf = (id: string) => Math.max(0, estimateOf(activeIndex.get(id) as Task, 'hours') ?? 1);
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
  for (const id of order)
    if (start === null || (longest.get(id) as { hours: number }).hours > (longest.get(start) as { hours: number }).hours) start = id;
  const path: string[] = [];
  for (let id = start; id !== null; id = longest.get(id)?.next ?? null) path.push(id);
  const total = start === null ? 0 : (longest.get(start) as { hours: number }).hours;
  const onPath = new Set(path);
  return {
    critical_path: path.map((id, i) => {
      const task = activeIndex.get(id) as Task;
      return {
        id,
        title: task.title,
        status: task.status,
        hours: estimateOf(task, 'hours'),
        after: i === 0 ? null : (path[i - 1] as string),
      };
    }),
    task_count: path.length,
    total_hours: total,
    slack_analysis: active
      .filter((t) => !onPath.has(t.id) && !inCycle.has(t.id))
      .map((t) => ({
        id: t.id,
        title: t.title,
        slack_hours: total - (estimateOf(t, 'hours') ?? 0),
        note: 'can delay without affecting deadline',
      }))
      .filter((s) => s.slack_hours > 0),
    cycles_skipped: cycles,
  };
}
