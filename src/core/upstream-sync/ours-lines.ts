import type { Task } from '../../shared/task';
import { upstreamLine } from '../store/jsonl-export';
import type { StoreCore } from '../store/store-core';
import { dependentsByTask } from '../store/task-reads';
import type { Line } from './task-merge';

/** Each task as this app's side writes it to graph.jsonl (its upstream line, with its dependents as `before`). */
export async function oursLines(core: StoreCore, tasks: readonly Task[]): Promise<Map<string, Line>> {
  if (tasks.length === 0) return new Map();
  const dependents = await dependentsByTask(core, tasks.length > 64 ? undefined : tasks.map((t) => t.id));
  return new Map(tasks.map((task) => [task.id, upstreamLine(task, dependents.get(task.id) ?? [])]));
}

/** The names a line lists as its dependencies (`after`, and the older `blocked_by`). */
export function dependencyNames(line: Line | null | undefined): string[] {
  const names: string[] = [];
  for (const key of ['after', 'blocked_by']) {
    const value = line?.[key];
    if (Array.isArray(value)) for (const name of value) if (typeof name === 'string') names.push(name);
  }
  return names;
}
