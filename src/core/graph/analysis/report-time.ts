/** Whole days from `iso` to `now`, truncated toward zero as upstream's chrono `num_days`; null: no time, or not one. */
export function daysSince(iso: string | null, now: Date): number | null {
  const ms = msSince(iso, now);
  return ms === null ? null : Math.trunc(ms / DAY_MS);
}

/** Milliseconds from `iso` to `now`; null when `iso` is absent or not a time. */
export function msSince(iso: string | null, now: Date): number | null {
  if (iso === null || iso === '') return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : now.getTime() - at;
}

export const DAY_MS = 86_400_000;
