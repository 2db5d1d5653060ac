import type { SuggestedTrajectory, Trajectory, TrajectoryStep } from '../../../shared/coordination';
import type { Task } from '../../../shared/task';
import { isTerminal } from '../readiness';
import { dependentsIndex, estimateOf, stringListOf, type TaskIndex } from './task-index';

/** What a task hands on: its deliverables, then those of its artifacts not among them (upstream's `produces`). */
function producesOf(task: Task): string[] {
  const produces = stringListOf(task, 'deliverables');
  for (const artifact of task.artifacts) if (!produces.includes(artifact)) produces.push(artifact);
  return produces;
}

/**
 * `wg trajectory TASK` (upstream's find_trajectory): the task and everything that follows it, walked depth first (the
 * last dependent found is taken first, as upstream's stack does), each step with what it receives of its predecessor's
 * outputs (its `inputs` among them) and what it produces. `claim_order` is the order of the walk; `steps` are sorted by
 * depth (a stable sort). The caller has checked the task is in the graph.
 */
export function findTrajectory(tasks: readonly Task[], index: TaskIndex, startId: string): Trajectory {
  const dependents = dependentsIndex(tasks);
  const steps: TrajectoryStep[] = [];
  const visited = new Set<string>();
  const claimOrder: string[] = [];
  const stack: Array<{ task: Task; depth: number; receives: string[] }> = [{ task: index.get(startId) as Task, depth: 0, receives: [] }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { task, depth, receives } = next;
    if (visited.has(task.id)) continue;
    visited.add(task.id);
    const produces = producesOf(task);
    steps.push({ id: task.id, title: task.title, status: task.status, depth, receives, produces, hours: estimateOf(task, 'hours') });
    claimOrder.push(task.id);
    for (const depId of dependents.get(task.id) ?? []) {
      const dep = visited.has(depId) ? undefined : index.get(depId);
      // A dependent is on the path whether or not it names one of these outputs among its inputs (upstream: both the
      // artifact flow and the plain dependency).
      if (dep)
        stack.push({ task: dep, depth: depth + 1, receives: stringListOf(dep, 'inputs').filter((input) => produces.includes(input)) });
    }
  }
  steps.sort((a, b) => a.depth - b.depth);
  const hours = steps.flatMap((s) => (s.hours === null ? [] : [s.hours]));
  return {
    root_task: startId,
    steps,
    total_hours: hours.length === 0 ? null : hours.reduce((sum, h) => sum + h, 0),
    claim_order: claimOrder,
  };
}

/**
 * `wg trajectory --actor A` (upstream's suggest_for_actor): a trajectory from each ready task, scored 10 for each step
 * still to do (not terminal, not in progress) and 5 more for each such step that receives an output; those with a step
 * to do, best first (a stable sort: graph order between equals), the first five. Upstream no longer weighs the actor
 * (its actor nodes are gone): it is named in the heading only, as here.
 */
export function suggestTrajectories(tasks: readonly Task[], index: TaskIndex, ready: readonly Task[]): SuggestedTrajectory[] {
  const scored: SuggestedTrajectory[] = [];
  for (const task of ready) {
    const trajectory = findTrajectory(tasks, index, task.id);
    const todo = trajectory.steps.filter((s) => !isTerminal(s.status) && s.status !== 'in-progress');
    if (todo.length === 0) continue;
    scored.push({
      root_task: trajectory.root_task,
      score: todo.reduce((sum, s) => sum + 10 + (s.receives.length > 0 ? 5 : 0), 0),
      steps: trajectory.steps.length,
      total_hours: trajectory.total_hours,
      claim_order: trajectory.claim_order,
    });
  }
  return scored.sort((a, b) => b.score - a.score).slice(0, 5);
}
