import { Cron } from 'croner';
import { invalid } from '../../shared/errors';
import { realDate } from '../../shared/durations';

const DAILY = /^([01]?\d|2[0-3]):([0-5]\d)$/;
/** A date and time ("2026-12-01T09:00", local unless it names a zone): one run, not a repeating schedule. */
const ONE_OFF = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function isOneOff(schedule: string): boolean {
  return ONE_OFF.test(schedule.trim());
}

/** "09:00" and cron expressions repeat: the task runs each time it is due. */
export function repeats(schedule: string): boolean {
  return !isOneOff(schedule);
}

/** "09:00" means every day at 09:00 local time; anything else (not a one-off time) must be a cron expression. */
export function toCronPattern(schedule: string): string {
  const daily = DAILY.exec(schedule.trim());
  if (daily) return `${Number(daily[2])} ${Number(daily[1])} * * *`;
  return schedule.trim();
}

/**
 * A repeating schedule as upstream's cron_schedule says it, which upstream reads in UTC: a cron expression as it is;
 * "09:00" (local time) as the UTC time of day of its next run (`next`, the task's not_before; else worked out now).
 * Where the local offset changes (summer time), the next run's own time is written then.
 */
export function upstreamCron(schedule: string, next: string | null): string {
  const daily = DAILY.exec(schedule.trim());
  if (!daily) return schedule.trim();
  const at = next !== null && !Number.isNaN(Date.parse(next)) ? new Date(next) : nextDue(schedule, new Date());
  return `${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
}

function oneOffTime(schedule: string): Date {
  const text = schedule.trim().replace(' ', 'T');
  const at = new Date(text);
  if (Number.isNaN(at.getTime()) || !realDate(text)) throw invalid(`schedule '${schedule}' is not a real date and time`);
  return at;
}

/**
 * The next time a schedule is due after `from` (a one-off time: that time, even if past, so it
 * runs at once); throws a user error for a bad schedule. A cron expression is read in UTC, as
 * upstream's `calculate_next_fire` reads it (`Schedule::after` from `Utc::now()`): `wg add --cron`, `--schedule`
 * and graph.jsonl's `cron_schedule` are one string in both tools, so it fires at the same times in
 * both. "09:00", this app's own form, is the local time of day a person means.
 */
export function nextDue(schedule: string, from: Date): Date {
  if (isOneOff(schedule)) return oneOffTime(schedule);
  const next = cronOf(schedule).nextRun(from);
  if (!next) throw invalid(`schedule '${schedule}' never fires`);
  return next;
}

/** A repeating schedule as croner reads it: cron in UTC, "09:00" in local time (see nextDue). */
function cronOf(schedule: string): Cron {
  const daily = DAILY.test(schedule.trim());
  try {
    return new Cron(toCronPattern(schedule), daily ? { paused: true } : { paused: true, utcOffset: 0 });
  } catch {
    throw invalid(
      `schedule '${schedule}' is not a time of day ("09:00"), a cron expression ("*/15 * * * *") or a date and time ("2026-12-01T09:00")`,
    );
  }
}

/**
 * Fires looked at for the shortest gap: a cron expression fires at every combination of its fields'
 * values, so the smallest gap is between neighbours of its finest field with more than one value
 * (at most 60 of them), and it shows within the first complete round of that field.
 */
const FIRES_LOOKED_AT = 130;

/** The shortest time between two fires of a repeating schedule, in milliseconds; null for a one-off time or one that fires once. */
export function shortestInterval(schedule: string, from: Date): number | null {
  if (isOneOff(schedule)) return null;
  const fires = cronOf(schedule).nextRuns(FIRES_LOOKED_AT, from);
  let shortest: number | null = null;
  for (let i = 1; i < fires.length; i++) {
    const gap = (fires[i] as Date).getTime() - (fires[i - 1] as Date).getTime();
    if (shortest === null || gap < shortest) shortest = gap;
  }
  return shortest;
}
