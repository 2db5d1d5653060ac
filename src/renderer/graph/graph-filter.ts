import type { Task, TaskStatus } from '../../shared/task';

export interface GraphFilter {
  /** Statuses to show; empty shows all. */
  statuses: ReadonlySet<TaskStatus>;
  /** Tag to show; '' shows all. */
  tag: string;
  /** Case-insensitive part of the title or id; '' shows all. */
  search: string;
}

export const NO_FILTER: GraphFilter = { statuses: new Set(), tag: '', search: '' };

export function isFiltering(filter: GraphFilter): boolean {
  return filter.statuses.size > 0 || filter.tag !== '' || filter.search.trim() !== '';
}

export function matchesFilter(task: Task, filter: GraphFilter): boolean {
  if (filter.statuses.size > 0 && !filter.statuses.has(task.status)) return false;
  if (filter.tag && !task.tags.includes(filter.tag)) return false;
  const search = filter.search.trim().toLowerCase();
  if (search && !task.title.toLowerCase().includes(search) && !task.id.toLowerCase().includes(search)) return false;
  return true;
}

export function allTags(tasks: Iterable<Task>): string[] {
  const tags = new Set<string>();
  for (const task of tasks) for (const tag of task.tags) tags.add(tag);
  return [...tags].sort();
}
