import type { Performance } from '../../shared/agency';
import { ScoreBar, dimensionLabel } from '../inspector/EvaluationBars';

/** The average score as a compact bar, or a dash when nothing was evaluated yet. */
export function AverageScore({ performance, label }: { performance: Performance; label: string }) {
  if (performance.avg_score === null)
    return (
      <span className="muted" title="not evaluated yet">
        —
      </span>
    );
  return <ScoreBar label={label} score={performance.avg_score} compact />;
}

/** One bar per evaluation dimension (averaged over the evaluations that scored it). */
export function DimensionBars({ performance }: { performance: Performance }) {
  const dimensions = Object.entries(performance.dimensions);
  if (performance.evaluations === 0) return <p className="muted small">No evaluations yet.</p>;
  return (
    <div className="evaluation score-bars">
      <ScoreBar label={`overall (${performance.evaluations})`} score={performance.avg_score ?? 0} />
      {dimensions.map(([name, score]) => (
        <ScoreBar key={name} label={dimensionLabel(name)} score={score} />
      ))}
    </div>
  );
}
