import type { Task } from '../../../shared/task';
import type { PlanFit, PlanItem, ProjectSummary } from '../../../shared/planning';
import { satisfiesDependency } from '../readiness';
import { estimateOf, type TaskIndex } from './task-index';

/**
 * Upstream's project_summary: open work by status and the estimates of the open tasks. `ready`: the ids of the
 * ready tasks (the store's readiness, upstream's ready_tasks).
 */
export function projectSummary(tasks: readonly Task[], ready: ReadonlySet<string>): ProjectSummary {
  const summary: ProjectSummary = { open: 0, done: 0, in_progress: 0, ready: ready.size, blocked: 0, total_cost: 0, total_hours: 0 };
  for (const task of tasks) {
    switch (task.status) {
      case 'open':
        summary.open++;
        if (!ready.has(task.id)) summary.blocked++;
        summary.total_cost += estimateOf(task, 'cost') ?? 0;
        summary.total_hours += estimateOf(task, 'hours') ?? 0;
        break;
      case 'done':
        summary.done++;
        break;
      case 'in-progress':
      // Upstream counts work awaiting its evaluation as in flight.
      case 'pending-eval':
      case 'failed-pending-eval':
        summary.in_progress++;
        break;
      case 'blocked':
        summary.blocked++;
        break;
      case 'incomplete':
        summary.open++;
        break;
      default:
        break;
    }
  }
  return summary;
}

/**
 * Upstream's tasks_within_constraint: the open and incomplete tasks that fit within `limit` of `measure` (a task
 * without that estimate costs 0). Ready tasks first, cheapest first; then, round after round, those the plan's
 * tasks would let start. A task that does not fit is listed once under `exceeds`.
 */
export function fitWithin(
  tasks: readonly Task[],
  index: TaskIndex,
  ready: ReadonlySet<string>,
  limit: number,
  measure: 'cost' | 'hours',
): PlanFit {
  const value = (task: Task) => estimateOf(task, measure) ?? 0;
  const open = tasks
    .filter((t) => t.status === 'open' || t.status === 'incomplete')
    .map((task, order) => ({ task, order }))
    // A stable sort, as upstream's: ties keep the graph's order.
    .sort((a, b) => {
      const byReady = Number(ready.has(b.task.id)) - Number(ready.has(a.task.id));
      return byReady !== 0 ? byReady : value(a.task) - value(b.task) || a.order - b.order;
    })
    .map((entry) => entry.task);
  const item = (task: Task, isReady: boolean): PlanItem => ({
    id: task.id,
    title: task.title,
    cost: estimateOf(task, 'cost') ?? 0,
    hours: estimateOf(task, 'hours') ?? 0,
    is_ready: isReady,
  });
  const fits: PlanItem[] = [];
  const exceeds: PlanItem[] = [];
  let remaining = limit;
  const planned = new Set<string>();
  for (const task of open) {
    if (!ready.has(task.id)) continue;
    if (value(task) <= remaining) {
      remaining -= value(task);
      planned.add(task.id);
      fits.push(item(task, true));
    } else exceeds.push(item(task, true));
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const task of open) {
      if (planned.has(task.id) || ready.has(task.id)) continue;
      const unblocked = task.after.every((dep) => {
        const blocker = index.get(dep);
        return planned.has(dep) || blocker === undefined || satisfiesDependency(blocker.status);
      });
      if (!unblocked) continue;
      if (value(task) <= remaining) {
        remaining -= value(task);
        planned.add(task.id);
        fits.push(item(task, false));
        changed = true;
      } else if (!exceeds.some((e) => e.id === task.id)) exceeds.push(item(task, false));
    }
  }
  return { fits, exceeds, remaining };
}
