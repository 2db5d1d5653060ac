import { countdownText } from '../shared/durations';
import { readyAfterMs, TERMINAL_STATUSES, type Task, type TaskSummary } from '../shared/task';
import { repeats, toCronPattern } from '../core/graph/schedule';

/*
 * The markers upstream's `wg list` and `wg show` give a person beside a task's status: for its time, when it may
 * start (`not_before`, a schedule's next run), the delay upstream set (`ready_after`), its cron schedule; and
 * whether it is paused.
 */

const secondsUntil = (ms: number, nowMs: number) => Math.floor((ms - nowMs) / 1000);

/**
 * Upstream's list hints: " [V!2]" (its verify command failed twice, a count kept from upstream's graph),
 * " [delayed 5m 30s]", " [ready in 30s]", " [cron: 0 9 * * *]"; each only when it applies.
 */
export function listMarkers(task: Pick<TaskSummary, 'not_before' | 'schedule' | 'extra'>, nowMs: number): string {
  let marks = '';
  const verifyFailures = task.extra.verify_failures;
  if (typeof verifyFailures === 'number' && verifyFailures > 0) marks += ` [V!${verifyFailures}]`;
  const notBefore = task.not_before === null ? Number.NaN : Date.parse(task.not_before);
  if (notBefore > nowMs) marks += ` [delayed ${countdownText(secondsUntil(notBefore, nowMs))}]`;
  const readyAfter = readyAfterMs(task.extra);
  if (readyAfter !== null && readyAfter > nowMs) marks += ` [ready in ${countdownText(secondsUntil(readyAfter, nowMs))}]`;
  if (task.schedule !== null && repeats(task.schedule)) marks += ` [cron: ${toCronPattern(task.schedule)}]`;
  return marks;
}

/** Upstream's show countdown after a time: " (in 5m 0s)", " (elapsed)", or '' for a time it cannot read. */
export function countdownAfter(iso: string, nowMs: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  return at <= nowMs ? ' (elapsed)' : ` (in ${countdownText(secondsUntil(at, nowMs))})`;
}

/**
 * " (paused)" after the status of a task that waits to be resumed; a finished one is not (`wg done` of a
 * paused task would print "done (paused)").
 */
export const pausedMark = (task: Pick<Task, 'paused' | 'status'>): string =>
  task.paused && !TERMINAL_STATUSES.includes(task.status) ? ' (paused)' : '';
