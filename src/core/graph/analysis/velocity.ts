import type { Task } from '../../../shared/task';
import type { VelocityReport, WeeklyVelocity } from '../../../shared/reports';
import { estimateOf } from './task-index';
import { daysSince } from './report-time';

/** Upstream's window when `--weeks` is not given. */
export const DEFAULT_WEEKS = 4;

/**
 * `wg velocity` (upstream calculate_velocity): done tasks per week over the last `weeks` weeks by their completion
 * time (week 1 the oldest, the last one the seven days to now), their estimated hours, and the open work at that pace.
 */
export function velocityOf(tasks: readonly Task[], weeks: number, now: Date): VelocityReport {
  const window: WeeklyVelocity[] = Array.from({ length: weeks }, (_, i) => ({
    week_number: i + 1,
    tasks_completed: 0,
    hours_completed: 0,
    task_ids: [],
  }));
  let withoutTimestamp = 0;
  for (const task of tasks) {
    if (task.status !== 'done') continue;
    const daysAgo = daysSince(task.completed_at, now);
    if (daysAgo === null) {
      withoutTimestamp++;
      continue;
    }
    // A completion in the future is skipped, as upstream skips it.
    if (daysAgo < 0) continue;
    const weeksAgo = Math.floor(daysAgo / 7);
    if (weeksAgo >= weeks) continue;
    const week = window[weeks - 1 - weeksAgo] as WeeklyVelocity;
    week.tasks_completed++;
    week.task_ids.push(task.id);
    week.hours_completed += estimateOf(task, 'hours') ?? 0;
  }
  const totalTasks = window.reduce((sum, w) => sum + w.tasks_completed, 0);
  const totalHours = window.reduce((sum, w) => sum + w.hours_completed, 0);
  const averageTasks = weeks > 0 ? totalTasks / weeks : 0;
  const averageHours = weeks > 0 ? totalHours / weeks : 0;
  let openTasks = 0;
  let openHours = 0;
  for (const task of tasks) {
    if (task.status !== 'open' && task.status !== 'in-progress' && task.status !== 'incomplete') continue;
    openTasks++;
    openHours += estimateOf(task, 'hours') ?? 0;
  }
  return {
    weeks: window,
    average_tasks_per_week: averageTasks,
    average_hours_per_week: averageHours,
    trend: velocityTrend(window),
    open_tasks: openTasks,
    open_hours: openHours,
    weeks_to_clear: averageTasks > 0 && openTasks > 0 ? openTasks / averageTasks : null,
    tasks_without_timestamp: withoutTimestamp,
  };
}

/** Upstream's calculate_trend: the later half's weekly average against the earlier half's, ±20% is stable. */
export function velocityTrend(weeks: readonly Pick<WeeklyVelocity, 'tasks_completed'>[]): string {
  if (weeks.length < 2) return 'insufficient data';
  const mid = Math.floor(weeks.length / 2);
  const sum = (part: readonly Pick<WeeklyVelocity, 'tasks_completed'>[]) => part.reduce((s, w) => s + w.tasks_completed, 0);
  const first = sum(weeks.slice(0, mid));
  const second = sum(weeks.slice(mid));
  if (first === 0 && second === 0) return 'no completions';
  const firstAvg = first / mid;
  const secondAvg = second / (weeks.length - mid);
  if (firstAvg === 0) return secondAvg > 0 ? 'increasing' : 'stable';
  const change = (secondAvg - firstAvg) / firstAvg;
  if (change > 0.2) return 'increasing';
  if (change < -0.2) return 'decreasing';
  return 'stable';
}
