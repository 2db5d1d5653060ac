import { WgError } from '../../shared/errors';
import type { ReplayReport } from '../../shared/surgery';
import { isSystemTaskId, type TaskSummary } from '../../shared/task';
import { nextSnapshotId, takeSnapshot } from './snapshots';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { listTaskSummaries } from '../store/task-reads';
import { patchTask } from '../store/task-writes';
import { bestScores, type ReplayFilter, replayResets } from '../surgery/replay-plan';
import { resetTask } from '../surgery/reset';

/*
 * Upstream's `wg replay`: a run snapshot of the graph (runs/run-NNN/, which `wg runs restore` puts back), then the
 * chosen tasks opened again as `wg reset` opens them, with the model given, in one transaction; the coordinator then
 * runs them again. A plan (--plan-only) changes nothing and takes no snapshot.
 */

export interface ReplayRequest extends ReplayFilter {
  model: string | null;
  planOnly: boolean;
}

/** Upstream's build_filter_desc: the flags given, as the snapshot's meta.json records them. */
function filterText(r: ReplayRequest, keepDoneGiven: boolean): string {
  const parts: string[] = [];
  if (r.failedOnly) parts.push('--failed-only');
  if (r.belowScore !== null) parts.push(`--below-score ${r.belowScore}`);
  if (r.tasks.length > 0) parts.push(`--tasks ${r.tasks.join(',')}`);
  if (r.model !== null) parts.push(`--model ${r.model}`);
  if (keepDoneGiven) parts.push(`--keep-done ${r.keepDone}`);
  if (r.subgraph !== null) parts.push(`--subgraph ${r.subgraph}`);
  return parts.length > 0 ? parts.join(' ') : 'all tasks';
}

function plan(tasks: readonly TaskSummary[], request: ReplayRequest, scores: ReadonlyMap<string, number>) {
  const known = new Set(tasks.map((t) => t.id));
  if (request.subgraph !== null && !known.has(request.subgraph)) {
    throw new WgError('not_found', `Subgraph root task not found: ${request.subgraph}`);
  }
  // A listed id that is no task is passed over, as upstream's (test_replay_tasks_nonexistent_id): it matches nothing.
  const reset = replayResets(
    tasks.map((t) => ({ id: t.id, status: t.status, after: t.after, system: isSystemTaskId(t.id) })),
    request,
    scores,
  );
  const resetSet = new Set(reset);
  const preserved = tasks
    .map((t) => t.id)
    .filter((id) => !resetSet.has(id))
    .sort();
  return { reset, preserved };
}

export async function replayGraph(
  store: Store,
  paths: ProjectPaths,
  request: ReplayRequest,
  options: { actor: string; keepDoneGiven: boolean },
): Promise<ReplayReport> {
  // Upstream reads the evaluations only when a score decides something; so does this.
  const scores = request.belowScore !== null || request.keepDone < 1 ? bestScores(await store.evaluations.all()) : new Map();
  const core = store.core;
  const tasks = await core.read(() => listTaskSummaries(core));
  const { reset, preserved } = plan(tasks, request, scores);
  const statusOf = new Map(tasks.map((t) => [t.id, t.status as string]));
  const shown = [...reset, ...preserved];
  const report = (runId: string, planOnly: boolean): ReplayReport => ({
    run_id: runId,
    ...(request.model !== null ? { model: request.model } : {}),
    reset_tasks: reset,
    preserved_tasks: preserved,
    plan_only: planOnly,
    statuses: Object.fromEntries(shown.map((id) => [id, statusOf.get(id) ?? 'open'])),
    scores: Object.fromEntries(reset.filter((id) => scores.has(id)).map((id) => [id, scores.get(id) as number])),
  });
  if (request.planOnly) return report('(dry run)', true);
  if (reset.length === 0) return { ...report('', false), run_id: '', message: 'No tasks match the replay criteria' };
  const runId = nextSnapshotId(paths);
  await takeSnapshot(store, paths, {
    id: runId,
    timestamp: core.clock().toISOString(),
    ...(request.model !== null ? { model: request.model } : {}),
    reset_tasks: reset,
    preserved_tasks: preserved,
    filter: filterText(request, options.keepDoneGiven),
  });
  await core.write(async (rev) => {
    for (const id of reset) {
      // Upstream's reset_task also clears the artifacts and a pause: the task starts again from nothing.
      const opened = await resetTask(
        core,
        id,
        rev,
        { actor: options.actor, command: `wg replay (${runId})` },
        { artifacts: [], paused: false },
      );
      if (opened && request.model !== null) await patchTask(core, id, { model: request.model }, rev);
    }
  });
  return report(runId, false);
}
