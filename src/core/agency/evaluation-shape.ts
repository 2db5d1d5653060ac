import type { EvaluationRecord } from '../../shared/agency';
import type { TraceEvaluation } from '../../shared/history';

/** The id (and file name) of an evaluation this app recorded: by its task and time, as upstream names its own. */
export function evaluationIdOf(taskId: string, timestamp: string): string {
  return `eval-${taskId}-${timestamp.replace(/:/g, '-')}`;
}

/** Upstream's serde_json `Evaluation` of a recorded evaluation, with the id upstream names its file by. */
export function upstreamEvaluation(e: EvaluationRecord): TraceEvaluation {
  // An imported one keeps its own id, so an export beside upstream's file rewrites that file instead of adding a second.
  const id = e.upstream_id ?? evaluationIdOf(e.task_id, e.timestamp);
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
    ...(e.loop_iteration > 0 ? { loop_iteration: e.loop_iteration } : {}),
  };
}
