import type { DaySpend } from '../../shared/history';

/** A day with nothing spent, for the gaps of the chart. */
const empty = (date: string): DaySpend => ({
  date,
  total_cost: 0,
  total_input_tokens: 0,
  total_output_tokens: 0,
  task_count: 0,
  run_count: 0,
});

/** The last `count` days (UTC) up to `today`, each with its spend or none: the chart's columns. */
export function lastDays(days: readonly DaySpend[], today: Date, count: number): DaySpend[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const out: DaySpend[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - back)).toISOString().slice(0, 10);
    out.push(byDate.get(date) ?? empty(date));
  }
  return out;
}

/** A round top for the chart's scale (1, 2, 2.5 or 5 times a power of ten) at or above the largest value. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
