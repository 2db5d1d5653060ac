import type { Task } from '../../../shared/task';
import { isUnmergedState } from '../../../shared/worktree';
import type { WorktreeScope } from '../../worktrees/inspect';
import type { TaskMerge } from '../../worktrees/merge-on-done';
import type { WorktreeRecord } from '../../store/worktree-records';
import { requireTaskRow } from '../../store/task-reads';
import { readDecidedPass, writeDecidedPass, type DecidedPass } from './decided-pass';
import { verdictFor, type GateSettings } from '../../store/agency/gate-rules';
import { recordEvaluation, requireScore, type EvaluationInput, type WorktreeSettle } from './gate-writes';
import { errorText } from '../../../shared/errors';
import { fileList } from '../../worktrees/file-list';

/** Loaded only when a score settles work in a worktree: every `wg evaluate record` need not load git. */
const mergeOnDone = () => import('../../worktrees/merge-on-done');

const list = fileList;

/** What a passing score's merge writes: the merge recorded, or why there is none (then the task fails, its work kept). */
function passWrite(
  merge: TaskMerge | { kind: 'error'; message: string },
  taskId: string,
  doneWorktree: (m: Extract<TaskMerge, { kind: 'merged' }>) => WorktreeSettle['pass'],
): WorktreeSettle['pass'] {
  switch (merge.kind) {
    case 'none':
    case 'checked':
      return null;
    case 'merged':
      return doneWorktree(merge);
    case 'conflict': {
      const { record, files } = merge;
      return {
        failure:
          `the evaluation passed, but its work now conflicts with ${record.base_branch} in ${list(files)} (the base branch moved since its done); ` +
          `nothing changed on ${record.base_branch}; its worktree ${record.path} is kept for a retry (which resumes in it) or for you`,
        change: { state: 'conflict', conflict_files: files },
        log: [`Merge after the evaluation passed refused: ${record.branch} conflicts in ${list(files)}`],
      };
    }
    case 'dirty':
      return {
        failure:
          `the evaluation passed, but tracked files in its worktree ${merge.record.path} were changed after its done and not committed (${list(merge.files)}); ` +
          `nothing was merged; the worktree is kept`,
        change: { state: 'active' },
        log: [],
      };
    case 'busy':
      return {
        failure: `the evaluation passed, but its work was not merged: ${merge.why}; nothing changed on ${merge.record.base_branch}; its worktree ${merge.record.path} is kept for a retry (which resumes in it) or for you`,
        change: { state: 'active' },
        log: [`Merge after the evaluation passed waited: ${merge.why}`],
      };
    case 'error':
      return {
        failure: `the evaluation passed, but its work could not be merged for task ${taskId}: ${merge.message}; the worktree is kept`,
        change: { state: 'active' },
        log: [],
      };
  }
}

/** The task's worktree whose work waits for a score to be merged, if any. */
async function waitingWorktree(store: WorktreeScope['store'], taskId: string): Promise<WorktreeRecord | null> {
  const row = await requireTaskRow(store.core, taskId);
  const record = await store.worktrees.newestForTask(taskId);
  // A conflict at this point was let through by `wg done --ignore-unmerged-worktree`: its .merge- task merges it, not the pass.
  const waiting =
    row.status === 'pending-eval' && record?.owner === 'agent' && isUnmergedState(record.state) && record.state !== 'conflict';
  return waiting && record ? record : null;
}

/**
 * Records a score (an evaluator run's or a person's `wg evaluate record`) and settles a pending
 * evaluation by the gate's rules. Work in an agent's worktree was only checked at its done: a pass
 * squash-merges it now (under the merge lock, outside any transaction), and the same transaction that
 * records the score records the merge commit and marks the task done, so dependents start from a base
 * that has the work. A merge that now conflicts (the base branch moved) fails the task with the files,
 * the worktree kept in state conflict. Any other verdict merges nothing: the worktree is kept, and a
 * reopened task's next attempt resumes in it. The pass is written down before its merge
 * (decided-pass.ts), so a crash between the merge and its recording is finished on restart.
 */
export async function settleEvaluation(
  scope: WorktreeScope,
  taskId: string,
  input: EvaluationInput,
  actor: string,
  gate: GateSettings,
): Promise<Task> {
  const task = await settle(scope, taskId, input, actor, gate);
  // Beside upstream's graph.jsonl, where upstream's `wg` reads it too; the score is recorded whatever the folder allows.
  try {
    await (await import('../yaml/evaluation-files')).writeEvaluationsBeside(scope.store, scope.paths);
  } catch {
    // A folder that cannot be written now: the next evaluation writes this one too (they are written from the last written).
  }
  return task;
}

async function settle(scope: WorktreeScope, taskId: string, input: EvaluationInput, actor: string, gate: GateSettings): Promise<Task> {
  requireScore(input.score);
  const { store } = scope;
  // A pass decided before (whose merge may be on the base branch already) stands: finished first, this score then only recorded.
  if (await finishDecidedPass(scope, taskId, gate)) return recordEvaluation(store, taskId, input, actor, gate);
  const record = await waitingWorktree(store, taskId);
  if (!record) return recordEvaluation(store, taskId, input, actor, gate);
  if (verdictFor(input.score, input.notes, (await requireTaskRow(store.core, taskId)).rescue_count, gate).kind !== 'pass') {
    return recordEvaluation(store, taskId, input, actor, gate, { id: record.id, pass: null });
  }
  const decided = { input, actor };
  await writeDecidedPass(store, record.id, decided);
  return alone(taskId, () => mergeAndRecord(scope, taskId, record, decided, gate, []));
}

/** This process's pass merges under way, by task: a restart's finishing (or a second score) waits for the one running, not a twin. */
const settling = new Map<string, Promise<Task>>();

async function alone(taskId: string, settle: () => Promise<Task>): Promise<Task> {
  const running = settle();
  settling.set(taskId, running);
  try {
    return await running;
  } finally {
    if (settling.get(taskId) === running) settling.delete(taskId);
  }
}

/**
 * Finishes a pass decided before a crash (the daemon's restart calls it instead of evaluating the task
 * again): its merge, found made or made now, and its score, recorded once. False when the task has none.
 */
export async function finishDecidedPass(scope: WorktreeScope, taskId: string, gate: GateSettings): Promise<boolean> {
  const running = settling.get(taskId);
  if (running) {
    await running.catch(() => undefined);
    return true;
  }
  const record = await waitingWorktree(scope.store, taskId);
  const decided = readDecidedPass(record?.decided_pass ?? null);
  if (!record || !decided) return false;
  const line = `Finishing the evaluation that passed (${decided.input.score}) before the coordinator stopped: its merge, then its score`;
  await alone(taskId, () => mergeAndRecord(scope, taskId, record, decided, gate, [line]));
  return true;
}

async function mergeAndRecord(
  scope: WorktreeScope,
  taskId: string,
  record: WorktreeRecord,
  decided: DecidedPass,
  gate: GateSettings,
  log: string[],
): Promise<Task> {
  const merging = await mergeOnDone();
  const merge = await merging
    .mergeTaskWork(scope, await scope.store.get(taskId), record.agent_id)
    .catch((error: unknown) => ({ kind: 'error' as const, message: errorText(error) }));
  const pass = passWrite(merge, taskId, (merged) => merging.doneWorktree(merged, taskId, false));
  const withLog = pass ? { ...pass, log: [...log, ...pass.log] } : null;
  return recordEvaluation(scope.store, taskId, decided.input, decided.actor, gate, { id: record.id, pass: withLog, decided: true });
}
