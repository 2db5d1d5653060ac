import type { Evaluation } from '../../shared/task';
import { formatDate } from '../components/format';
import { percent, scoreColour } from '../components/status';

/** A 0..1 score as a labelled horizontal bar (a meter for assistive technology); `compact` hides the label visually. */
export function ScoreBar({ label, score, compact = false }: { label: string; score: number; compact?: boolean }) {
  return (
    <div className={compact ? 'score-bar compact' : 'score-bar'}>
      {!compact && <span className="score-bar-label">{label}</span>}
      <div
        className="score-bar-track"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={1}
        aria-valuenow={score}
        aria-valuetext={percent(score)}
      >
        <div className="score-bar-fill" style={{ width: percent(score), background: scoreColour(score) }} />
      </div>
      <span className="score-bar-value">{percent(score)}</span>
    </div>
  );
}

/** The overall score and one bar per dimension, with who evaluated and their notes. */
export function EvaluationBars({ evaluation }: { evaluation: Evaluation }) {
  const dimensions = Object.entries(evaluation.dimensions).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="evaluation">
      <ScoreBar label="overall" score={evaluation.score} />
      {dimensions.map(([name, score]) => (
        <ScoreBar key={name} label={name} score={score} />
      ))}
      <div className="muted small">
        {evaluation.evaluator ? `by ${evaluation.evaluator}, ` : ''}
        {formatDate(evaluation.timestamp)}
      </div>
      {evaluation.notes && <p className="evaluation-notes">{evaluation.notes}</p>}
    </div>
  );
}
