import type { EvaluationRecord } from '../../shared/agency';
import type { TaskEvaluations } from '../../shared/ops/domains/evaluation-ops';
import type { Evaluation } from '../../shared/task';
import { table } from '../table';
import { evaluationLines } from '../task-page';
import type { Formatters } from './formatters';

/** Evaluations: one run or recorded, and a task's or the project's list of them. */

export const evaluationFormatters: Formatters = {
  'eval:show': (result, _term, input) => ('evaluations' in result ? taskEvaluationsText(result) : evaluationHistoryText(result, input)),
  'eval:run': (run) =>
    run.prompt ??
    (run.evaluation
      ? [`Evaluated '${run.task_id}' (now ${run.status})`, evaluationText(run.evaluation)].join('\n')
      : `No score recorded for '${run.task_id}' (see wg show ${run.task_id})`),
  'eval:record': (task, _term, input) =>
    [
      `Recorded evaluation for task '${task.id}'`,
      `  Score:  ${Number(input.score).toFixed(2)}`,
      `  Source: ${typeof input.source === 'string' ? input.source : 'manual'}`,
    ].join('\n'),
};

function evaluationText(evaluation: Evaluation | null): string {
  return evaluation ? evaluationLines(evaluation).join('\n') : 'not evaluated';
}

const agentShort = (id: string | null) => (id ? id.slice(0, 10) : '-');

/** Upstream's `wg evaluate show TASK`: each evaluation's score, source, agent and time, its dimensions under it. */
function taskEvaluationsText(result: TaskEvaluations): string {
  const lines = [`=== Evaluations for task '${result.task_id}' ===`, '', `Evaluations (${result.evaluations.length}):`];
  if (result.evaluations.length === 0) lines.push('  (none)');
  for (const e of result.evaluations) {
    lines.push(`  Score: ${e.score.toFixed(3)}  Source: ${e.source}  Agent: ${agentShort(e.agent_id)}  ${e.timestamp}`);
    for (const [dim, value] of Object.entries(e.dimensions)) lines.push(`    ${dim}: ${value.toFixed(3)}`);
  }
  return lines.join('\n');
}

/** Upstream's `wg evaluate show`: a table of the evaluations, newest first, and their count. */
function evaluationHistoryText(records: readonly EvaluationRecord[], _input: Readonly<Record<string, unknown>>): string {
  if (records.length === 0) return 'No evaluations found.';
  const rows = records.map((e) => [e.task_id.slice(0, 18), e.score.toFixed(2), e.source.slice(0, 14), agentShort(e.agent_id), e.timestamp]);
  return `${table([['Task', 'Score', 'Source', 'Agent', 'Timestamp'], ...rows])}\n\n${records.length} evaluation(s)`;
}
