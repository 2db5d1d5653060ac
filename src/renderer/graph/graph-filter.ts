import type { Task } from '../../shared/task';
import type { StateKind, TaskState } from '../task-state/task-state';

/** Which tasks the graph shows (and lays out): by state and tag. Search finds; it does not hide. */
export interface GraphFilter {
  /** States to show; empty shows all. */
  states: ReadonlySet<StateKind>;
  /** Tag to show; '' shows all. */
  tag: string;
}

export const NO_FILTER: GraphFilter = { states: new Set(), tag: '' };

export function isFiltering(filter: GraphFilter): boolean {
  return filter.states.size > 0 || filter.tag !== '';
}

/** A string that changes exactly when the filter does (the layout is keyed on it). */
export function filterKey(filter: GraphFilter): string {
  return `${[...filter.states].sort().join(',')}|${filter.tag}`;
}

export function matchesFilter(task: Task, state: TaskState | undefined, filter: GraphFilter): boolean {
  if (filter.states.size > 0 && (!state || !filter.states.has(state.kind))) return false;
  if (filter.tag && !task.tags.includes(filter.tag)) return false;
  return true;
}

/** Tasks whose title or id contains the text (case-insensitive), in graph order, at most `limit`. */
export function searchTasks(tasks: Iterable<Task>, text: string, limit: number): { matches: Task[]; total: number } {
  const needle = text.trim().toLowerCase();
  const matches: Task[] = [];
  let total = 0;
  if (needle === '') return { matches, total };
  for (const task of tasks) {
    if (!task.title.toLowerCase().includes(needle) && !task.id.toLowerCase().includes(needle)) continue;
    total++;
    if (matches.length < limit) matches.push(task);
  }
  return { matches, total };
}

export function allTags(tasks: Iterable<Task>): string[] {
  const tags = new Set<string>();
  for (const task of tasks) for (const tag of task.tags) tags.add(tag);
  return [...tags].sort();
}
