import type { Task } from '../../../shared/task';
import type { AgingReport } from '../../../shared/reports';
import { DAY_MS, msSince } from './report-time';

/** Upstream's age buckets, youngest first, each with its upper bound in days and its warning. */
export const AGE_BUCKETS = [
  { label: '< 1 day', below: 1, warning: null },
  { label: '1-7 days', below: 7, warning: null },
  { label: '1-4 weeks', below: 28, warning: null },
  { label: '1-3 months', below: 90, warning: 'WARNING' },
  { label: '> 3 months', below: Number.POSITIVE_INFINITY, warning: 'CRITICAL' },
] as const;

/** The index in AGE_BUCKETS of a task `days` old (upstream AgeBucket::from_days). */
export function ageBucket(days: number): number {
  return AGE_BUCKETS.findIndex((bucket) => days < bucket.below);
}

/** In progress for longer than this is stale (upstream's 14 days). */
const STALE_DAYS = 14;

/** Open and in-progress tasks with their age in whole days, and how many had no creation time to tell it. */
export function taskAges(tasks: readonly Task[], now: Date): { aged: Array<{ task: Task; days: number }>; unknown: number } {
  const aged: Array<{ task: Task; days: number }> = [];
  let unknown = 0;
  for (const task of tasks) {
    if (task.status !== 'open' && task.status !== 'in-progress') continue;
    const ms = msSince(task.created_at, now);
    if (ms === null) unknown++;
    else aged.push({ task, days: Math.trunc(ms / DAY_MS) });
  }
  return { aged, unknown };
}

/** In-progress tasks started more than `thresholdDays` ago, longest first (upstream find_stale_in_progress). */
export function staleInProgress(tasks: readonly Task[], now: Date, thresholdDays = STALE_DAYS): Array<{ task: Task; days: number }> {
  const stale: Array<{ task: Task; days: number }> = [];
  for (const task of tasks) {
    if (task.status !== 'in-progress') continue;
    const ms = msSince(task.started_at, now);
    if (ms !== null && ms > thresholdDays * DAY_MS) stale.push({ task, days: Math.trunc(ms / DAY_MS) });
  }
  return stale.sort((a, b) => b.days - a.days);
}

/** `wg aging` (upstream's): how long open work has waited, its five oldest tasks and the stale in-progress ones. */
export function agingOf(tasks: readonly Task[], now: Date): AgingReport {
  const { aged, unknown } = taskAges(tasks, now);
  const counts = AGE_BUCKETS.map(() => 0);
  for (const { days } of aged) counts[ageBucket(days)] = (counts[ageBucket(days)] ?? 0) + 1;
  // A stable sort, so tasks of one age keep the graph's order, as upstream's sort_by keeps it.
  const oldest = [...aged].sort((a, b) => b.days - a.days).slice(0, 5);
  return {
    distribution: AGE_BUCKETS.map((bucket, i) => ({ bucket: bucket.label, count: counts[i] ?? 0, warning_level: bucket.warning })),
    oldest_tasks: oldest.map(({ task, days }) => ({
      id: task.id,
      title: task.title,
      age_days: days,
      assigned: task.assigned,
      after: [...task.after],
    })),
    stale_in_progress: staleInProgress(tasks, now).map(({ task, days }) => ({
      id: task.id,
      title: task.title,
      started_days_ago: days,
      assigned: task.assigned,
    })),
    tasks_with_unknown_age: unknown,
  };
}
