import type { Task } from '../../../shared/task';
import type { DependentsContext, TaskContext } from '../../../shared/insight';
import { stringListOf, type TaskIndex } from './task-index';

/**
 * `wg context ID` (upstream): the artifacts its direct dependencies
 * produced, against the inputs it declares. This app's dependencies may also hand over structured
 * results (`wg done --artifacts '{…}'`): shown beside the artifacts.
 */
export function taskContext(index: TaskIndex, id: string): TaskContext {
  const task = index.get(id) as Task;
  const produced = new Set<string>();
  const available: TaskContext['available_context'] = [];
  for (const depId of task.after) {
    const dep = index.get(depId);
    if (!dep) continue;
    for (const artifact of dep.artifacts) produced.add(artifact);
    const hasResults = Object.keys(dep.results).length > 0;
    if (dep.artifacts.length === 0 && !hasResults) continue;
    available.push({
      task_id: dep.id,
      task_title: dep.title,
      status: dep.status,
      artifacts: [...dep.artifacts],
      ...(hasResults ? { results: dep.results } : {}),
    });
  }
  const inputs = stringListOf(task, 'inputs');
  return {
    task_id: task.id,
    task_title: task.title,
    declared_inputs: inputs,
    available_context: available,
    missing_inputs: inputs.filter((input) => !produced.has(input)),
  };
}

/** `wg context ID --dependents`: the tasks that depend on it, and which of its outputs each declares as input. */
export function dependentsContext(tasks: readonly Task[], index: TaskIndex, id: string): DependentsContext {
  const task = index.get(id) as Task;
  const deliverables = stringListOf(task, 'deliverables');
  return {
    task_id: id,
    artifacts: [...task.artifacts],
    deliverables,
    dependents: tasks
      .filter((other) => other.after.includes(id))
      .map((other) => ({
        task_id: other.id,
        title: other.title,
        needs: stringListOf(other, 'inputs').filter((input) => task.artifacts.includes(input) || deliverables.includes(input)),
      })),
  };
}
