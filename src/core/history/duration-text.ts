/*
 * Durations as upstream prints them: `wg trace` ("45s", "2m 5s", "1h 1m") and `wg stats`
 * ("1m30s", "1h", "1h1m").
 */

export function traceDuration(secs: number): string {
  if (secs < 60) return `${secs}s`;
  if (secs < 3600) return `${Math.trunc(secs / 60)}m ${secs % 60}s`;
  return `${Math.trunc(secs / 3600)}h ${Math.trunc((secs % 3600) / 60)}m`;
}

export function statsDuration(secs: number): string {
  if (secs < 60) return `${secs}s`;
  if (secs < 3600) return `${Math.trunc(secs / 60)}m${secs % 60}s`;
  const h = Math.trunc(secs / 3600);
  const m = Math.trunc((secs % 3600) / 60);
  return m > 0 ? `${h}h${m}m` : `${h}h`;
}

/** Whole seconds from one RFC 3339 time to another (chrono's num_seconds: toward zero); null when either is unreadable. */
export function secondsBetween(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) return null;
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return Math.trunc((b - a) / 1000);
}
