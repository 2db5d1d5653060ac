import type { EvaluationRecord } from '../../shared/agency';

export interface HistoryFilter {
  task?: string;
  agent?: string;
  source?: string;
  limit?: number;
}

/** Upstream's `--source` pattern: exact, or with one `*` a prefix and a suffix (`outcome:*`). */
function sourceMatches(pattern: string, source: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 2) return source.startsWith(parts[0] as string) && source.endsWith(parts[1] as string);
  return source === pattern;
}

const newestFirst = (a: EvaluationRecord, b: EvaluationRecord) =>
  a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : b.id - a.id;

/** Upstream's `wg evaluate show` filters: by task and agent id prefix, by source, newest first, at most `limit`. */
export function evaluationHistory(records: readonly EvaluationRecord[], filter: HistoryFilter): EvaluationRecord[] {
  const kept = records
    .filter((e) => filter.task === undefined || e.task_id.startsWith(filter.task))
    .filter((e) => filter.agent === undefined || (e.agent_id ?? '').startsWith(filter.agent))
    .filter((e) => filter.source === undefined || sourceMatches(filter.source, e.source))
    .sort(newestFirst);
  return filter.limit === undefined ? kept : kept.slice(0, filter.limit);
}

/** Upstream's `wg evaluate show TASK`: the evaluations of that task (or of tasks its id starts), newest first. */
export function taskEvaluations(records: readonly EvaluationRecord[], task: string): EvaluationRecord[] {
  return records.filter((e) => e.task_id === task || e.task_id.startsWith(task)).sort(newestFirst);
}
