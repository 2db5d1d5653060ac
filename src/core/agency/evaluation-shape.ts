import type { EvaluationRecord } from '../../shared/agency';
import type { TraceEvaluation } from '../../shared/history';

/** Upstream's serde_json `Evaluation` of a recorded evaluation, with the id upstream names its file by. */
export function upstreamEvaluation(e: EvaluationRecord): TraceEvaluation {
  const id = `eval-${e.task_id}-${e.timestamp.replace(/:/g, '-')}`;
  return {
    id,
    task_id: e.task_id,
    ...(e.agent_id ? { agent_id: e.agent_id } : {}),
    role_id: e.role_id ?? '',
    tradeoff_id: e.tradeoff_id ?? '',
    score: e.score,
    ...(Object.keys(e.dimensions).length > 0 ? { dimensions: e.dimensions } : {}),
    notes: e.notes ?? '',
    evaluator: e.evaluator ?? '',
    timestamp: e.timestamp,
    ...(e.model ? { model: e.model } : {}),
    source: e.source,
  };
}
