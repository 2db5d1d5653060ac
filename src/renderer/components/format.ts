/** Display helpers shared by the views. */

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Seconds from `from` to `to` (or now). */
export function secondsBetween(from: string, to: string | null, now: number = Date.now()): number {
  const end = to ? Date.parse(to) : now;
  return (end - Date.parse(from)) / 1000;
}

export function formatCost(usd: number | null): string {
  if (usd === null) return '—';
  return usd < 0.01 && usd > 0 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatTokens(count: number | null): string {
  if (count === null) return '—';
  return count >= 10_000 ? `${(count / 1000).toFixed(1)}k` : String(count);
}
