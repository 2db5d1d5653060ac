import type { Evaluation } from '../../../shared/task';

/** Mean score per dimension over many evaluations (each dimension over the tasks that have it). */
export function dimensionAverages(evaluations: readonly Evaluation[]): Array<{ name: string; mean: number; count: number }> {
  const sums = new Map<string, { total: number; count: number }>();
  for (const evaluation of evaluations) {
    for (const [name, score] of Object.entries(evaluation.dimensions)) {
      const sum = sums.get(name) ?? { total: 0, count: 0 };
      sum.total += score;
      sum.count += 1;
      sums.set(name, sum);
    }
  }
  return [...sums].map(([name, { total, count }]) => ({ name, mean: total / count, count })).sort((a, b) => a.name.localeCompare(b.name));
}

export function meanScore(evaluations: readonly Evaluation[]): number | null {
  if (evaluations.length === 0) return null;
  return evaluations.reduce((sum, evaluation) => sum + evaluation.score, 0) / evaluations.length;
}
