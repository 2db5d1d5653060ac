import { Cron } from 'croner';
import { invalid } from '../../shared/errors';

const DAILY = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** "09:00" means every day at 09:00 local time; anything else must be a cron expression. */
export function toCronPattern(schedule: string): string {
  const daily = DAILY.exec(schedule.trim());
  if (daily) return `${Number(daily[2])} ${Number(daily[1])} * * *`;
  return schedule.trim();
}

/** The next time a schedule is due after `from`; throws a user error for a bad schedule. */
export function nextDue(schedule: string, from: Date): Date {
  let cron: Cron;
  try {
    cron = new Cron(toCronPattern(schedule), { paused: true });
  } catch (error) {
    throw invalid(`bad schedule '${schedule}': ${error instanceof Error ? error.message : String(error)}`);
  }
  const next = cron.nextRun(from);
  if (!next) throw invalid(`schedule '${schedule}' never fires`);
  return next;
}
