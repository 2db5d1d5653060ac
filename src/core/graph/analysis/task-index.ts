import type { Task, TaskStatus } from '../../../shared/task';

/** The tasks of one graph by id, for the analyses here (each takes the whole graph, as upstream's do). */
export type TaskIndex = ReadonlyMap<string, Task>;

export function indexTasks(tasks: readonly Task[]): TaskIndex {
  return new Map(tasks.map((task) => [task.id, task]));
}

/** Upstream's Debug name of a status (`{:?}`): `in-progress` → `InProgress`, as its human output and some JSON show. */
export function debugStatus(status: TaskStatus): string {
  return status
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Who depends on each task (upstream query::build_reverse_index), in graph order. */
export function dependentsIndex(tasks: readonly Task[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const task of tasks) {
    for (const dep of task.after) {
      const list = index.get(dep);
      if (list) list.push(task.id);
      else index.set(dep, [task.id]);
    }
  }
  return index;
}

/** A number kept from upstream's `estimate` object (`hours`, `cost`); null when absent or not a number. */
export function estimateOf(task: Task, field: 'hours' | 'cost'): number | null {
  const estimate = task.extra.estimate;
  if (typeof estimate !== 'object' || estimate === null || Array.isArray(estimate)) return null;
  const value = estimate[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Upstream's string-list fields kept in `extra` (inputs, deliverables). */
export function stringListOf(task: Task, field: string): string[] {
  const value = task.extra[field];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
