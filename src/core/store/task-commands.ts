import { allDone, inFlight } from './in-flight';
import type { AbandonResult, JsonValue, Task } from '../../shared/task';
import { PENDING_EVAL_LINE, type GateCheck } from './agency/gate-entry';
import { conflict, invalid } from '../../shared/errors';
import type { StoreCore } from './store-core';
import { claimRefusal } from './claim-rules';
import { abandonCascade, cascadeLogLine, cascadeReason } from './abandon-cascade';
import { doneRefusal } from './done-blockers';
import { danglingDependenciesOf, evaluationPending, linkDependency, looseDependenciesOf, unlinkDependency } from './dependency-writes';
import { evaluationTaskOf } from '../graph/readiness';
import { rearmSchedule } from './schedule-writes';
import { reopenForRetry } from './reopen-failed';
import type { TaskRow } from './rows';
import { checkReport, endHolder, noteRefusal, PERSON, type Holder, type ReportKind, type Reporter } from './run-reports';
import { dependenciesOf, findTaskRow, findTaskState, getTask, requireTaskRow, tagsOf } from './task-reads';
import { appendLog, insertTask, patchTask, reopen, transition, type NewTask, type TaskPatch } from './task-writes';
import { WorktreeRecords, type NewWorktree, type WorktreeWrite } from './worktree-records';
import { extraOf, updateExtra } from './planned-fields';

/** Who the actor of a report is in the log: the reporting agent, else the acting person or program. */
const actorOf = (reporter: Reporter, actor: string) => (reporter.kind === 'agent' ? reporter.agentId : actor);

/** The task verbs people and agents use. Each is one transaction and returns the task as it now is. */
export class TaskCommands {
  constructor(private readonly core: StoreCore) {}

  /** `worktree`: the person's own worktree its agent runs in (`wg add --worktree PATH`). */
  async add(input: NewTask, actor: string, worktree?: (taskId: string) => NewWorktree): Promise<Task> {
    const { task } = await this.core.write(async (rev) => {
      const created = await insertTask(this.core, input, rev);
      await appendLog(this.core, created, actor, 'Task created');
      if (worktree) {
        const record = worktree(created);
        await new WorktreeRecords(this.core).insert(record, rev);
        await appendLog(this.core, created, actor, `Runs in your worktree ${record.path} (${record.branch})`);
      }
      await this.core.stampNoted();
      // Read inside the write and not awaited here: it goes with the commit (one round trip less on PostgreSQL).
      return { task: inFlight(getTask(this.core, created)) };
    });
    return task;
  }

  /**
   * `lists`: upstream's --add-after/--remove-after/--add-tag/--remove-tag, applied to the lists as they
   * are inside this transaction: an edit read outside it would write back a list another writer (a
   * second `wg edit`, upstream's wg through the sync) changed meanwhile, and lose that change.
   */
  async edit(id: string, patch: TaskPatch, lists: ListEdits = {}, actor = 'user'): Promise<Task> {
    await this.core.write(async (rev) => {
      const { addAfter, removeAfter, addTag, removeTag } = lists;
      const amended = { ...patch };
      const allDependencies = async () => [...(await dependenciesOf(this.core, id)), ...(await looseDependenciesOf(this.core, id))];
      const before = new Set(await allDependencies());
      if (addAfter || removeAfter) amended.after = amend(amended.after ?? [...before], addAfter, removeAfter);
      // Upstream's edit says it so (test_self_blocking_rejected), as this app's add does.
      if (amended.after?.includes(id)) throw invalid(`Task '${id}' cannot block itself`);
      if (addTag || removeTag) amended.tags = amend(amended.tags ?? (await tagsOf(this.core, id)), addTag, removeTag);
      if (lists.addSkill || lists.removeSkill) {
        const given = amended.extra?.skills;
        const current = Array.isArray(given) ? given : skillsOf(await requireTaskRow(this.core, id));
        const skills = amend(current.map(String), lists.addSkill, lists.removeSkill);
        amended.extra = { ...amended.extra, skills: skills.length > 0 ? skills : null };
      }
      await patchTask(this.core, id, amended, rev);
      if ((await allDependencies()).some((dep) => !before.has(dep))) await this.forgetAssignment(id, actor, rev);
    });
    return getTask(this.core, id);
  }

  /**
   * A new dependency changes what the task is about: as upstream's `wg edit --add-after`, the identity
   * chosen for it is cleared (it is assigned again once ready) and an unfinished assignment task for it
   * (`.assign-X`, or the older `assign-X`) is abandoned, so none is assigned before its real dependencies are.
   */
  private async forgetAssignment(id: string, actor: string, rev: number): Promise<void> {
    const row = await requireTaskRow(this.core, id);
    if (row.agent !== null) {
      await transition(this.core, row, { agent: null }, rev);
      await appendLog(this.core, id, actor, 'Agent identity cleared');
    }
    for (const assignId of [`.assign-${id}`, `assign-${id}`]) {
      const assign = await findTaskRow(this.core, assignId);
      if (!assign) continue;
      if (assign.status === 'open' || assign.status === 'in-progress') {
        await endHolder(this.core, await checkHolder(this.core, assign), PERSON, 'killed', `dependencies of ${id} changed`, rev);
        await transition(this.core, assign, { status: 'abandoned', completed_at: this.core.nowIso() }, rev);
        await appendLog(this.core, assignId, actor, `Abandoned: dependencies of ${id} changed`);
      }
      break;
    }
  }

  async addDependency(task: string, dependency: string): Promise<Task> {
    await this.core.write(async (rev) => {
      if (await linkDependency(this.core, task, dependency, rev)) this.core.noteInteraction(task);
    });
    return getTask(this.core, task);
  }

  /** As upstream's `wg rm-dep`, an edge that is not there is no error: nothing changes (both tasks must exist). */
  async removeDependency(task: string, dependency: string): Promise<Task> {
    await this.core.write(async (rev) => {
      if (![...(await dependenciesOf(this.core, task)), ...(await looseDependenciesOf(this.core, task))].includes(dependency)) {
        await requireTaskRow(this.core, task);
        await requireTaskRow(this.core, dependency);
        return;
      }
      await unlinkDependency(this.core, task, dependency, rev);
      this.core.noteInteraction(task);
    });
    return getTask(this.core, task);
  }

  /**
   * Takes a task for an agent. Only a ready task, unless `force` (then any open, blocked or
   * incomplete one, as upstream's `wg claim` allows); the refusal says what it waits for.
   */
  async claim(id: string, agent: string | undefined, actor: string, force = false): Promise<Task> {
    await this.core.write(async (rev) => {
      const row = await requireTaskRow(this.core, id);
      const refusal = await claimRefusal(this.core, row, force);
      if (refusal) throw conflict(refusal);
      // Without an actor the task keeps whoever it is assigned to (upstream's `wg claim` without --actor).
      const holder = agent === undefined ? {} : { assigned: agent };
      await transition(this.core, row, { status: 'in-progress', ...holder, started_at: this.core.nowIso(), failure_reason: null }, rev);
      await appendLog(
        this.core,
        id,
        agent ?? actor,
        `${agent === undefined ? 'Claimed' : `Claimed by ${agent}`}${force ? ' (forced)' : ''}`,
      );
    });
    return getTask(this.core, id);
  }

  /**
   * `wg unclaim`: an in-progress task goes back to open, ending the run that held it. As upstream's, a
   * task not started yet (open, blocked, incomplete) is let go too (open, nobody assigned); a finished
   * or parked one is refused.
   */
  async unclaim(id: string, actor: string, why = 'Unclaimed'): Promise<Task> {
    await this.core.write(async (rev) => {
      const row = await requireTaskRow(this.core, id);
      if (!['in-progress', 'open', 'blocked', 'incomplete'].includes(row.status))
        throw conflict(`task '${id}' is ${row.status}, not in progress`);
      await endHolder(this.core, await checkHolder(this.core, row), PERSON, 'killed', `task unclaimed by ${actor}`, rev);
      await reopen(this.core, row, rev);
      await appendLog(this.core, id, actor, why);
    });
    return getTask(this.core, id);
  }

  /**
   * One report from an agent or a person, checked by the ownership rule (run-reports.ts) and applied
   * in ONE transaction. A refused report changes nothing but the log line that records the attempt
   * (committed), then fails with the reason (`wg` exits nonzero, the API answers 409).
   * On PostgreSQL it is two round trips: every read the rule and `apply` need go with the transaction's opening
   * (`readAhead`: what `apply` reads that hangs on the task's id alone), and the task as the writes leave it with the
   * commit.
   */
  private async report<Ahead = undefined>(
    id: string,
    reporter: Reporter,
    kind: ReportKind,
    apply: (row: TaskRow, holder: Holder | null, rev: number, ahead: Promise<Ahead>) => Promise<void>,
    readAhead?: () => Promise<Ahead>,
  ): Promise<Task> {
    const outcome = await this.core.write(
      async (rev, reads): Promise<{ refused: string } | { task: Promise<Task> }> => {
        const verdict = await reads.verdict;
        if (!verdict.ok) return { refused: await noteRefusal(this.core, id, reporter, kind, verdict.reason, rev) };
        await apply(await reads.row, verdict.holder, rev, reads.ahead);
        await this.core.stampNoted();
        // Not awaited here: it goes with the commit.
        return { task: inFlight(getTask(this.core, id)) };
      },
      () => {
        const row = inFlight(requireTaskRow(this.core, id));
        const verdict = inFlight(checkReport(this.core, reporter, row, kind));
        return { row, verdict, ahead: inFlight(readAhead ? readAhead() : Promise.resolve(undefined as Ahead)) };
      },
    );
    if ('refused' in outcome) throw conflict(outcome.refused);
    return outcome.task;
  }

  /**
   * The ownership rule alone, read-only: what a report would be told before it is made. A done
   * merges its worktree first (outside any transaction, it takes git a while), but only for a
   * reporter the rule lets finish the task; the done's own transaction checks again.
   */
  async precheck(id: string, reporter: Reporter, kind: ReportKind): Promise<string | null> {
    // The task and the reporting run's own agent, asked for together (one round trip on PostgreSQL).
    const verdict = await checkReport(this.core, reporter, requireTaskRow(this.core, id), kind);
    return verdict.ok ? null : verdict.reason;
  }

  /** Who reports a done: the reporter given, else an agent named with --agent, else a person. */
  doneReporter(agent: string | undefined, reporter?: Reporter): Reporter {
    return reporter ?? (agent ? { kind: 'agent', agentId: agent, runId: null } : PERSON);
  }

  /**
   * `wg done`: the task is done, with the artifacts or results given. An agent may finish only
   * what it holds (run-reports.ts); a person's done ends the run that held the task. `worktree`:
   * what its worktree's merge came to (worktrees/merge-on-done.ts), written in the same transaction.
   * An agent's done on work the evaluation gate covers (`gate`) makes the task pending-eval
   * instead: its dependents keep waiting for a passing score. So does anyone's done while the task's
   * upstream `.evaluate-X` has not ended (upstream's `wg done`: pick_done_target_status): that evaluation
   * scores it, and this app's evaluator settles it (agency/system-tasks.ts).
   */
  async done(
    id: string,
    options: {
      agent?: string;
      artifacts?: string[] | Record<string, JsonValue>;
      worktree?: WorktreeWrite | null;
      gate?: GateCheck;
      /** The coordinator's done for an agent that exited 0 without `wg done` (its work merged): said so in the log. */
      afterExit?: boolean;
      /** Upstream's `validation` mode of the task: pending-validation instead, for a validator to approve or reject. */
      validation?: 'external' | 'llm';
    },
    actor: string,
    reporter?: Reporter,
  ): Promise<Task> {
    const who = this.doneReporter(options.agent, reporter);
    return this.report(
      id,
      who,
      'done',
      async (row, holder, rev, ahead) => {
        if (row.status === 'done' || row.status === 'abandoned') throw conflict(`task '${id}' is already ${row.status}`);
        const [, pending] = await ahead;
        const artifacts = JSON.parse(row.artifacts) as string[];
        let results = JSON.parse(row.results) as Record<string, JsonValue>;
        if (Array.isArray(options.artifacts)) {
          for (const a of options.artifacts) if (!artifacts.includes(a)) artifacts.push(a);
        } else if (options.artifacts) {
          results = { ...results, ...options.artifacts };
        }
        const by = actorOf(who, actor);
        const validating = options.validation !== undefined;
        const gated = !validating && who.kind === 'agent' && (await options.gate?.(this.core, id, who.agentId)) === true;
        const evaluate = !validating && (gated || pending);
        const pendingLine = gated ? PENDING_EVAL_LINE : `Task pending eval (done reported; awaiting ${evaluationTaskOf(id)} to score)`;
        await endHolder(this.core, holder, who, 'done', `task marked done by ${by}`, rev, true);
        await transition(
          this.core,
          row,
          {
            status: validating ? 'pending-validation' : evaluate ? 'pending-eval' : 'done',
            completed_at: this.core.nowIso(),
            failure_reason: null,
            artifacts,
            results,
            assigned: who.kind === 'agent' ? who.agentId : row.assigned,
            // A wait (a rate limit's reset) is over once the task is done; a schedule sets its next time below.
            not_before: null,
          },
          rev,
        );
        if (options.afterExit && who.kind === 'agent') {
          // Never "agent reported done": it did not call wg done, its exit 0 and its own work stood for it.
          const exited = `agent ${who.agentId} exited 0 without wg done`;
          await appendLog(
            this.core,
            id,
            'coordinator',
            evaluate ? `Task pending eval (${exited}; its work awaits evaluation)` : `Task done: ${exited}; its work was merged`,
          );
        } else if (options.validation !== undefined) {
          // Upstream's own words: its validator and the window read them.
          await appendLog(this.core, id, by, `Task pending ${options.validation === 'llm' ? 'LLM gate' : 'external'} validation`);
        } else {
          await appendLog(this.core, id, by, evaluate ? pendingLine : 'Task marked done');
        }
        // Done only once a score says so (gate-writes.ts re-arms a schedule then), or a validator.
        if (!evaluate && !validating && row.schedule !== null) await rearmSchedule(this.core, id, rev);
        if (options.worktree) await this.writeWorktree(id, options.worktree, by, rev);
      },
      // What holds the done back, and whether `.evaluate-X` scores it.
      () => allDone<[unknown, boolean]>([this.requireUnblocked(id), evaluationPending(this.core, id)]),
    );
  }

  /** Throws upstream's refusal when unresolved dependencies hold the task back (done-blockers.ts). */
  async requireUnblocked(id: string): Promise<void> {
    const refusal = await doneRefusal(this.core, id);
    if (refusal !== null) throw conflict(refusal);
  }

  private async writeWorktree(id: string, write: WorktreeWrite, actor: string, rev: number): Promise<void> {
    await new WorktreeRecords(this.core).update(write.id, write.change, rev);
    for (const line of write.log) await appendLog(this.core, id, actor, line);
    if (write.mergeTask && !(await findTaskState(this.core, write.mergeTask.id))) {
      await insertTask(this.core, write.mergeTask, rev);
      await appendLog(this.core, write.mergeTask.id, actor, `Task created: ${id} was done without its merge`);
    }
  }

  async fail(id: string, reason: string | undefined, actor: string, reporter: Reporter = PERSON, how: FailHow = {}): Promise<Task> {
    return this.report(
      id,
      reporter,
      'fail',
      async (row, holder, rev, extra) => {
        // Upstream's --eval-reject fails a done task: the evaluation found its work unacceptable.
        if ((row.status === 'done' && !how.evalReject) || row.status === 'abandoned')
          throw conflict(`task '${id}' is already ${row.status}`);
        // Already failed: nothing changes and nothing is counted twice (upstream's `wg fail`).
        if (row.status === 'failed') return;
        const by = actorOf(reporter, actor);
        // This failure's class, or none (upstream's fail sets it from --class alone): an earlier failure's is not this one's.
        await updateExtra(this.core, id, { failure_class: how.failureClass ?? null }, extra);
        // Upstream's rescue path: an agent that exited without `wg done`, with evaluation on, is scored first.
        if (how.rescue && row.status !== 'failed-pending-eval') {
          await endHolder(this.core, holder, reporter, 'failed', `task marked failed by ${by}: ${reason ?? 'no reason given'}`, rev, true);
          await transition(
            this.core,
            row,
            { status: 'failed-pending-eval', completed_at: this.core.nowIso(), failure_reason: reason ?? null },
            rev,
          );
          await appendLog(this.core, id, by, 'Agent exited without wg done — entering failed-pending-eval for rescue evaluation');
          return;
        }
        await endHolder(this.core, holder, reporter, 'failed', `task marked failed by ${by}: ${reason ?? 'no reason given'}`, rev, true);
        // Each failure counts as an attempt (upstream's retry_count); a retry only reopens.
        await transition(
          this.core,
          row,
          { status: 'failed', completed_at: this.core.nowIso(), failure_reason: reason ?? null, retry_count: row.retry_count + 1 },
          rev,
        );
        const line = how.evalReject
          ? `Evaluation rejected task${reason ? `: ${reason}` : ''}`
          : `Task failed: ${reason ?? 'no reason given'}`;
        await appendLog(this.core, id, by, line);
        if (row.schedule !== null) await rearmSchedule(this.core, id, rev);
      },
      // The extra its failure's class is written into.
      () => extraOf(this.core, id),
    );
  }

  /**
   * `wg log`. `alsoRead`: a read of the caller's sent with the report's opening (a run's look for its unread messages),
   * so it pays no round trip of its own; what it reads is as the report found the graph.
   */
  async log(id: string, message: string, actor: string, reporter: Reporter = PERSON, alsoRead?: () => Promise<unknown>): Promise<Task> {
    return this.report(
      id,
      reporter,
      'log',
      async (row, _holder, rev, also) => {
        // Its answers came with the opening's: the writes leave once they are all in, as every report's do. A failure of
        // that read is its caller's to meet (it awaits the read itself), not the log's.
        await also.catch(() => undefined);
        await appendLog(this.core, id, actorOf(reporter, actor), message);
        await this.core.send(this.core.build.updateTable('tasks').set({ rev }).where('id', '=', row.id));
      },
      alsoRead,
    );
  }

  /**
   * `wg artifact ID VALUE`: recorded once (a second time changes nothing, as upstream's), and whether it was there
   * already, as the report found the task.
   */
  async artifact(id: string, value: string, actor: string, reporter: Reporter = PERSON): Promise<{ task: Task; already: boolean }> {
    let already = false;
    const task = await this.report(id, reporter, 'artifact', async (row, _holder, rev) => {
      const artifacts = JSON.parse(row.artifacts) as string[];
      already = artifacts.includes(value);
      if (already) return;
      artifacts.push(value);
      await transition(this.core, row, { artifacts }, rev);
      await appendLog(this.core, id, actorOf(reporter, actor), `Artifact: ${value}`);
    });
    return { task, already };
  }

  /** `wg artifact ID VALUE --remove` (upstream's run_remove): refused when the task has no such artifact. */
  async removeArtifact(id: string, value: string, actor: string, reporter: Reporter = PERSON): Promise<Task> {
    return this.report(id, reporter, 'artifact', async (row, _holder, rev) => {
      const artifacts = JSON.parse(row.artifacts) as string[];
      if (!artifacts.includes(value)) throw conflict(`Artifact '${value}' not found on task '${id}'`);
      await transition(this.core, row, { artifacts: artifacts.filter((a) => a !== value) }, rev);
      await appendLog(this.core, id, actorOf(reporter, actor), `Artifact removed: ${value}`);
    });
  }

  /** `wg pause`: refused when the task already is paused, as upstream's is. */
  async setPaused(id: string, paused: boolean, actor: string): Promise<Task> {
    await this.core.write(async (rev) => {
      const row = await requireTaskRow(this.core, id);
      if (paused && row.paused === 1) throw conflict(`Task '${id}' is already paused`);
      // A paused task's dependencies are checked when it is published (upstream's `wg resume`, `validate_task_deps`).
      const dangling = paused ? [] : await danglingDependenciesOf(this.core, id);
      if (dangling.length > 0)
        throw invalid(`Cannot publish task '${id}': dangling dependencies: ${dangling.map((d) => `'${d}'`).join(', ')}`);
      await transition(this.core, row, { paused }, rev);
      await appendLog(this.core, id, actor, paused ? 'Task paused' : 'Published');
    });
    return getTask(this.core, id);
  }

  /** Throws unless the task may be retried (checked before `--fresh` sets its worktree aside). */
  async requireRetryable(id: string): Promise<void> {
    retryable(await requireTaskRow(this.core, id));
  }

  /**
   * Upstream's `wg retry`: the task opens again with its failure cleared and retry_count as
   * `fail` left it; a failed task whose own max_retries is used up is refused. Why the last attempt
   * stopped stays in the log ("Task failed: …" before "Retry #N"), where the next prompt finds it.
   * An in-progress task (upstream's retry_in_progress: a run that hangs) counts the attempt itself, as
   * a `fail` would have, and the run holding it ends as a requeue ends it (the coordinator stops its
   * process); its max_retries is honoured the same way. `reason`: why, kept in the log.
   */
  async retry(id: string, actor: string, reason?: string, preserveSession = false): Promise<Task> {
    await this.core.write(async (rev) => {
      const row = retryable(await requireTaskRow(this.core, id));
      const inProgress = row.status === 'in-progress';
      if ((row.status === 'failed' || inProgress) && row.max_retries !== null && row.retry_count >= row.max_retries) {
        throw conflict(
          `Task '${id}' has reached max retries (${row.retry_count}/${row.max_retries}). Consider abandoning or increasing max_retries.`,
        );
      }
      const holder = inProgress ? await checkHolder(this.core, row) : null;
      await endHolder(this.core, holder, PERSON, 'killed', `task retried by ${actor}${reason ? `: ${reason}` : ''}`, rev);
      // Upstream starts the retry in a fresh session (the old one may be dead), its checkpoint with it, unless --preserve-session.
      await reopenForRetry(this.core, row, rev, { preserveSession, countAttempt: inProgress });
      const ended = holder?.state === 'working' ? `: the run of ${holder.id} ended` : '';
      const why = reason ? ` (${reason})` : '';
      await appendLog(
        this.core,
        id,
        actor,
        inProgress ? `Retry #${row.retry_count + 1} from in-progress${ended}${why}` : `Retry #${Math.max(1, row.retry_count)}${why}`,
      );
    });
    return getTask(this.core, id);
  }

  /** Upstream's `wg abandon`: a second abandon changes nothing; X's own system tasks go with it (abandon-cascade.ts). */
  async abandon(id: string, reason: string | undefined, actor: string): Promise<Task> {
    return (await this.abandonWithCascade(id, reason, actor)).task;
  }

  /** The same, saying what went with it and whether it was abandoned already (upstream's output). */
  async abandonWithCascade(
    id: string,
    reason: string | undefined,
    actor: string,
    supersededBy: readonly string[] = [],
  ): Promise<AbandonResult> {
    const outcome = await this.core.write(async (rev) => {
      const row = await requireTaskRow(this.core, id);
      if (row.status === 'abandoned') return { auto_abandoned: [], already_abandoned: true };
      const cascaded: string[] = [];
      if (row.status === 'done') throw conflict(`task '${id}' is already done`);
      await endHolder(this.core, await checkHolder(this.core, row), PERSON, 'killed', `task abandoned by ${actor}`, rev);
      await transition(this.core, row, { status: 'abandoned', completed_at: this.core.nowIso(), failure_reason: reason ?? null }, rev);
      // Upstream's --superseded-by: the tasks that replace it, kept as its superseded_by.
      if (supersededBy.length > 0) await updateExtra(this.core, id, { superseded_by: [...supersededBy] });
      await appendLog(this.core, id, actor, `Abandoned${reason ? `: ${reason}` : ''}`);
      for (const target of await abandonCascade(this.core, id)) {
        await endHolder(
          this.core,
          await checkHolder(this.core, await requireTaskRow(this.core, target.id)),
          PERSON,
          'killed',
          cascadeReason(id),
          rev,
        );
        await transition(
          this.core,
          target,
          { status: 'abandoned', completed_at: this.core.nowIso(), failure_reason: cascadeReason(id) },
          rev,
        );
        await appendLog(this.core, target.id, actor, cascadeLogLine(id));
        cascaded.push(target.id);
      }
      // Its work no longer awaits a score: unmerged work like any other (the sweep keeps its commits on a recover/ branch).
      const worktrees = new WorktreeRecords(this.core);
      const worktree = await worktrees.newestForTask(id);
      if (worktree?.state === 'awaiting-eval') await worktrees.update(worktree.id, { state: 'active' }, rev);
      return { auto_abandoned: cascaded, already_abandoned: false };
    });
    return { task: await getTask(this.core, id), ...outcome };
  }
}

/** How a `wg fail` fails: upstream's --class (kept as failure_class), --eval-reject, and its rescue path. */
export interface FailHow {
  failureClass?: string;
  /** A done task may be failed: the evaluation rejected its work. */
  evalReject?: boolean;
  /** Enter failed-pending-eval for the evaluator to rescue or fail, rather than failed. */
  rescue?: boolean;
}

/** Additions to and removals from a task's dependencies, tags and (upstream's) skills. */
export interface ListEdits {
  addAfter?: readonly string[];
  removeAfter?: readonly string[];
  addTag?: readonly string[];
  removeTag?: readonly string[];
  addSkill?: readonly string[];
  removeSkill?: readonly string[];
}

/** Upstream's `skills` of a task, kept in its extra. */
function skillsOf(row: TaskRow): string[] {
  const skills = (JSON.parse(row.extra) as Record<string, JsonValue>).skills;
  return Array.isArray(skills) ? skills.filter((skill): skill is string => typeof skill === 'string') : [];
}

/** `list` with `add` appended (once each) and `remove` taken out. */
function amend(list: readonly string[], add: readonly string[] = [], remove: readonly string[] = []): string[] {
  const result = list.filter((item) => !remove.includes(item));
  for (const item of add) if (!result.includes(item) && !remove.includes(item)) result.push(item);
  return result;
}

/** The run holding the task, for commands that are a person's by nature (unclaim, abandon). */
async function checkHolder(core: StoreCore, row: TaskRow): Promise<Holder | null> {
  const verdict = await checkReport(core, PERSON, row, 'done');
  return verdict.ok ? verdict.holder : null;
}

function retryable<R extends { id: string; status: string }>(row: R): R {
  // failed-pending-eval is a failure still waiting for its rescue evaluation: a person may retry it instead.
  if (!['in-progress', 'failed', 'abandoned', 'incomplete', 'failed-pending-eval'].includes(row.status)) {
    throw conflict(
      `task '${row.id}' is ${row.status}; only in-progress, failed, abandoned, incomplete or failed-pending-eval tasks can be retried`,
    );
  }
  return row;
}
