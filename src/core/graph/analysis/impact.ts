import type { Task } from '../../../shared/task';
import type { ImpactInfo, ImpactReport } from '../../../shared/planning';
import { transitiveDependents } from './bottlenecks';
import { dependentsIndex, estimateOf, type TaskIndex } from './task-index';

const infoOf = (task: Task): ImpactInfo => ({
  id: task.id,
  title: task.title,
  status: task.status,
  hours: estimateOf(task, 'hours'),
});

/**
 * The paths from the task's direct dependents down to where nothing more depends on them (upstream's
 * build_dependency_chains): a depth-first walk that ends a chain at a task already walked, so a loop ends too.
 * Only chains of two or more tasks; sorted, without repeats.
 */
export function dependencyChains(dependents: ReadonlyMap<string, readonly string[]>, start: string): string[][] {
  const chains: string[][] = [];
  const visited = new Set<string>();
  const queue: Array<[string, string[]]> = (dependents.get(start) ?? []).map((id) => [id, [id]]);
  while (queue.length > 0) {
    const [current, chain] = queue.pop() as [string, string[]];
    const next = dependents.get(current) ?? [];
    if (next.length === 0 || visited.has(current)) {
      if (chain.length > 1) chains.push(chain);
      continue;
    }
    visited.add(current);
    for (const id of next) queue.push([id, [...chain, id]]);
  }
  const seen = new Set<string>();
  return chains
    .sort((a, b) => compareChains(a, b))
    .filter((chain) => {
      const key = chain.join('\u0000');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** Rust's order of Vec<String>: element by element, a prefix first. */
function compareChains(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * `wg impact ID` (upstream's impact command): what waits on the task, directly and through others, the chains
 * it runs down, and the estimated hours that slip if it does.
 */
export function impactOf(tasks: readonly Task[], index: TaskIndex, id: string): ImpactReport {
  const task = index.get(id) as Task;
  const dependents = dependentsIndex(tasks);
  const direct = dependents.get(id) ?? [];
  const all = transitiveDependents(dependents, id);
  const known = (ids: Iterable<string>) => [...ids].flatMap((d) => (index.has(d) ? [infoOf(index.get(d) as Task)] : []));
  let hours = 0;
  for (const d of all) hours += index.get(d) ? (estimateOf(index.get(d) as Task, 'hours') ?? 0) : 0;
  return {
    task: infoOf(task),
    direct_dependents: known(direct),
    transitive_dependents: known([...all].filter((d) => !direct.includes(d)).sort()),
    dependency_chains: dependencyChains(dependents, id),
    impact_summary: { total_tasks_affected: all.size, total_hours_at_risk: hours },
  };
}
