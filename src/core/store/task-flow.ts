import type { JsonValue, Task } from '../../shared/task';
import { conflict, invalid } from '../../shared/errors';
import { closestName } from '../../shared/closest-name';
import { structuralCycles } from '../graph/analysis/graph-check';
import { componentOf, dependencyOrder, downstreamOf } from '../graph/analysis/downstream';
import { indexTasks } from '../graph/analysis/task-index';
import type { StoreCore } from './store-core';
import { checkReport, endHolder, noteRefusal, PERSON, type Reporter } from './run-reports';
import type { TaskRow } from './rows';
import { getTask, listTasks, requireTaskRow } from './task-reads';
import { appendLog, reopen, transition } from './task-writes';
import { WorktreeRecords } from './worktree-records';
import { DEFAULT_RETRY_BUDGET, retryBudget } from '../../shared/retry-budget';

/*
 * Upstream's task verbs beyond the basic ones: resume (with its subgraph), approve and reject of a
 * task awaiting validation, requeue for triage, reclaim from a dead actor. Each is one transaction,
 * with upstream's refusals and log lines.
 */

/** Upstream's default `max_rejections` and `guardrails.max_triage_attempts`. */
const DEFAULT_MAX_REJECTIONS = 3;
const DEFAULT_MAX_TRIAGE = 3;
/** Upstream's `coordinator.incomplete_retry_delay` default, in seconds. */
const INCOMPLETE_RETRY_DELAY_S = 30;
/** The project's retry budget (shared/retry-budget.ts) and upstream's `incomplete_retry_delay` (null or 0: at once). */
interface IncompleteBudget {
  maxRetries: number;
  delaySeconds: number | null;
}
const DEFAULT_INCOMPLETE: IncompleteBudget = { maxRetries: DEFAULT_RETRY_BUDGET, delaySeconds: INCOMPLETE_RETRY_DELAY_S };

const AWAITING_APPROVAL = ['pending-validation', 'pending-eval'];

function extraOf(row: TaskRow): Record<string, JsonValue> {
  return JSON.parse(row.extra) as Record<string, JsonValue>;
}

function countIn(extra: Record<string, JsonValue>, key: string): number {
  const value = extra[key];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

async function writeExtra(core: StoreCore, id: string, extra: Record<string, JsonValue>): Promise<void> {
  await core.send(
    core.build
      .updateTable('tasks')
      .set({ extra: JSON.stringify(extra) })
      .where('id', '=', id),
  );
}

/** The run that holds an in-progress task, ended by a person's verb (the coordinator stops its process). */
async function endRunOf(core: StoreCore, row: TaskRow, reporter: Reporter, why: string, rev: number): Promise<void> {
  const verdict = await checkReport(core, reporter, row, 'fail');
  if (!verdict.ok) throw conflict(`refused: ${verdict.reason}`);
  await endHolder(core, verdict.holder, reporter, 'killed', why, rev);
}

interface Dangling {
  member: string;
  dep: string;
  near: string | null;
}

/**
 * Why an un-pause is refused. A publish says it in upstream's words (`validate_task_deps` for
 * --only, validate_subgraph otherwise), on one line; a resume in this app's.
 */
function danglingRefusal(verb: 'resume' | 'publish', id: string, only: boolean, dangling: readonly Dangling[]): string {
  const suggestion = (d: Dangling) => (d.near ? ` (did you mean '${d.near}'?)` : '');
  if (verb === 'publish' && only) {
    return `Cannot publish task '${id}': dangling dependencies: ${dangling.map((d) => `'${d.dep}'${suggestion(d)}`).join(', ')}`;
  }
  if (verb === 'publish') {
    const each = dangling.map((d) => `Task '${d.member}': dangling dependency '${d.dep}'${suggestion(d)}`);
    return `Cannot publish subgraph — structural errors: ${each.join('; ')}`;
  }
  const each = dangling.map((d) => `'${d.member}' depends on '${d.dep}', which does not exist${suggestion(d)}`);
  return `cannot ${verb} '${id}': ${each.join('; ')} (fix with wg edit TASK --remove-after DEP)`;
}

/**
 * A loop the subgraph closes (two or more of its members) that no member bounds with upstream's
 * `cycle_config` (its `--max-iterations`): upstream's `validate_subgraph` refuses to un-pause it.
 */
function unboundedLoop(
  tasks: readonly Task[],
  index: Awaited<ReturnType<typeof indexTasks>>,
  subgraph: readonly string[],
): string[] | null {
  const inSubgraph = new Set(subgraph);
  for (const cycle of structuralCycles(tasks, index)) {
    const members = cycle.members.filter((member) => inSubgraph.has(member));
    if (members.length < 2) continue;
    const bounded = members.some((member) => {
      const config = index.get(member)?.extra.cycle_config;
      return config !== undefined && config !== null;
    });
    if (!bounded) return members;
  }
  return null;
}

function loopRefusal(verb: 'resume' | 'publish', id: string, members: readonly string[]): string {
  const cycle = `Cycle without --max-iterations: [${members.join(', ')}]`;
  if (verb === 'publish') return `Cannot publish subgraph — structural errors: ${cycle}`;
  return `cannot resume '${id}': ${cycle} (un-pause them one at a time with --only, or break the loop with wg edit TASK --remove-after DEP)`;
}

export class TaskFlow {
  constructor(private readonly core: StoreCore) {}

  /**
   * `wg resume ID`: un-pause a paused task and, unless `only`, every paused task downstream of it
   * (upstream). A dependency naming no task anywhere in that subgraph refuses the whole.
   */
  async resume(id: string, only: boolean, actor: string): Promise<{ task: Task; resumed: string[] }> {
    return this.unpause(id, only, actor, 'resume');
  }

  /**
   * `wg publish ID`: the same (upstream's publish is its resume), in its own words. `wcc`: the whole weakly
   * connected component of the task instead, dependencies first (upstream's `--wcc`).
   */
  async publish(id: string, only: boolean, actor: string, wcc = false): Promise<{ task: Task; resumed: string[] }> {
    return this.unpause(id, wcc ? 'wcc' : only, actor, 'publish');
  }

  private async unpause(
    id: string,
    only: boolean | 'wcc',
    actor: string,
    verb: 'resume' | 'publish',
  ): Promise<{ task: Task; resumed: string[] }> {
    const done = verb === 'resume' ? 'resumed' : 'published';
    const resumed = await this.core.write(async (rev) => {
      const seed = await requireTaskRow(this.core, id);
      if (seed.paused !== 1) throw conflict(`task '${id}' is not paused`);
      const tasks = await listTasks(this.core);
      const index = indexTasks(tasks);
      const wcc = only === 'wcc';
      const subgraph = wcc ? componentOf(tasks, index, id) : only ? [id] : downstreamOf(tasks, index, id);
      const dangling = subgraph.flatMap((member) =>
        (index.get(member)?.after ?? [])
          // A peer's task (`peer:task`, upstream's federation) is not looked for here.
          .filter((dep) => !index.has(dep) && !dep.includes(':'))
          .map((dep) => ({ member, dep, near: closestName(dep, index.keys()) })),
      );
      if (dangling.length > 0) throw invalid(danglingRefusal(verb, id, only === true, dangling));
      if (only !== true) {
        const loop = unboundedLoop(tasks, index, subgraph);
        if (loop) throw invalid(loopRefusal(verb, id, loop));
      }
      // The component in dependency order, as upstream releases it; else the seed first, as upstream reports it.
      const unpaused = (wcc ? dependencyOrder(index, subgraph) : subgraph).filter((member) => index.get(member)?.paused === true);
      if (!wcc) unpaused.sort((a, b) => (a === id ? -1 : b === id ? 1 : a < b ? -1 : 1));
      for (const member of unpaused) {
        await transition(this.core, await requireTaskRow(this.core, member), { paused: false }, rev);
        const relation = wcc ? `in the component of ${id}` : `downstream of ${id}`;
        await appendLog(this.core, member, actor, member === id ? `Task ${done}` : `Task ${done} (${relation})`);
      }
      return unpaused;
    });
    return { task: await getTask(this.core, id), resumed };
  }

  /**
   * `wg approve ID` of a pending-validation task: done (a pending-eval one goes through the evaluation gate instead).
   * `line` is the log's reason, when not a validator's approval.
   */
  async approve(id: string, actor: string, line = 'Task approved by validator'): Promise<Task> {
    await this.core.write(async (rev) => {
      const row = await requireTaskRow(this.core, id);
      if (row.status !== 'pending-validation') throw conflict(notAwaiting(id, row, 'approved'));
      await transition(this.core, row, { status: 'done', completed_at: row.completed_at ?? this.core.nowIso() }, rev);
      await appendLog(this.core, id, actor, line);
    });
    return getTask(this.core, id);
  }

  /**
   * `wg reject ID --reason R` (upstream): reopened for another attempt, or failed once its
   * rejections reach `max_rejections` (3 unless the task says). Kept in upstream's `rejection_count`.
   */
  async reject(id: string, reason: string, actor: string): Promise<{ task: Task; rejections: number; max: number; failed: boolean }> {
    const outcome = await this.core.write(async (rev) => {
      const row = await requireTaskRow(this.core, id);
      if (!AWAITING_APPROVAL.includes(row.status)) throw conflict(notAwaiting(id, row, 'rejected'));
      const extra = extraOf(row);
      const rejections = countIn(extra, 'rejection_count') + 1;
      const max = countIn(extra, 'max_rejections') || DEFAULT_MAX_REJECTIONS;
      await writeExtra(this.core, id, { ...extra, rejection_count: rejections });
      const failed = rejections >= max;
      if (failed) {
        await transition(
          this.core,
          row,
          { status: 'failed', failure_reason: `Exceeded max rejections (${rejections}/${max}): ${reason}` },
          rev,
        );
        await appendLog(this.core, id, actor, `Task rejected (${rejections}/${max}), failing: ${reason}`);
      } else {
        // The rejection is why the next attempt starts: its prompt shows failure_reason.
        await transition(
          this.core,
          row,
          { status: 'open', assigned: null, completed_at: null, failure_reason: `rejected: ${reason}` },
          rev,
        );
        await appendLog(this.core, id, actor, `Task rejected (${rejections}/${max}): ${reason}`);
      }
      // Work kept for a score is unmerged work again: the next attempt resumes in it, or the sweep keeps it.
      const worktrees = new WorktreeRecords(this.core);
      const worktree = await worktrees.newestForTask(id);
      if (worktree?.state === 'awaiting-eval') await worktrees.update(worktree.id, { state: 'active' }, rev);
      return { rejections, max, failed };
    });
    return { task: await getTask(this.core, id), ...outcome };
  }

  /**
   * `wg requeue ID --reason R` (upstream): an in-progress task goes back to open, for an
   * agent that found a failed dependency and added fix tasks before it; at most `max_triage`
   * times (upstream's triage_count). The run holding it ends (its own run ends when it exits).
   */
  async requeue(
    id: string,
    reason: string,
    actor: string,
    reporter: Reporter,
    maxTriage = DEFAULT_MAX_TRIAGE,
  ): Promise<{ task: Task; attempt: number; max: number; reason: string }> {
    const attempt = await this.core.write(async (rev) => {
      const row = await requireTaskRow(this.core, id);
      if (row.status !== 'in-progress') throw conflict(`task '${id}' is ${row.status}; only in-progress tasks can be requeued`);
      const extra = extraOf(row);
      const count = countIn(extra, 'triage_count');
      if (count >= maxTriage) throw conflict(`triage budget exhausted for '${id}' (${count}/${maxTriage}); use wg fail instead`);
      await endRunOf(this.core, row, reporter, `task requeued by ${actor}: ${reason}`, rev);
      await writeExtra(this.core, id, { ...extra, triage_count: count + 1 });
      await reopen(this.core, row, rev, { session_id: null });
      await appendLog(this.core, id, actor, `Requeued (triage ${count + 1}/${maxTriage}): ${reason}`);
      return count + 1;
    });
    return { task: await getTask(this.core, id), attempt, max: maxTriage, reason };
  }

  /**
   * `wg incomplete ID [--reason R]` (upstream): the work needs another pass. A report
   * like `wg fail` (the ownership rule applies); the task becomes incomplete, startable again after
   * the budget's delay, each time counting a retry; at its retry budget (its own max_retries, else the project's:
   * shared/retry-budget.ts) it fails instead; a budget of 0 has no limit here, as upstream's has none. Either way,
   * as upstream's: unassigned, its session and checkpoint cleared (the next attempt starts afresh), completed_at
   * stamped. The delay is upstream's `ready_after` (kept in extra, as graph.jsonl has it), not this app's
   * `not_before`: upstream's wg then sees the same delay, lists it under "Waiting on delay", and either tool's
   * `wg retry` ends it.
   */
  async incomplete(id: string, reason: string | undefined, actor: string, reporter: Reporter, budget = DEFAULT_INCOMPLETE): Promise<Task> {
    const refused = await this.core.write(async (rev) => {
      const row = await requireTaskRow(this.core, id);
      if (row.status === 'incomplete') return null;
      if (['done', 'failed', 'abandoned'].includes(row.status))
        throw conflict(`task '${id}' is ${row.status} and cannot be marked as incomplete`);
      const verdict = await checkReport(this.core, reporter, row, 'fail');
      if (!verdict.ok) return noteRefusal(this.core, id, reporter, 'fail', verdict.reason, rev);
      const by = reporter.kind === 'agent' ? reporter.agentId : actor;
      const attempt = row.retry_count + 1;
      const max = retryBudget(row.max_retries, budget.maxRetries);
      const why = reason ?? 'unspecified';
      await endHolder(this.core, verdict.holder, reporter, 'done', `task marked incomplete by ${by}`, rev);
      const { checkpoint: _checkpoint, ...extra } = extraOf(row);
      const cleared = { assigned: null, started_at: null, session_id: null, completed_at: this.core.nowIso(), retry_count: attempt };
      if (max > 0 && attempt >= max) {
        await transition(
          this.core,
          row,
          { ...cleared, status: 'failed', failure_reason: `Retry exhausted (${attempt}/${max} attempts). Last incomplete reason: ${why}` },
          rev,
        );
        await writeExtra(this.core, id, extra);
        await appendLog(this.core, id, by, `Retry exhausted after ${attempt} attempts — task failed. Last reason: ${why}`);
        return null;
      }
      // The reason is what the next attempt's prompt shows (failure_reason), as a retry's is.
      await transition(this.core, row, { ...cleared, status: 'incomplete', failure_reason: reason ?? null }, rev);
      const delayMs = (budget.delaySeconds ?? 0) * 1000;
      if (delayMs > 0) extra.ready_after = new Date(this.core.clock().getTime() + delayMs).toISOString();
      await writeExtra(this.core, id, extra);
      const remaining = max > 0 ? ` (${max - attempt} remaining)` : '';
      await appendLog(this.core, id, by, `Task marked as incomplete (attempt #${attempt}${remaining})${reason ? `: ${reason}` : ''}`);
      return null;
    });
    if (refused !== null) throw conflict(refused);
    return getTask(this.core, id);
  }

  /**
   * `wg reclaim ID --from A --to B` (upstream): an in-progress task held by A goes to B.
   * A run of A's still working is ended first: only one may hold the task.
   */
  async reclaim(id: string, from: string, to: string, actor: string): Promise<Task> {
    await this.core.write(async (rev) => {
      const row = await requireTaskRow(this.core, id);
      if (row.status !== 'in-progress') throw conflict(`task '${id}' is ${row.status}; only in-progress tasks can be reclaimed`);
      if (row.assigned === null) throw conflict(`task '${id}' has no assigned actor; use wg claim instead`);
      if (row.assigned !== from) throw conflict(`task '${id}' is assigned to '${row.assigned}', not '${from}'; cannot reclaim`);
      await endRunOf(this.core, row, PERSON, `task reclaimed from ${from} to ${to} by ${actor}`, rev);
      await transition(this.core, row, { assigned: to }, rev);
      await appendLog(this.core, id, to, `Task reclaimed from @${from} to @${to} (agent takeover)`);
    });
    return getTask(this.core, id);
  }
}

function notAwaiting(id: string, row: TaskRow, verb: 'approved' | 'rejected'): string {
  return `task '${id}' is ${row.status}, not awaiting ${verb === 'approved' ? 'approval' : 'validation'}; ${verb === 'approved' ? 'only pending-validation, pending-eval and failed-pending-eval tasks can be approved' : 'only pending-validation and pending-eval tasks can be rejected'}`;
}
