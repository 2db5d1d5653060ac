import type { Evaluation, Task } from '../../../shared/task';
import { invalid } from '../../../shared/errors';
import type { Store } from '../../store/store';
import type { TaskRow } from '../../store/rows';
import { getTask, requireTaskRow } from '../../store/task-reads';
import { rearmSchedule } from '../../store/schedule-writes';
import { appendLog, reopen, transition } from '../../store/task-writes';
import { updateExtra } from '../../store/planned-fields';
import type { WorktreeChange, WorktreeWrite } from '../../store/worktree-records';
import { afterEvaluatorTrouble, verdictFor, type GateSettings, type Verdict } from '../../store/agency/gate-rules';

/* The evaluation gate's state changes, each one transaction (or part of the caller's). */

export const PASSED_LINE = 'PendingEval → Done (evaluator passed; downstream unblocks)';

export interface EvaluationInput {
  score: number;
  dimensions: Record<string, number>;
  notes: string | null;
  evaluator: string | null;
  /** `llm` from an evaluator run, `manual` from `wg evaluate record`. */
  source: string;
}

/** A pass whose merge could not be made: the task fails with the reason, the worktree is kept as `change` says. */
interface FailedMerge {
  failure: string;
  change: WorktreeChange;
  log: string[];
}

/**
 * What the score does to the task's worktree whose work waits for it (settle-evaluation.ts): on a pass
 * its merge, made just before (or why it could not be made); any other verdict keeps it for the next
 * attempt (or a person), unmerged.
 */
export interface WorktreeSettle {
  id: string;
  /** Null when there was no merge to make (the verdict is not a pass, or nothing to merge). */
  pass: WorktreeWrite | FailedMerge | null;
  /**
   * The pass was decided (and written on the worktree) before the merge: it stands whatever the gate's
   * settings say now, and is recorded once — if another settle finished it meanwhile, nothing is written.
   */
  decided?: boolean;
}

const failedMerge = (pass: WorktreeSettle['pass']): pass is FailedMerge => pass !== null && 'failure' in pass;

async function writeWorktree(
  store: Store,
  taskId: string,
  id: string,
  change: WorktreeChange,
  log: readonly string[],
  actor: string,
  rev: number,
): Promise<void> {
  await store.worktrees.update(id, change, rev);
  for (const line of log) await appendLog(store.core, taskId, actor, line);
}

/** Applies a verdict to a pending-eval task: done, reopened for another attempt, or failed. */
async function applyVerdict(
  store: Store,
  row: TaskRow,
  verdict: Verdict,
  evaluation: string,
  actor: string,
  rev: number,
  worktree?: WorktreeSettle,
): Promise<void> {
  const { core } = store;
  if (worktree && verdict.kind !== 'pass') {
    // Unmerged: the next attempt resumes in it with its earlier commits (worktrees/plan.ts), and nothing reached the base branch.
    await writeWorktree(
      store,
      row.id,
      worktree.id,
      { state: 'active' },
      ['Its worktree is kept, unmerged, for the next attempt'],
      actor,
      rev,
    );
  }
  switch (verdict.kind) {
    case 'pass': {
      const pass = worktree?.pass ?? null;
      if (worktree && failedMerge(pass)) {
        await transition(core, row, { status: 'failed', failure_reason: pass.failure, eval_attempts: 0, evaluation }, rev);
        await writeWorktree(store, row.id, worktree.id, pass.change, pass.log, actor, rev);
        await appendLog(core, row.id, actor, `Task failed: ${pass.failure}`);
        await rearmSchedule(core, row.id, rev);
        return;
      }
      // The merge (if any) is recorded in the same transaction that lets the dependents start.
      if (pass && worktree) await writeWorktree(store, row.id, worktree.id, pass.change, pass.log, actor, rev);
      await transition(
        core,
        row,
        { status: 'done', completed_at: row.completed_at ?? core.nowIso(), eval_attempts: 0, evaluation, not_before: null },
        rev,
      );
      await appendLog(core, row.id, actor, PASSED_LINE);
      await rearmSchedule(core, row.id, rev);
      return;
    }
    case 'rescue':
      // Same task, same identity (and, where worktrees exist, the same worktree): the next prompt carries the notes.
      await reopen(core, row, rev, {
        completed_at: null,
        failure_reason: null,
        rescue_count: verdict.attempt,
        eval_attempts: 0,
        evaluation,
      });
      await appendLog(core, row.id, actor, verdict.line);
      return;
    case 'fail':
      await transition(core, row, { status: 'failed', failure_reason: verdict.reason, eval_attempts: 0, evaluation }, rev);
      await appendLog(core, row.id, actor, verdict.line);
      await appendLog(core, row.id, actor, `Task failed: ${verdict.reason}`);
      await rearmSchedule(core, row.id, rev);
  }
}

/**
 * A failed-pending-eval task (upstream: its agent exited without `wg done`, the evaluator decides)
 * is rescued to done at or above the threshold, else failed: upstream's resolve_failed_pending_eval_tasks.
 */
async function rescueOrReject(
  store: Store,
  row: TaskRow,
  score: number,
  gate: GateSettings,
  evaluation: string,
  actor: string,
  rev: number,
): Promise<void> {
  const { core } = store;
  const figures = `score=${score.toFixed(2)} ${score >= gate.threshold ? '≥' : '<'} threshold=${gate.threshold.toFixed(2)}`;
  if (score >= gate.threshold) {
    await transition(
      core,
      row,
      { status: 'done', completed_at: core.nowIso(), failure_reason: null, eval_attempts: 0, evaluation, not_before: null },
      rev,
    );
    await appendLog(core, row.id, actor, `FailedPendingEval → Done (rescued by eval: ${figures})`);
    // Upstream's marker of work done without a `wg done` (its `wg show` says "rescued: true"), kept in graph.jsonl.
    await updateExtra(core, row.id, { rescued: true });
  } else {
    const reason = `eval rescue rejected: ${figures}`;
    await transition(
      core,
      row,
      { status: 'failed', completed_at: core.nowIso(), failure_reason: reason, eval_attempts: 0, evaluation },
      rev,
    );
    await appendLog(core, row.id, actor, `FailedPendingEval → Failed (eval rejected: ${figures})`);
  }
  await rearmSchedule(core, row.id, rev);
}

export function requireScore(score: number): void {
  if (!Number.isFinite(score)) throw invalid('score must be a number');
}

/** The task's loop iteration as upstream's graph.jsonl keeps it (its `loop_iteration`, in extra here): 0 outside a loop. */
function loopIteration(row: TaskRow): number {
  try {
    const value = (JSON.parse(row.extra) as Record<string, unknown>).loop_iteration;
    return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

/**
 * Records a score for a task (an evaluator run's, or a person's `wg evaluate record`): kept in the
 * history with the identity, role and tradeoff that did the work, shown on the task, and — when the
 * task is waiting in pending-eval — settling it by the gate's rules.
 */
export async function recordEvaluation(
  store: Store,
  taskId: string,
  input: EvaluationInput,
  actor: string,
  gate: GateSettings,
  worktree?: WorktreeSettle,
): Promise<Task> {
  requireScore(input.score);
  await store.core.write(async (rev) => {
    if (worktree?.decided) {
      if (((await store.worktrees.find(worktree.id))?.decided_pass ?? null) === null) return;
      await store.worktrees.update(worktree.id, { decided_pass: null }, rev);
    }
    const row = await requireTaskRow(store.core, taskId);
    const identity = row.agent ? await store.agency.identity(row.agent) : undefined;
    // The model of the run that did the work: not the assigner's, nor this very evaluator's (the newest run of the task,
    // which put the evaluator's fast model against every score by model in wg agency stats).
    const model = (await store.agents.forTask(taskId)).filter((a) => a.purpose === 'task' && a.model !== null).at(-1)?.model ?? row.model;
    const timestamp = store.core.nowIso();
    const evaluation: Evaluation = {
      score: input.score,
      dimensions: input.dimensions,
      evaluator: input.evaluator,
      notes: input.notes,
      timestamp,
      model,
      source: input.source,
    };
    await store.evaluations.insert({
      task_id: taskId,
      agent_id: row.agent,
      role_id: identity?.role_id ?? null,
      tradeoff_id: identity?.tradeoff_id ?? null,
      score: input.score,
      dimensions: input.dimensions,
      notes: input.notes,
      evaluator: input.evaluator,
      model,
      source: input.source,
      timestamp,
      loop_iteration: loopIteration(row),
    });
    await appendLog(store.core, taskId, actor, `Evaluated: ${input.score}${input.evaluator ? ` by ${input.evaluator}` : ''}`);
    const json = JSON.stringify(evaluation);
    if (row.status === 'failed-pending-eval') {
      await rescueOrReject(store, row, input.score, gate, json, actor, rev);
      return;
    }
    if (row.status === 'pending-eval') {
      const verdict: Verdict = worktree?.decided ? { kind: 'pass' } : verdictFor(input.score, input.notes, row.rescue_count, gate);
      await applyVerdict(store, row, verdict, json, actor, rev, worktree);
      return;
    }
    await transition(store.core, row, { evaluation: json }, rev);
    // Settled by someone else while the merge was made: the merge is on the base branch all the same.
    const pass = worktree?.pass ?? null;
    if (worktree && pass && !failedMerge(pass) && pass.change.state === 'merged')
      await writeWorktree(store, taskId, worktree.id, pass.change, pass.log, actor, rev);
  });
  return getTask(store.core, taskId);
}

/**
 * An evaluator run gave no usable score (crashed, timed out, answered garbage). Counted; the first
 * time the evaluation is simply run again, the second time the task fails closed with the reason.
 * Returns whether another evaluator run should start. A task no longer pending-eval (a person scored
 * it meanwhile) is left alone.
 */
export async function recordEvaluatorTrouble(store: Store, taskId: string, why: string, actor: string): Promise<boolean> {
  return store.core.write(async (rev) => {
    const row = await requireTaskRow(store.core, taskId);
    if (row.status !== 'pending-eval' && row.status !== 'failed-pending-eval') return false;
    const attempts = row.eval_attempts + 1;
    const next = afterEvaluatorTrouble(attempts, why);
    if (next.kind === 'retry') {
      await transition(store.core, row, { eval_attempts: attempts }, rev);
      await appendLog(store.core, taskId, actor, `Evaluation gave no score (${why}); evaluating again`);
      return true;
    }
    await transition(store.core, row, { status: 'failed', failure_reason: next.reason, eval_attempts: attempts }, rev);
    await appendLog(store.core, taskId, actor, `Task failed: ${next.reason}`);
    // Not accepted, so not merged: kept for a retry, which resumes in it.
    const worktree = await store.worktrees.newestForTask(taskId);
    if (worktree?.state === 'awaiting-eval') await store.worktrees.update(worktree.id, { state: 'active' }, rev);
    await rearmSchedule(store.core, taskId, rev);
    return false;
  });
}
