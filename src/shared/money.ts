/*
 * Amounts in US dollars (a run's cost, a task's, a report's totals) are sums of floats: 0.00152 + 0.00336 is
 * 0.004880000000000001. Where they are shown as numbers (`--json`), they are rounded to a millionth of a cent, which
 * takes the noise away and changes no amount a model's price can make.
 */

/** The fields that hold dollars, wherever they are in a result (a task's, a run's, a report's). */
export const MONEY_FIELDS: ReadonlySet<string> = new Set(['cost_usd', 'total_cost_usd', 'total_cost', 'spent_usd']);

export function roundMoney(usd: number): number {
  return Math.round(usd * 1e8) / 1e8;
}
