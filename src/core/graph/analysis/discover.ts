import type { DiscoveredTask } from '../../../shared/coordination';
import type { Task } from '../../../shared/task';

/**
 * Upstream's `wg discover --since` (its own parse_duration): a whole number with m, h or d, or a bare number of hours
 * ("24h", "7d", "30m", "12"), in milliseconds; null when it is not one. Upstream takes a negative number too (a
 * window in the future, which finds nothing): here it is refused with the rest.
 */
export function discoverWindowMs(text: string): number | null {
  const match = /^(\d+)([mhd])?$/.exec(text.trim());
  if (!match) return null;
  const minutes = Number(match[1]) * (match[2] === 'm' ? 1 : match[2] === 'd' ? 1440 : 60);
  const ms = minutes * 60_000;
  return Number.isSafeInteger(ms) ? ms : null;
}

/**
 * `wg discover` (upstream's run): the tasks done at or after `cutoffMs`, most recently completed first, each with its
 * tags, its artifacts when asked for and it has any, and its last log entry.
 */
export function discoverRecent(tasks: readonly Task[], cutoffMs: number, withArtifacts: boolean): DiscoveredTask[] {
  const completedMs = (task: Task) => (task.completed_at === null ? Number.NaN : Date.parse(task.completed_at));
  return tasks
    .filter((task) => task.status === 'done' && completedMs(task) >= cutoffMs)
    .sort((a, b) => completedMs(b) - completedMs(a))
    .map((task) => {
      const last = task.log.at(-1);
      return {
        id: task.id,
        title: task.title,
        completed_at: task.completed_at,
        tags: task.tags,
        ...(withArtifacts && task.artifacts.length > 0 ? { artifacts: task.artifacts } : {}),
        ...(last ? { last_log: { timestamp: last.timestamp, message: last.message } } : {}),
      };
    });
}
