/**
 * Durations in config.toml and on the command line: a number in the setting's own unit (upstream's
 * `heartbeat_timeout = 5` is minutes, `poll_interval = 60` seconds), or a number with a unit as
 * upstream writes them elsewhere ("90s", "5m", "1h", "2d"; `parse_delay`).
 */
export type DurationUnit = 'seconds' | 'minutes';

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const PER_UNIT: Record<DurationUnit, number> = { seconds: 1, minutes: 60 };
const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([smhd])?\s*$/;

export const DURATION_HINT = 'a number, or a number with s, m, h or d ("90s", "5m")';

/** The duration in `unit`, or null when it is not one. */
export function parseDuration(value: unknown, unit: DurationUnit): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const match = PATTERN.exec(value);
  if (!match) return null;
  const amount = Number(match[1]);
  if (match[2] === undefined) return amount;
  return (amount * (SECONDS[match[2]] as number)) / PER_UNIT[unit];
}

/** "5 minutes", "90 seconds", "1.5 minutes". */
export function formatDuration(value: number, unit: DurationUnit): string {
  const singular = unit.slice(0, -1);
  return `${Number(value.toFixed(3))} ${value === 1 ? singular : unit}`;
}

/** Upstream's `format_duration(secs, false)`: 45s, 7m 30s, 3h 45m, 2d 12h. */
export function upstreamDuration(secs: number): string {
  if (secs < 60) return `${secs}s`;
  if (secs < 3600) return secs % 60 > 0 ? `${Math.floor(secs / 60)}m ${secs % 60}s` : `${secs / 60}m`;
  if (secs < 86_400) {
    const mins = Math.floor((secs % 3600) / 60);
    return mins > 0 ? `${Math.floor(secs / 3600)}h ${mins}m` : `${Math.floor(secs / 3600)}h`;
  }
  const hours = Math.floor((secs % 86_400) / 3600);
  return hours > 0 ? `${Math.floor(secs / 86_400)}d ${hours}h` : `${Math.floor(secs / 86_400)}d`;
}

/**
 * Upstream's `parse_delay` (`--delay`, `--timeout`, `--cycle-delay`): a whole number with s, m, h or d
 * ("30s", "5m", "1h", "7d"), in seconds; null when it is not one (no bare number, no fraction).
 */
export function parseDelaySeconds(text: string): number | null {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) return null;
  const seconds = Number(match[1]) * (SECONDS[match[2] as string] as number);
  return Number.isSafeInteger(seconds) ? seconds : null;
}

/**
 * Upstream's `--not-before` (ISO 8601): a time with its offset ("2026-05-01T09:00:00Z", "…+02:00"), or one
 * without, read as UTC as upstream reads it ("2026-05-01T09:00:00"); null when it is neither.
 */
export function parseUtcTimestamp(text: string): Date | null {
  const value = text.trim();
  const withOffset = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value);
  const naive = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value);
  if (!withOffset && !naive) return null;
  if (!realDate(value)) return null;
  const ms = Date.parse(naive ? `${value}Z` : value.replace(' ', 'T'));
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * The date and time as written ("2026-02-28T09:00", seconds and time of day optional) exist: Date.parse would carry
 * "02-30" into March, as upstream's chrono does not.
 */
export function realDate(value: string): boolean {
  const [y, m, d, h = 0, min = 0, s = 0] = (value.match(/\d+/g) ?? []).map(Number) as number[];
  const day = new Date(Date.UTC(y as number, (m as number) - 1, d as number));
  return day.getUTCMonth() === (m as number) - 1 && day.getUTCDate() === d && h < 24 && min < 60 && s < 60;
}

/** Upstream's `--older` of `wg worktree gc` (parse_duration): seconds, or a whole number with s, m, h, d or w; null otherwise. */
export function parseAge(text: string): number | null {
  const match = /^(\d+)([smhdw])?$/.exec(text.trim());
  if (!match) return null;
  const seconds = Number(match[1]) * (match[2] === 'w' ? 604_800 : match[2] ? (SECONDS[match[2]] as number) : 1);
  return Number.isSafeInteger(seconds) ? seconds : null;
}

/** Upstream's `format_duration(secs, true)`, as `wg viz` shows an age or a delay: 45s, 7m, 3h, 2d, 3mo, 1y. */
export function compactDuration(secs: number): string {
  if (secs < 60) return `${secs}s`;
  if (secs < 3600) return `${Math.floor(secs / 60)}m`;
  if (secs < 86_400) return `${Math.floor(secs / 3600)}h`;
  const days = Math.floor(secs / 86_400);
  if (days >= 365) return `${Math.floor(days / 365)}y`;
  return days >= 30 ? `${Math.floor(days / 30)}mo` : `${days}d`;
}

/** The countdown upstream's `wg list` and `wg show` print for a time to come: 45s, 7m 0s, 3h 5m, 2d 1h. */
export function countdownText(secs: number): string {
  if (secs < 60) return `${secs}s`;
  if (secs < 3600) return `${Math.floor(secs / 60)}m ${secs % 60}s`;
  if (secs < 86_400) return `${Math.floor(secs / 3600)}h ${Math.floor((secs % 3600) / 60)}m`;
  return `${Math.floor(secs / 86_400)}d ${Math.floor((secs % 86_400) / 3600)}h`;
}

/**
 * Upstream's format_hours: whole hours without decimals, else one decimal, rounded as Rust's `{:.1}` rounds: an exact
 * tie goes to the even digit (8.25 → "8.2", 47.25 → "47.2"), where `toFixed` would round it up. A tie is exact only
 * when the number's own decimal expansion ends in that 5 (0.35 is a little under, and is "0.3" either way).
 */
export function formatHours(hours: number): string {
  if (Number.isInteger(hours)) return String(hours);
  const tie = /^(-?\d+)\.(\d)50*$/.exec(hours.toFixed(20));
  if (tie && Number(tie[2]) % 2 === 0) return `${tie[1]}.${tie[2]}`;
  return hours.toFixed(1);
}
