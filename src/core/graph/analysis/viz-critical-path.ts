import type { Task } from '../../../shared/task';
import { estimateOf } from './task-index';
import { longestChain } from './longest-chain';

/**
 * `wg viz --critical-path` (upstream's `calculate_critical_path` of `wg viz`): among the tasks drawn, the
 * longest chain of dependencies by estimated hours (one hour without an estimate, or an unreadable one),
 * whatever their status, over the edges between drawn tasks. Unlike `wg critical-path` it does not leave
 * finished work out: it marks the chain in the picture as drawn. Tasks in a loop never enter the order
 * (upstream's walk cuts loops at the first revisit), so a loop is not part of the path.
 */
export function vizCriticalPath(tasks: readonly Task[]): Set<string> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return new Set(longestChain(tasks, (id) => estimateOf(byId.get(id) as Task, 'hours') ?? 1).path);
}
