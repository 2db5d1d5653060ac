import { invalid } from '../../shared/errors';

/*
 * Upstream's `parse_duration`, which `wg gc --older` and `wg archive --older` share:
 * a whole number with `d`, `w` or `h` ("30d", "2w", "24h"), days when the unit is left out. Not
 * shared/durations.ts's parseAge (`wg worktree gc --older`, seconds when the unit is left out): upstream
 * reads the two flags with two parsers, and each keeps its own.
 */

const HOUR_MS = 3_600_000;
const UNIT_MS: Record<string, number> = { h: HOUR_MS, d: 24 * HOUR_MS, w: 7 * 24 * HOUR_MS };

/** The duration in milliseconds; upstream's words for what it refuses. */
export function parseCleanupAge(text: string): number {
  const s = text.trim();
  if (s === '') throw invalid('Empty duration string');
  const unit = /[dwh]$/.test(s) ? s.slice(-1) : 'd';
  const number = /[dwh]$/.test(s) ? s.slice(0, -1) : s;
  // Rust's i64 parse takes a sign, and upstream then collects every failed and abandoned task for `-1d`, however
  // recent: a negative age is refused here (gc cannot be undone).
  if (/^-\d+$/.test(number)) throw invalid(`--older takes an age, not '${s}': a whole number of hours, days or weeks (24h, 30d, 2w)`);
  if (!/^\+?\d+$/.test(number)) {
    throw invalid(`Invalid number in duration: '${number}' (--older takes a whole number of hours, days or weeks: 24h, 30d, 2w)`);
  }
  return Number(number) * (UNIT_MS[unit] as number);
}

/** Whether an RFC 3339 time is more than `ageMs` before `now`; an unreadable time is never old enough. */
export function olderThan(iso: string | null | undefined, ageMs: number, now: Date): boolean {
  if (!iso) return false;
  const at = Date.parse(iso);
  return !Number.isNaN(at) && now.getTime() - at > ageMs;
}
