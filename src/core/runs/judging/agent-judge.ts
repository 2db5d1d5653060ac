import { filterAsync } from '../../../shared/async-arrays';
import { groupAlive } from '../../processes/process-group';
import type { ProjectPaths } from '../../project';
import { readRunEvents, runDir } from '../../run-folder/run-log';
import { runFiles } from '../../run-folder/run-files';
import type { Store } from '../../store/store';
import type { ConfigView } from '../../config/config-view';
import { type AgentTaskRow, agentRowsById, agentViewById, type LaunchRecords, viewsOfRows } from '../run-views';
import { inFlight } from '../../store/in-flight';
import { type SettledRow, type SettleRead, settledRows } from '../settling/settle';
import { evaluationTaskOf } from '../../graph/readiness';
import { runRateLimit } from '../rules/rate-limit';
import { missingProgram, variableNaming } from '../../run-failures/failure-reason';
import { resumeFailed } from '../watching/reconcile';
import { runPid } from '../../run-folder/run-handle';
import type { RunExit } from '../watching/run-monitor';
import { decide, isSettling } from '../../deciding/scheduler';
import type { Action, AgentView, RunEnd, SchedulerEvent, SchedulerState } from '../../deciding/scheduler-types';
import type { InternalRequest } from '../claiming/internal-run';
import type { InternalResult } from '../local-runs';
import { triageDead } from '../triage/triage-apply';
import { heartbeatTimeoutSeconds } from '../../config/settings';
import { agentAccount } from '../rules/run-account';
import { leftEvidence } from '../watching/work-evidence';
import { readBaseline } from '../../worktrees/folder-baseline';
import { settleRunStrays } from '../../worktrees/stray-worktrees';
import { strayRun } from '../../worktrees/run-strays';
import { lastingStartFailure } from './start-failure';
import { hasWorkToMerge, howItEnded, mergeAfterExit, tasksWithWorkToMerge } from '../../worktrees/merge-after-exit';
import type { GateCheck } from '../../store/agency/gate-entry';
import type { RunEvent } from '../../../shared/run-event';
import { findTaskRow } from '../../store/task-reads';
import { appendLog, touch } from '../../store/task-writes';
import { errorText } from '../../../shared/errors';
import { ContextSlot } from '../../store/context-slot';
import type { TurnGate } from './turn-gate';

/**
 * What judging runs' ends reads of them in the store, at once (AgentJudge.readExitRows): their agents' and tasks' rows,
 * the tasks holding work to merge, and the rows their settles read (none when the turn's reads are not trusted).
 */
export interface ExitRows {
  agents: readonly AgentTaskRow[];
  toMerge: Set<string>;
  settled: Map<string, SettledRow>;
}

/** ExitRows of these runs (`settledToo`: with the rows their settles read), sent before the first await. */
export async function readExitRows(store: Store, agentIds: readonly string[], settledToo: boolean): Promise<ExitRows> {
  const agents = inFlight(agentRowsById(store, agentIds));
  const toMerge = inFlight(tasksWithWorkToMerge(store, agentIds));
  const settled = settledToo ? inFlight(settledRows(store.core, agentIds)) : null;
  return { agents: await agents, toMerge: await toMerge, settled: (await settled) ?? new Map<string, SettledRow>() };
}

/** What judging a turn's ended runs reads of them at once (AgentJudge.readExits). */
export interface ExitReads {
  views: Map<string, AgentView>;
  /** The tasks holding work to merge when their run ends. */
  toMerge: Set<string>;
  /** The rows the runs' settles read, by agent (none when the turn's reads are not trusted). */
  settled: Map<string, SettledRow>;
}

export interface JudgeDeps {
  store: Store;
  paths: ProjectPaths;
  records: LaunchRecords;
  config: ConfigView;
  env: NodeJS.ProcessEnv;
  log: { info(message: string): void; error(message: string): void };
  /** `read`: what the turn read of the run its actions settle (settle.ts SettleRead), when it may stand in for a read. */
  perform(actions: Action[], read?: SettleRead): Promise<void>;
  /** The store changed: the engine should look at the whole picture again. */
  wake(): void;
  stopping(): boolean;
  paused(): boolean;
  runInternal(request: InternalRequest): Promise<InternalResult>;
  /** The evaluation gate as configured now: a merge after exit is the agent's done and goes through it. */
  gate(): GateCheck;
}

/** Grace after a run's group is gone before a signal death is judged: a kill by hand may record itself just then. */
const KILL_RECORD_GRACE_MS = 500;
/** The killer's own windows: SIGTERM grace (5 s) then SIGKILL (3 s). */
const KILLER_WINDOW_MS = 9000;
/** The end of a run's output where its account of a failure is. */
const LAST_EVENTS = 50;
/** How far back a run's own tool calls are looked for, as evidence of work in a shared folder. */
const EVIDENCE_EVENTS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ownsTask = (agent: AgentView) => agent.task.status === 'in-progress' && agent.task.assigned === agent.id;

/**
 * Decides about one agent at a time: how its run ended, a launch that failed, what triage said.
 * The agent is read from the store at that moment and the pure scheduler gives the actions.
 * Judgements that wait (a signal death's grace, a look for evidence of work, a triage run) mark
 * the agent `busy` meanwhile.
 */
export class AgentJudge {
  readonly busy = new Set<string>();
  /** The ends of runs settled on the turn's read (SettleRead) of the turn under way, checked before it commits. */
  private trustedEnds: Array<{ agentId: string; ended: () => Promise<boolean> }> = [];
  /** A turn's read did not hold once (checkTrusted): every run is settled on a read of its own from then on. */
  private readsDistrusted = false;
  /** How many judgements hold each busy agent: a judgement may start another (a signal death's wait asks for triage). */
  private readonly holds = new Map<string, number>();
  /**
   * The judging under way that may merge a run's work, for a stop to wait for (idle). Not a triage, which asks an
   * agent and may take minutes, nor a signal death's grace: a stop would wait on them for nothing it must finish.
   */
  private readonly underWay = new Set<Promise<void>>();
  private readonly triaging = new Set<string>();
  /** The turn whose work the caller is part of: judging it starts apart waits for its end (inTurn). */
  private readonly turn = new ContextSlot<TurnGate>();

  constructor(private readonly d: JudgeDeps) {}

  /**
   * What judging the runs a turn found ended reads of them, for all of them at once: their agents, which of their tasks
   * hold work to merge, and the rows their settles read. Sent before the first await, so they travel with what the
   * turn sends next (its opening) instead of taking a round trip of their own, or one per run. The configuration is
   * the one the turn looked at when it began. `ahead`: the rows read before the turn, when it stands on them
   * (ExitReadsAhead; of these runs and others).
   */
  async readExits(exits: readonly RunExit[], ahead?: ExitRows): Promise<ExitReads | null> {
    if (this.d.stopping() || exits.length === 0) return null;
    const ids = new Set(exits.map((exit) => exit.agentId));
    const rows = ahead ?? (await this.readExitRows([...ids]));
    const agents = rows.agents.filter((row) => ids.has(row.id));
    const views = await viewsOfRows(agents, this.d.records, this.d.config.now().settings);
    return { views, toMerge: rows.toMerge, settled: this.readsDistrusted ? new Map<string, SettledRow>() : rows.settled };
  }

  /**
   * The store's part of readExits, for these runs, in one round trip on PostgreSQL (sent before the first await): read
   * in the turn that judges their ends, or ahead of it, before the turn that left them working committed
   * (ExitReadsAhead).
   */
  readExitRows(agentIds: readonly string[]): Promise<ExitRows> {
    return readExitRows(this.d.store, agentIds, !this.readsDistrusted);
  }

  /**
   * The runs a turn found ended, judged one after the other inside it on what `readExits` read. Judging one run changes
   * only its own agent and task (and its task's dependents' counts), so an agent whose task another of these runs had
   * too is read when judged. The turn calls checkTrusted before it commits.
   */
  async exitedAll(exits: readonly RunExit[], reads: ExitReads | null): Promise<void> {
    this.trustedEnds = [];
    if (this.d.stopping() || !reads) return;
    const { views, toMerge, settled } = reads;
    const agentIds = exits.map((exit) => exit.agentId);
    const tasks = [...views.values()].map((view) => view.task.id);
    const shared = new Set(tasks.filter((id, index) => tasks.indexOf(id) !== index));
    // Judging one run changes its own agent and task (and its dependents' counts), and whether the task it evaluates
    // is pending evaluation: a settle may use the turn's read of a run met once, whose task is no other's here, and
    // that is neither the evaluation of another's task nor evaluated by another.
    const once = new Set(agentIds.filter((id, index) => agentIds.indexOf(id) === index && agentIds.lastIndexOf(id) === index));
    const related = new Set(tasks.flatMap((id) => [id, evaluationTaskOf(id)]).filter((id, index, all) => all.indexOf(id) !== index));
    for (const exit of exits) {
      const view = views.get(exit.agentId);
      const row = settled.get(exit.agentId);
      const standsIn =
        view?.state === 'working' &&
        row &&
        once.has(exit.agentId) &&
        !related.has(view.task.id) &&
        !related.has(evaluationTaskOf(view.task.id));
      const read =
        view && !shared.has(view.task.id)
          ? { view, toMerge: toMerge.has(view.task.id), settled: standsIn && row ? this.settleRead(exit.agentId, row) : undefined }
          : null;
      await this.exited(exit, read);
    }
  }

  /**
   * The ends of the runs settled on the turn's read: each ended a working run, as that read said. Called at the end of
   * the turn, before it commits (their row counts came back with the statements sent since). Throws, so that the turn
   * is undone, if one did not: the turn is taken again, every run then settled on a read of its own.
   */
  async checkTrusted(): Promise<void> {
    const ends = this.trustedEnds;
    this.trustedEnds = [];
    const stale = await filterAsync(ends, async (end) => !(await end.ended()));
    if (stale.length === 0) return;
    this.readsDistrusted = true;
    throw new Error(
      `the turn's read of ${stale.map((end) => end.agentId).join(', ')} did not hold (already ended); the turn is taken again`,
    );
  }

  private settleRead(agentId: string, row: SettledRow): SettleRead {
    return { agentId, row, trusted: (ended) => this.trustedEnds.push({ agentId, ended }) };
  }

  /**
   * `read`: the run's agent, whether its task holds work to merge and the row its settle reads, as readExits read
   * them (null: read now).
   */
  private async exited(exit: RunExit, read: { view: AgentView; toMerge: boolean; settled: SettleRead | undefined } | null): Promise<void> {
    if (this.d.stopping()) return;
    const view = read ? read.view : await this.view(exit.agentId);
    if (view?.state !== 'working') return;
    const end = await this.runEnd(exit);
    const judge = (current: AgentView | undefined, extra: Partial<RunEnd> = {}) =>
      this.decideFor(current, (agent) => ({ type: 'exited', agent, ...end, ...extra }));
    if (exit.code === null && !end.rate_limit) {
      // Died by a signal: possibly a kill by hand, which may record itself only once the whole group is gone.
      const agent = await this.d.store.agents.find(exit.agentId);
      this.wait(exit.agentId, () =>
        this.afterGroupGone(agent ? runPid(this.d.paths, agent) : null).then(async () =>
          judge(await this.view(exit.agentId), exit.neverBegan ? { never_began: true } : {}),
        ),
      );
      return;
    }
    const record = await this.d.records.get(exit.agentId);
    const evidence = () =>
      leftEvidence({
        core: this.d.store.core,
        taskId: view.task.id,
        agentId: view.id,
        baselineFile: runFiles(runDir(this.d.paths.runsDir, view.id)).baseline,
        sharedFolder: this.d.paths.root,
        events: () => this.lastEvents(exit.agentId, EVIDENCE_EVENTS),
      });
    const merge = (found: boolean | null) =>
      this.mergeAfterExit(view, async (after) =>
        judge(await this.view(exit.agentId), after.kind === 'done' || found === null ? {} : { evidence: found }),
      );
    if (exit.code === 0 && record?.needs_evidence && ownsTask(view)) {
      // An agent that exits 0 without `wg done` is done only with evidence of work of its own: what it
      // reported, what it changed since it started. Commits an earlier attempt left in its worktree
      // were there at its start and are not this run's evidence; only then is the worktree merged.
      this.wait(
        exit.agentId,
        () =>
          evidence().then(async (found) => {
            if (!found.found) return judge(await this.view(exit.agentId), { evidence: false, no_evidence_reason: found.reason ?? null });
            return (await hasWorkToMerge(this.d.store, view.task.id))
              ? merge(true)
              : judge(await this.view(exit.agentId), { evidence: true });
          }),
        { merges: true },
      );
      return;
    }
    if (exit.code === 0 && ownsTask(view) && (read ? read.toMerge : await hasWorkToMerge(this.d.store, view.task.id))) {
      // A command's exit 0 (a shell task, in its own worktree) is its done: its commits are merged.
      this.wait(exit.agentId, () => merge(null), { merges: true });
      return;
    }
    // Judged now, in the turn that read it: its settle may use that read.
    await this.decideFor(view, (agent) => ({ type: 'exited', agent, ...end }), read?.settled);
  }

  /**
   * What a run that ended made outside its branch (worktrees, branches: stray-worktrees.ts), however it ended, its own
   * `wg done` included: accounted for before its end is judged, so that what is brought onto its branch is merged
   * with it, and while it still counts as working, so that no sweep removes its worktree meanwhile. Outside any
   * turn (a few git calls). Never fails: what went wrong is in the coordinator's log.
   */
  async settleStrays(agentId: string): Promise<void> {
    try {
      // Only a run whose start noted the repository's worktrees has any to look for: the others need no read of their row.
      if (!readBaseline(runFiles(runDir(this.d.paths.runsDir, agentId)).baseline)?.worktrees) return;
      const taskId = (await this.d.store.agents.find(agentId))?.task_id;
      const run = taskId ? strayRun(this.d.paths, agentId, taskId) : null;
      if (!run) return;
      const lines = await settleRunStrays({ store: this.d.store, paths: this.d.paths }, run);
      for (const line of lines) this.d.log.info(`${run.taskId}: ${line}`);
    } catch (error) {
      this.d.log.error(`looking for worktrees and branches ${agentId} made: ${errorText(error)}`);
    }
  }

  /** Merges the work of a run that exited 0; work that cannot be merged fails its task (the worktree stays). */
  private async mergeAfterExit(view: AgentView, then: (after: { kind: 'none' | 'done' }) => Promise<void>): Promise<void> {
    const after = await mergeAfterExit({ store: this.d.store, paths: this.d.paths }, view.task.id, view.id, this.d.gate()).catch(
      async (error: unknown) => ({
        kind: 'unmerged' as const,
        // An unforeseen failure (git's own words, a file error): one sentence here, what it said in the task's log.
        reason: `${await this.howItEnded(view)}, and its work could not be merged (the error is in the task log)`,
        detail: `the merge failed: ${errorText(error)}`,
      }),
    );
    if (after.kind !== 'unmerged') return then(after);
    const detail = 'detail' in after ? { detail: after.detail } : {};
    await this.d.perform([
      // An attempt like any run the coordinator fails (docs/runs.md): `wg retry` and the budget count it.
      {
        type: 'fail',
        agent_id: view.id,
        task_id: view.task.id,
        reason: after.reason,
        agent_state: 'failed',
        exit_code: 0,
        attempt: true,
        ...detail,
      },
    ]);
    this.d.records.forget(view.id);
    this.d.wake();
  }

  /** "exited without wg done", or that its own done was refused (the task's log says so), for a failure's reason. */
  private async howItEnded(view: AgentView): Promise<string> {
    try {
      return howItEnded(await this.d.store.get(view.task.id), view.id);
    } catch {
      return 'exited without wg done';
    }
  }

  /** `detail`: what the start printed (a worktree setup script's output), kept in the task's log beside the one-line reason. */
  async launchFailed(agentId: string, reason: string, detail?: string): Promise<void> {
    if (detail) {
      const taskId = (await this.d.store.agents.find(agentId))?.task_id;
      if (taskId) await noteInLog(this.d.store, taskId, `What the start of ${agentId} printed: ${detail}`);
    }
    const lasting = lastingStartFailure(this.d.paths.root, reason);
    if (lasting !== null && lasting !== reason) this.d.log.info(`${agentId} did not start: ${reason}`);
    await this.decide(agentId, (agent) => ({ type: 'launch-failed', agent, reason: lasting ?? reason, lasting: lasting !== null }));
  }

  /** Any other event about one agent (a remote run's end), judged now. */
  async judge(agentId: string, event: (agent: AgentView) => SchedulerEvent): Promise<void> {
    await this.decide(agentId, event);
  }

  async triage(agentId: string, reason: string): Promise<void> {
    // Not `busy`: the judgement that found the agent dead (a signal death's grace) still holds it while it asks.
    if (this.triaging.has(agentId)) return;
    this.triaging.add(agentId);
    const config = await this.d.config.current();
    const done = () => this.triaging.delete(agentId);
    this.wait(
      agentId,
      async () => {
        try {
          const result = await triageDead({
            store: this.d.store,
            paths: this.d.paths,
            config,
            env: this.d.env,
            agentId,
            run: (request) => this.d.runInternal(request),
          }).catch((error: unknown) => ({ verdict: 'restart' as const, note: `triage failed (${String(error)})` }));
          if (!result) return;
          this.d.log.info(`triage of ${agentId}: ${result.verdict} (${result.note})`);
          await this.decide(agentId, (agent) => ({ type: 'triaged', agent, verdict: result.verdict, reason }));
        } finally {
          done();
        }
      },
      { dropped: done },
    );
  }

  /** What the run's exit, output and folder say about how it ended. */
  private async runEnd(exit: RunExit): Promise<RunEnd> {
    // Only a failure is explained by the agent's own account: a run that exited 0 is not read again.
    const account = exit.code === 0 ? null : agentAccount(this.lastEvents(exit.agentId));
    const output = (await this.d.records.get(exit.agentId))?.output;
    const structured = output === 'claude-stream-json' || output === 'codex-json';
    const rateLimit = runRateLimit({ code: exit.code, structured, account }, this.d.store.core.clock());
    const missing = exit.code === 127 ? missingProgram(exit.stderrTail) : null;
    return {
      code: exit.code,
      signal: exit.signal,
      stderr_tail: exit.stderrTail,
      missing_named_by: missing === null ? null : variableNaming(missing, this.d.env),
      account,
      rate_limit: rateLimit,
      resume_failed: resumeFailed(this.d.paths, exit.agentId, await this.d.records.get(exit.agentId), exit.code),
    };
  }

  private lastEvents(agentId: string, count = LAST_EVENTS): RunEvent[] {
    const dir = runDir(this.d.paths.runsDir, agentId);
    const total = readRunEvents(dir, agentId, 0, 1).total;
    return readRunEvents(dir, agentId, Math.max(0, total - count), count).events.map((e) => e.event);
  }

  /** Runs a turn's work: what it starts judging apart waits for the turn's end, and an undone turn drops it (TurnGate). */
  inTurn<R>(gate: TurnGate, work: () => Promise<R>): Promise<R> {
    return this.turn.run(gate, work);
  }

  /**
   * Holds the agent `busy` while `work` runs; the engine leaves it alone meanwhile. `merges`: the work may merge the
   * run's work, which a stop waits for (idle); a triage or a signal death's grace it does not. `dropped`: what a
   * judging dropped with its undone turn (TurnGate) leaves undone otherwise.
   */
  private wait(agentId: string, work: () => Promise<void>, { merges = false, dropped = () => {} } = {}): void {
    this.busy.add(agentId);
    this.holds.set(agentId, (this.holds.get(agentId) ?? 0) + 1);
    const gate = this.turn.get();
    // Started inside a turn, it goes on after the turn commits: its writes are transactions of their own.
    const judging = this.d.store.core
      .detached(async () => {
        if (gate && !(await gate.ended)) return dropped();
        await work();
      })
      .catch((error: unknown) => this.d.log.error(`judging ${agentId}: ${String(error)}`))
      .finally(() => {
        this.underWay.delete(judging);
        const left = (this.holds.get(agentId) ?? 1) - 1;
        if (left > 0) return void this.holds.set(agentId, left);
        this.holds.delete(agentId);
        this.busy.delete(agentId);
      });
    if (merges) this.underWay.add(judging);
    gate?.hold(judging);
  }

  /**
   * Resolves once the judging that may merge is over. A stop waits for it: a merge cut short between moving the base
   * branch and bringing the person's checkout along left that checkout showing the merge undone (a `git commit`
   * there would have undone it) until the next coordinator started. Its settle is left to that coordinator.
   */
  async idle(): Promise<void> {
    while (this.underWay.size > 0) await Promise.all([...this.underWay]);
  }

  /** Waits as the killer does (kill(-pgid, 0) failing, zombies included), within its windows. */
  private async afterGroupGone(pid: number | null): Promise<void> {
    const deadline = Date.now() + KILLER_WINDOW_MS;
    while (pid !== null && groupAlive(pid) && Date.now() < deadline) await sleep(50);
    await sleep(KILL_RECORD_GRACE_MS);
  }

  private async view(agentId: string): Promise<AgentView | undefined> {
    return agentViewById(this.d.store, agentId, this.d.records, (await this.d.config.current()).settings);
  }

  private async decide(agentId: string, event: (agent: AgentView) => SchedulerEvent): Promise<void> {
    await this.decideFor(await this.view(agentId), event);
  }

  private async decideFor(agent: AgentView | undefined, event: (agent: AgentView) => SchedulerEvent, read?: SettleRead): Promise<void> {
    if (!agent || this.d.stopping()) return;
    const { actions } = decide(await this.settingsOnly(), event(agent));
    await this.d.perform(actions, read);
    // A run that is over (settled now, or already by someone else) needs its record no more: a
    // long-lived coordinator would only collect them. Read back from its row if ever needed.
    if (actions.some((action) => isSettling(action) && action.agent_id === agent.id)) this.d.records.forget(agent.id);
    this.d.wake();
  }

  /** Agent events need the settings, not the whole working set. */
  private async settingsOnly(): Promise<SchedulerState> {
    const { settings } = await this.d.config.current();
    return {
      now_ms: this.d.store.core.clock().getTime(),
      paused: this.d.paused(),
      max_agents: settings.coordinator.max_agents,
      heartbeat_timeout_s: heartbeatTimeoutSeconds(settings),
      default_max_retries: settings.agent.max_retries,
      auto_triage: settings.coordinator.auto_triage,
      ready: [],
      working: [],
      watched: [],
    };
  }
}

/** One line in a task's log from the coordinator (its own transaction, the task's rev moved so views see it). */
async function noteInLog(store: Store, taskId: string, message: string): Promise<void> {
  await store.core.write(async (rev) => {
    if (!(await findTaskRow(store.core, taskId))) return;
    await appendLog(store.core, taskId, 'coordinator', message);
    await touch(store.core, taskId, rev);
  });
}
