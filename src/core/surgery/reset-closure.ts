import { isSystemTaskId, type TaskSummary } from '../../shared/task';
import type { ResetDirection } from '../../shared/surgery';

/*
 * What upstream's `wg reset` reaches from its seeds (pure): the closure along `before` (forward,
 * downstream), `after` (backward) or both, and the system tasks hanging on it. System tasks are never
 * in the closure: reset would leave them open and lying around; `--also-strip-meta` deletes them.
 */

/** A task's edges both ways: `after`, and upstream's `before` (the kept list and the tasks that name it in `after`). */
export interface Edges {
  after: string[];
  before: string[];
}

function keptBefore(task: Pick<TaskSummary, 'extra'>): string[] {
  const kept = task.extra.before;
  return Array.isArray(kept) ? kept.filter((item): item is string => typeof item === 'string') : [];
}

/** Every task's edges, `before` as upstream keeps it (with the dependents of this app's tasks, which keep none). */
export function edgesOf(tasks: readonly Pick<TaskSummary, 'id' | 'after' | 'extra'>[]): Map<string, Edges> {
  const edges = new Map<string, Edges>(tasks.map((t) => [t.id, { after: [...t.after], before: keptBefore(t) }]));
  for (const task of tasks) {
    for (const dep of task.after) {
      const earlier = edges.get(dep);
      if (earlier && !earlier.before.includes(task.id)) earlier.before.push(task.id);
    }
  }
  return edges;
}

/** The seeds and every (non-system) task reachable from them in `direction`, sorted. */
export function resetClosure(edges: ReadonlyMap<string, Edges>, seeds: readonly string[], direction: ResetDirection): string[] {
  const visited = new Set<string>();
  const stack = seeds.filter((s) => !isSystemTaskId(s));
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (visited.has(id)) continue;
    visited.add(id);
    const task = edges.get(id);
    if (!task) continue;
    const next = direction === 'forward' ? task.before : direction === 'backward' ? task.after : [...task.before, ...task.after];
    for (const other of next) if (!visited.has(other) && !isSystemTaskId(other)) stack.push(other);
  }
  return [...visited].sort();
}

/** The system tasks with an edge (after or before) to a member of the closure, sorted. */
export function metaAttachedTo(edges: ReadonlyMap<string, Edges>, closure: readonly string[]): string[] {
  const members = new Set(closure);
  const meta: string[] = [];
  for (const [id, task] of edges) {
    if (!isSystemTaskId(id)) continue;
    if (task.after.some((a) => members.has(a)) || task.before.some((b) => members.has(b))) meta.push(id);
  }
  return meta.sort();
}
