import type { CSSProperties } from 'react';
import type { Evaluation } from '../../shared/task';
import { formatDate } from '../components/format';
import { percent, scoreColour } from '../components/status';
import { useEvalThreshold } from '../state/project-facts';

/** A 0..1 score as a labelled horizontal bar (a <meter>, coloured by the score); `compact` hides the label visually. */
export function ScoreBar({ label, score, compact = false }: { label: string; score: number; compact?: boolean }) {
  const threshold = useEvalThreshold();
  return (
    <div className={compact ? 'score-bar compact' : 'score-bar'}>
      {!compact && <span className="score-bar-label">{label}</span>}
      <meter
        className="score-bar-track"
        min={0}
        max={1}
        value={score}
        aria-label={label}
        aria-valuetext={percent(score)}
        style={{ '--score-colour': scoreColour(score, threshold) } as CSSProperties}
      />
      <span className="score-bar-value">{percent(score)}</span>
    </div>
  );
}

/** "blocking_impact" → "blocking impact", as seed 004 shows the dimensions. */
export const dimensionLabel = (name: string) => name.replace(/_/g, ' ');

/** The overall score with the evaluator's notes right under it, who scored it, then one bar per dimension. */
export function EvaluationBars({ evaluation }: { evaluation: Evaluation }) {
  const dimensions = Object.entries(evaluation.dimensions).sort(([a], [b]) => a.localeCompare(b));
  const by = [evaluation.evaluator, evaluation.source === 'manual' ? 'by hand' : null].filter(Boolean).join(', ');
  return (
    <div className="evaluation score-bars">
      <ScoreBar label="overall" score={evaluation.score} />
      {evaluation.notes && <p className="evaluation-notes">{evaluation.notes}</p>}
      <div className="muted small evaluation-by">
        {by ? `by ${by} · ` : ''}
        {formatDate(evaluation.timestamp)}
      </div>
      {dimensions.map(([name, score]) => (
        <ScoreBar key={name} label={dimensionLabel(name)} score={score} />
      ))}
    </div>
  );
}
