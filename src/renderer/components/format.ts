/** Display helpers shared by the views. */

/**
 * The languages the person's system asks for, most wanted first (the browser's, as Electron takes
 * them from the system): dates and times are written their way, not in the runtime's default.
 */
export function userLocales(): string[] | undefined {
  const languages = typeof navigator === 'undefined' ? undefined : navigator.languages;
  return languages && languages.length > 0 ? [...languages] : undefined;
}

let dateFormat: { key: string; format: Intl.DateTimeFormat } | null = null;

/** A date and time in the person's locale ("2 Jun 2025, 09:00" in en-GB, "2. Juni 2025, 09:00" in de). */
export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const locales = userLocales();
  const key = locales?.join(',') ?? '';
  if (dateFormat?.key !== key) dateFormat = { key, format: new Intl.DateTimeFormat(locales, { dateStyle: 'medium', timeStyle: 'short' }) };
  return dateFormat.format.format(date);
}

/** "42s", "4m12s", "1h05m", "2d3h": compact, as elapsed times and durations are shown. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}

/** Seconds from `from` to `to` (or now). */
export function secondsBetween(from: string, to: string | null, now: number = Date.now()): number {
  const end = to ? Date.parse(to) : now;
  return (end - Date.parse(from)) / 1000;
}

const RELATIVE_STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Infinity],
];

/** "3 min ago", "in 2 hr", "just now": how far `iso` is from `now`, in words. */
export function formatRelative(iso: string | null, now: number = Date.now()): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return iso;
  let value = (at - now) / 1000;
  if (Math.abs(value) < 10) return 'just now';
  const format = new Intl.RelativeTimeFormat(userLocales(), { numeric: 'auto', style: 'short' });
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return format.format(Math.round(value), 'year');
}

/**
 * A cost in dollars. `tokens`: what the run used; tokens with a cost of 0 had no price (a model with
 * no cost_in/cost_out, a CLI that reports none): the cost is unknown, not $0.00 (as `wg show` says).
 */
export function formatCost(usd: number | null, tokens = 0): string {
  if (usd === null) return '—';
  if (usd === 0 && tokens > 0) return 'unknown';
  return usd < 0.01 && usd > 0 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatTokens(count: number | null): string {
  if (count === null) return '—';
  return count >= 10_000 ? `${(count / 1000).toFixed(1)}k` : String(count);
}
