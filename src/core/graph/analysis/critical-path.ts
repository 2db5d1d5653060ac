import type { Task } from '../../../shared/task';
import type { CriticalPath } from '../../../shared/insight';
import { isTerminal } from '../readiness';
import { findCycles, structuralCycles } from './graph-check';
import { estimateOf, indexTasks } from './task-index';
import { longestChain } from './longest-chain';

/**
 * `wg critical-path` (upstream): the longest chain of active (not
 * terminal) tasks by estimated hours, a task without an estimate counting one hour; tasks in a
 * cycle are left out and the cycles reported. Slack: the total less a task's own hours.
 */
export function criticalPath(tasks: readonly Task[]): CriticalPath {
  const active = tasks.filter((t) => !isTerminal(t.status));
  const empty: CriticalPath = { critical_path: [], task_count: 0, total_hours: 0, slack_analysis: [], cycles_skipped: [] };
  if (active.length === 0) return empty;
  const activeIndex = indexTasks(active);
  // Only edges between active tasks: a cycle through finished work no longer holds anything back.
  const activeOnly = active.map((t) => ({ ...t, after: t.after.filter((dep) => activeIndex.has(dep)) }));
  const localIndex = indexTasks(activeOnly);
  const cycles = findCycles(activeOnly, localIndex);
  const inCycle = new Set([...cycles.flat(), ...structuralCycles(activeOnly, localIndex).flatMap((c) => c.members)]);
  const nodes = activeOnly.filter((t) => !inCycle.has(t.id));
  const hoursOf = (id: string) => Math.max(0, estimateOf(activeIndex.get(id) as Task, 'hours') ?? 1);
  const { path, hours: total } = longestChain(nodes, hoursOf);
  const onPath = new Set(path);
  return {
    critical_path: path.map((id, i) => {
      const task = activeIndex.get(id) as Task;
      return {
        id,
        title: task.title,
        status: task.status,
        hours: estimateOf(task, 'hours'),
        after: i === 0 ? null : (path[i - 1] as string),
      };
    }),
    task_count: path.length,
    total_hours: total,
    slack_analysis: active
      .filter((t) => !onPath.has(t.id) && !inCycle.has(t.id))
      .map((t) => ({
        id: t.id,
        title: t.title,
        slack_hours: total - (estimateOf(t, 'hours') ?? 0),
        note: 'can delay without affecting deadline',
      }))
      .filter((s) => s.slack_hours > 0),
    cycles_skipped: cycles,
  };
}
