import { filterAsync } from '../../shared/async-arrays';
import { invalid, WgError } from '../../shared/errors';
import type { ResetDirection, ResetReport } from '../../shared/surgery';
import { debugStatus } from '../graph/analysis/task-index';
import { checkReport, endHolder, PERSON } from '../store/run-reports';
import type { StoreCore } from '../store/store-core';
import { findTaskRow, listTaskSummaries } from '../store/task-reads';
import { removeTasks } from '../store/task-removal';
import { appendLog, reopen, type Transition } from '../store/task-writes';
import { WorktreeRecords } from '../store/worktree-records';
import { edgesOf, metaAttachedTo, resetClosure } from './reset-closure';

/*
 * Upstream's `wg reset`: a tangled part of the graph back to a fresh start in one transaction. Each task
 * of the closure is opened again with its completion, failure, retry count and claim cleared (the log
 * kept, one line added); with `alsoStripMeta` the system tasks attached to it are deleted, so the
 * coordinator makes fresh ones. A run still working on one of them ends (upstream leaves that to a
 * separate `wg kill`; here nothing a run started outlives its task being taken from it). More than one
 * task changed needs `yes`; a dry run changes nothing.
 */

export interface ResetRequest {
  seeds: string[];
  direction: ResetDirection;
  alsoStripMeta: boolean;
  dryRun: boolean;
  yes: boolean;
}

/** Upstream's `{:?}` of its Direction. */
const DIRECTION_NAMES: Record<ResetDirection, string> = { forward: 'Forward', backward: 'Backward', both: 'Both' };
export const directionName = (direction: ResetDirection) => DIRECTION_NAMES[direction];

/** Who the log line and the run's end name. */
const RESET_ACTOR = 'reset';

async function plan(core: StoreCore, request: ResetRequest): Promise<{ closure: string[]; meta: string[] }> {
  const missing = await filterAsync(request.seeds, async (seed) => !(await findTaskRow(core, seed)));
  if (missing.length > 0) throw new WgError('not_found', `seed task(s) not found: ${missing.join(', ')}`);
  const edges = edgesOf(await listTaskSummaries(core));
  const closure = resetClosure(edges, request.seeds, request.direction);
  return { closure, meta: request.alsoStripMeta ? metaAttachedTo(edges, closure) : [] };
}

/** Who did a reset, and with which command: named in the task's log and in the end of a run it stops. */
export interface ResetBy {
  actor: string;
  command: string;
}

/**
 * One task opened again as `wg reset` opens it, in the caller's transaction: a run still on it ended, completion,
 * failure, retry count and claim cleared (the log kept, one line added), its worktree's work no longer awaiting a
 * score; `change` clears more (`wg replay` clears the artifacts and a pause). False when there is no such task.
 */
export async function resetTask(
  core: StoreCore,
  id: string,
  rev: number,
  by: ResetBy,
  change: Pick<Transition, 'artifacts' | 'paused'> = {},
): Promise<boolean> {
  const row = await findTaskRow(core, id);
  if (!row) return false;
  const verdict = await checkReport(core, PERSON, row, 'fail');
  if (verdict.ok) await endHolder(core, verdict.holder, PERSON, 'killed', `task reset by ${by.actor} (${by.command})`, rev);
  await reopen(core, row, rev, { completed_at: null, failure_reason: null, retry_count: 0, ...change });
  const claim = row.assigned ? ` (cleared claim from @${row.assigned})` : '';
  await appendLog(core, id, RESET_ACTOR, `reset via \`${by.command}\`; was ${debugStatus(row.status)}${claim}`);
  // Its work no longer awaits a score: unmerged work like any other, kept for the next attempt.
  const worktrees = new WorktreeRecords(core);
  const worktree = await worktrees.newestForTask(id);
  if (worktree?.state === 'awaiting-eval') await worktrees.update(worktree.id, { state: 'active' }, rev);
  return true;
}

export async function resetGraph(core: StoreCore, request: ResetRequest, actor: string): Promise<ResetReport> {
  const report = (closure: string[], meta: string[], counts: { reset: number; stripped: number }): ResetReport => ({
    seeds: request.seeds,
    direction: request.direction,
    closure,
    meta_to_strip: meta,
    was_dry_run: request.dryRun,
    reset_count: counts.reset,
    stripped_count: counts.stripped,
  });
  if (request.dryRun) {
    const { closure, meta } = await core.read(() => plan(core, request));
    return report(closure, meta, { reset: 0, stripped: 0 });
  }
  return core.write(async (rev) => {
    const { closure, meta } = await plan(core, request);
    const destructive = closure.length + meta.length;
    if (destructive > 1 && !request.yes) {
      throw invalid(`refusing to reset ${destructive} tasks without --yes (use --dry-run first to preview, then re-run with --yes)`);
    }
    const seeds = request.seeds.join(',');
    let reset = 0;
    for (const id of closure) {
      if (await resetTask(core, id, rev, { actor, command: `wg reset ${seeds}` })) reset++;
    }
    for (const id of meta) {
      const row = await findTaskRow(core, id);
      const verdict = row ? await checkReport(core, PERSON, row, 'fail') : null;
      if (verdict?.ok) await endHolder(core, verdict.holder, PERSON, 'killed', `system task stripped by ${actor} (wg reset ${seeds})`, rev);
    }
    const stripped = meta.length > 0 ? (await removeTasks(core, meta, rev)).length : 0;
    return report(closure, meta, { reset, stripped });
  });
}
