import { join } from 'node:path';
import { upstreamDuration } from '../../shared/durations';
import type { MemoryInclusions, RunSummary, TraceFunction } from '../../shared/functions';
import { functionsDir, loadRuns, runsFile } from './function-files';
import { renderValue } from './function-inputs';

/*
 * Upstream's trace memory (an adaptive function, version 3): the function's past runs, rendered into
 * `{{memory.run_summaries}}` of its templates when it is applied, so the next application learns from them.
 */

const NO_RUNS = 'No previous runs recorded.';

/** Upstream's render_run_summaries, with what the function's memory settings include. */
export function renderRunSummaries(runs: readonly RunSummary[], include: MemoryInclusions): string {
  if (runs.length === 0) return NO_RUNS;
  const lines = [`=== ${runs.length} Previous Run(s) ===`];
  runs.forEach((run, i) => {
    lines.push('', `--- Run ${i + 1} (prefix: ${run.prefix}) ---`, `  Applied: ${run.applied_at}`);
    const inputs = Object.entries(run.inputs).map(([k, v]) => {
      const text = renderValue(v);
      return `${k}=${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
    });
    if (inputs.length > 0) lines.push(`  Inputs: ${inputs.join(', ')}`);
    if (include.outcomes) {
      const done = run.task_outcomes.filter((t) => t.status === 'Done').length;
      const failed = run.task_outcomes.filter((t) => t.status === 'Failed').length;
      lines.push(
        `  Outcome: ${run.all_succeeded ? 'SUCCESS' : 'PARTIAL'} (${done}/${run.task_outcomes.length} succeeded, ${failed} failed)`,
      );
    }
    if (include.scores && run.avg_score !== undefined) lines.push(`  Avg Score: ${run.avg_score.toFixed(2)}`);
    if (include.duration && run.wall_clock_secs !== undefined) lines.push(`  Duration: ${upstreamDuration(run.wall_clock_secs)}`);
    if (include.interventions && run.interventions.length > 0) {
      lines.push(`  Interventions: ${run.interventions.length}`);
      for (const i of run.interventions) lines.push(`    - ${i.kind} on ${i.task_id}: ${i.description ?? '(no description)'}`);
    }
    if (include.retries) {
      const retries = run.task_outcomes.reduce((sum, t) => sum + t.retry_count, 0);
      if (retries > 0) lines.push(`  Total Retries: ${retries}`);
    }
    if (include.artifacts && run.task_outcomes.length > 0) lines.push(`  Tasks: ${run.task_outcomes.map((t) => t.task_id).join(', ')}`);
  });
  return lines.join('\n');
}

/** What replaces `{{memory.run_summaries}}` when the function is applied: nothing below version 3. */
export function memoryText(wgDir: string, func: TraceFunction): string {
  if (func.version < 3) return '';
  const memory = func.memory;
  if (!memory) return NO_RUNS;
  const path = memory.storage_path ? join(wgDir, memory.storage_path) : runsFile(functionsDir(wgDir), func.id);
  return renderRunSummaries(loadRuns(path, memory.max_runs), memory.include);
}
