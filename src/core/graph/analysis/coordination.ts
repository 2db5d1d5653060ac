import type { CoordinateTask, CoordinationStatus } from '../../../shared/coordination';
import type { Task } from '../../../shared/task';
import { workToMerge } from '../../../shared/task-hold';
import { satisfiesDependency } from '../readiness';
import { estimateOf, type TaskIndex } from './task-index';

/** Upstream's TaskSummary: `assigned` and `estimate` left out when it has none (its skip_serializing_if). */
function summaryOf(task: Task): CoordinateTask {
  const hours = estimateOf(task, 'hours');
  const cost = estimateOf(task, 'cost');
  const hasEstimate = typeof task.extra.estimate === 'object' && task.extra.estimate !== null && !Array.isArray(task.extra.estimate);
  return {
    id: task.id,
    title: task.title,
    ...(task.assigned ? { assigned: task.assigned } : {}),
    ...(hasEstimate ? { estimate: { ...(hours === null ? {} : { hours }), ...(cost === null ? {} : { cost }) } } : {}),
  };
}

/**
 * A dependency that keeps an open task waiting, by this app's rule (the one `wg blocked` names): an id not in the graph,
 * a task neither done nor abandoned, or done with its agent's work still to merge. Upstream counts a failed dependency
 * as not blocking here (it is terminal), while its own `wg ready` does not start the task either: here such a task is
 * blocked, so every open task is ready, blocked or waiting for a time. A loop's back edge holds nothing (`wg ready`).
 */
function heldBy(task: Task, index: TaskIndex): boolean {
  return task.after.some((id) => {
    if (task.loop_back.includes(id)) return false;
    const dep = index.get(id);
    return dep === undefined || !satisfiesDependency(dep.status) || workToMerge(dep);
  });
}

/**
 * `wg coordinate` (upstream's get_coordination_status): what can run in parallel now (the store's ready tasks, in its
 * order), what runs, and what waits on a dependency; every task of the graph counted, system tasks too, as upstream.
 */
export function coordinationStatus(tasks: readonly Task[], index: TaskIndex, ready: readonly Task[]): CoordinationStatus {
  return {
    ready: ready.map(summaryOf),
    in_progress: tasks.filter((t) => t.status === 'in-progress').map(summaryOf),
    blocked: tasks
      .filter((t) => t.status === 'open' && t.after.length > 0 && heldBy(t, index))
      .map((t) => ({ id: t.id, title: t.title, after: t.after })),
    done_count: tasks.filter((t) => t.status === 'done').length,
    total_count: tasks.length,
  };
}
