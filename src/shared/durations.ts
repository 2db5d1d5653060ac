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
