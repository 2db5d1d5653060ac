import type { Agent } from '../../shared/agent';
import { errorText, WgError } from '../../shared/errors';
import type { RunEvent } from '../../shared/run-event';
import { resolveExecutor } from '../config/executors';
import { killAgents } from '../runs/killing/kill-agents';
import { sweepRunCgroups } from '../processes/run-cgroup';
import type { Claimed, SpawnOverride } from '../runs/claiming/claim';
import { type Config, ConfigView, type ServiceOverrides } from '../config/config-view';
import type { EngineOptions } from './engine-options';
import { readSchedulerState, type TickState } from './engine-state';
import { inFlight } from '../store/in-flight';
import { ContextSlot } from '../store/context-slot';
import { derivedRecord, LaunchRecords } from '../runs/run-views';
import { findRuns, strayRuns } from '../runs/watching/reconcile';
import { runPid } from '../run-folder/run-handle';
import { finishPendingValidation, retireLegacyDaemonTasks } from '../upstream-sync/legacy-daemon-tasks';
import { hasEndedClaims, releaseEndedClaims } from '../runs/watching/ended-claims';
import { LocalRuns } from '../runs/local-runs';
import { TurnInbox } from './turn-inbox';
import { TurnFailures } from './turn-failures';
import { recordStats, statsFrom } from '../runs/watching/run-stats';
import { decide, isSettling, launchesShort, leavesWork } from '../deciding/scheduler';
import type { Action, AgentView, SchedulerEvent } from '../deciding/scheduler-types';
import { logSettled, recordPids, type SettleRead, settle } from '../runs/settling/settle';
import { baseAgentEnv } from '../runs/starting/agent-env';
import { storeSecrets } from '../runs/starting/store-access-env';
import { storeLocation } from '../config/store-location';
import { WakeTimers } from './wake-timers';
import { WaitingNotices } from './waiting-notice';
import { noteWaiting } from '../runs/claiming/waiting-note';
import { StartHolds } from './start-holds';
import type { StartWait } from '../../shared/service-types';
import { AgentJudge } from '../runs/judging/agent-judge';
import { installAgentWg } from '../runs/starting/agent-wg';
import { WorktreeSweeper } from './worktree-sweeper';
import { type AfterTurnRead, AgencyRuns } from '../agency/agency-runs';
import { runHop } from '../timing/run-hops';
import { inBackground } from '../engine-log';
import { WaitWatch } from '../waiting/wait-watch';
import { damagedDatabase, isDamageError } from '../store/db-file';
import { NewerSchemaError, refuseNewerSchema } from '../store/newer-schema';
import { plainFailure } from '../../shared/plain-failure';
import { FencedError } from '../store/postgres/pg-fence';
import { isContention, PipelinedWriteError, WriteEndedError, type WriteOptions } from '../store/sql-connection';
import { nextScheduledAt, type TasksRead } from '../store/task-reads';
import { TeamTurn } from './team-turn';
import { Launches } from './launches';
import type { ClaimPlan } from './claim-recheck';
import { releaseOwnClaims } from '../agency/internal-claims';
import { StartGate } from '../leases/start-gate';
import { ChatAgent } from './chat-agent';
import type { ChatExchange } from '../../shared/chat';

/**
 * How long a turn waits for another process's write lock: a turn that cannot commit is simply taken again a moment
 * later, with what has happened since.
 */
const TURN_LOCK_WAIT_MS = 250;

/**
 * The coordinator's turn under way, as the async context of its work sees it: what it claimed (started once it
 * commits), what it does once it commits, and whether it settled a run. Work of the turn (a settle, a claim) reaches it
 * through the context; anything else meanwhile (a judge's late settle, `wg spawn`) makes a transaction of its own.
 */
interface TurnUnderWay {
  claimed: Claimed[];
  /**
   * What a turn does once it commits: its log lines (a turn retried while the disk is full says them once, not at every
   * try) and what it read for later (the next scheduled task's time).
   */
  afterCommit: Array<() => void>;
  /** It settled a run (or saw one end): the worktree sweep is asked for once it commits. */
  sweepAsked: boolean;
  /**
   * Until the turn ends. A timer, watcher or process event set up during the turn carries its async context on, and
   * fires later as if inside it: an ended turn is no turn.
   */
  open: boolean;
}
/** Ready rows read beyond the free slots (a tick reads more when these were not enough). */
const READY_MARGIN = 2;

export type { EngineOptions } from './engine-options';

/**
 * The coordinator at the edge: wakes on every commit it sees (its own, or poked by another
 * process), asks the pure scheduler what to do, and performs it — claims, launches, kills,
 * settling transactions. Timers are only a safety net and deadlines.
 */
export class Engine {
  readonly config: ConfigView;
  private readonly records: LaunchRecords;
  private readonly runs: LocalRuns;
  private readonly timers: WakeTimers;
  private readonly env: NodeJS.ProcessEnv;
  private readonly baseEnv: Record<string, string>;
  private readonly judge: AgentJudge;
  /** Keeps ended runs' commits on recover/ branches and removes the worktrees nothing can be lost from. */
  private readonly sweeper: WorktreeSweeper;
  private readonly agency: AgencyRuns;
  /** The coordinator agent: `wg chat` and the window's chat. */
  private readonly chatAgent: ChatAgent;
  private paused = false;
  /** A turn claimed nothing because its lease was not sure to hold: the renewal takes another. */
  private heldForLease = false;
  /**
   * The engine's own commits need no second look (a turn ends with a tick): their notice, heard in the context that
   * committed, is passed over; anyone else's commit meanwhile wakes it.
   */
  private readonly quiet = new ContextSlot<{ open: boolean }>();
  /** The turn under way, for its own work (TurnUnderWay). */
  private readonly turn = new ContextSlot<TurnUnderWay>();
  /** A pump is asked for (queued) or under way (pumping); a wake from outside the pump meanwhile asks for another. */
  private queued = false;
  private pumping = false;
  private wakeAgain = false;
  /** Ended runs and started runs' pids, for the next pump. */
  private readonly inbox = new TurnInbox(() => this.wake());
  /** Claims, and the starts of their runs once committed: a stop waits for those, so that it kills or leaves every run it made. */
  private readonly launches: Launches;
  /**
   * What its committed claims start (runs, internal runs, and the agent-daemon jobs it sends) goes through this: only
   * while its lease cannot have lapsed, else at the next renewal, never once fenced.
   */
  readonly starts: StartGate;
  /** The tick settled runs itself (a timeout, a retry): what became ready needs another look. */
  private lookAgain = false;
  private stopping = false;
  /** No more turns: graph.db has a broken page (each would meet it again, or write on into the file), or a newer wg migrated it. */
  private turnsEnded = false;
  private readonly failures = new TurnFailures();
  /** The last write undone was pipelined: taken again at once, savepoint by savepoint (WriteOptions.pipelined). */
  private againAtOnce = false;
  private readonly waiting = new WaitingNotices();
  /** The settings the holds were found under. */
  private heldUnder: Config | null = null;
  /** What this machine lacks for a start (an agent CLI, a first commit): its tasks wait, and the coordinator is woken once it is there. */
  private readonly holds = new StartHolds((cleared) => {
    for (const hold of cleared) {
      this.o.log.info(`${hold.cleared}: the tasks of executor ${hold.executors.map((e) => `'${e}'`).join(', ')} that waited may start`);
    }
    this.wake();
  });
  /** Tasks parked by `wg wait`: released in a turn once their condition holds. */
  private readonly parked: WaitWatch;
  private started = false;
  private wgBinDir = '';
  private unsubscribe: (() => void) | null = null;
  /** A team's graph: what only its turns do (null on a graph of one coordinator). */
  private readonly team: TeamTurn | null;
  startedAt: Date | null = null;

  constructor(private readonly o: EngineOptions) {
    this.env = o.env ?? process.env;
    // Its runs get no way into the store but its API: not its PG* variables, nor its store's URL or password.
    this.baseEnv = baseAgentEnv(this.env, storeSecrets(storeLocation(o.paths), this.env));
    this.starts = new StartGate(
      () => this.mayClaim(),
      () => this.o.leaseLeftMs?.() ?? Number.POSITIVE_INFINITY,
    );
    this.config = new ConfigView(o.paths, o.overrides ?? {}, (m) => o.log.warn(m));
    this.records = new LaunchRecords(
      (id) => o.store.agents.launchRecord(id),
      (agent) => derivedRecord(agent, this.config.now()),
      (id) => o.store.agents.find(id),
    );
    this.timers = new WakeTimers(() => this.wake());
    this.parked = new WaitWatch(
      () => this.wake(),
      (m) => o.log.warn(m),
    );
    this.runs = new LocalRuns({
      store: o.store,
      paths: o.paths,
      records: this.records,
      log: o.log,
      monitorPollMs: o.monitorPollMs,
      startContext: () => {
        const api = this.o.api?.() ?? { url: null, token: null };
        const { settings } = this.config.now();
        return {
          paths: o.paths,
          store: o.store,
          settings,
          baseEnv: this.baseEnv,
          wgBinDir: this.wgBinDir,
          apiUrl: api.url,
          apiToken: api.token,
          startWindowMs: () => this.starts.startWindowMs(),
        };
      },
      starts: this.starts,
      onEvents: (agentId, events, total) =>
        inBackground(this.onRunEvents(agentId, events, total), (m) => this.o.log.error(m), `${agentId}'s figures`),
      // What the run made outside its branch is accounted for first (AgentJudge.settleStrays), then its end judged.
      onExit: (exit) => void this.judge.settleStrays(exit.agentId).then(() => this.inbox.exited(exit)),
      onLeftoversStopped: () => this.sweeper.request(),
    });
    this.sweeper = new WorktreeSweeper({ store: o.store, paths: o.paths }, o.log, () => this.agency.gate());
    this.judge = new AgentJudge({
      store: o.store,
      paths: o.paths,
      records: this.records,
      config: this.config,
      env: this.env,
      log: o.log,
      perform: (actions, read) => this.performAll(actions, read),
      wake: () => this.wake(),
      stopping: () => this.stopping,
      paused: () => this.paused,
      runInternal: (request) => this.runs.runInternal(request),
      gate: () => this.agency.gate(),
    });
    this.launches = new Launches({
      store: o.store,
      paths: o.paths,
      log: o.log,
      config: this.config,
      records: this.records,
      timers: this.timers,
      runs: this.runs,
      judge: this.judge,
      inbox: this.inbox,
      starts: this.starts,
      api: () => this.o.api?.() ?? { url: null, token: null },
      env: this.env,
      holds: this.holds,
      // The turn's claim of it took no slot: the next turn passes the task over and claims another.
      refused: () => {
        this.lookAgain = true;
      },
    });
    this.team = o.coordinatorId
      ? new TeamTurn({
          me: o.coordinatorId,
          store: o.store,
          log: o.log,
          config: () => this.config.now(),
          records: this.records,
          timers: this.timers,
          tickState: () => this.tickState(),
          runsState: async () => (await this.stateNow(() => 0)).state,
          readyToTell: () => this.waiting.readyToTell(this.o.store, this.config.now(), this.o.store.core.clock()),
          untold: (rows) => this.waiting.untold(this.o.store.core, rows),
          performAll: (actions) => this.performAll(actions),
          onCommit: (then) => this.onCommit(then),
          onTakenOver: o.onTakenOver,
        })
      : null;
    this.agency = new AgencyRuns({
      store: o.store,
      paths: o.paths,
      config: () => this.config.now(),
      hostEnv: this.env,
      log: o.log,
      run: (request) => this.runs.runInternal(request),
      wake: () => this.wake(),
      // Held with the tasks waiting for the same program: looked at every few seconds, woken once it is found.
      waiting: (waits, taskId) => void this.holds.hold(waits, taskId),
      stopping: () => this.stopping,
    });
    this.chatAgent = new ChatAgent({
      store: o.store,
      paths: o.paths,
      settings: () => this.config.now().settings,
      hostEnv: this.env,
      run: (request) => this.runs.runInternal(request),
      log: o.log,
    });
  }

  async start(): Promise<void> {
    this.startedAt = new Date();
    // Read before anything asks for it as it is (ConfigView.now).
    await this.config.current();
    this.started = true;
    this.wgBinDir = installAgentWg(this.o.paths, this.o.wgCommand, this.env.CLAUDE_ENV_FILE?.trim() || null);
    this.unsubscribe = this.o.store.onCommit(() => {
      if (!this.quiet.get()?.open) this.wake();
    });
    const core = this.o.store.core;
    if (await hasEndedClaims(core)) {
      const released = await core.write((rev) => releaseEndedClaims(core, 'coordinator', rev));
      this.o.log.warn(`released ${released.length} task(s) held by runs that had ended: ${released.join(', ')}`);
    }
    // The agency's work it had claimed before a crash is free again (its runs are found below).
    await releaseOwnClaims(this.o.store);
    // An upstream project's legacy control tasks (.compact-N …) are retired, as upstream's service start does.
    const retired = await retireLegacyDaemonTasks(this.o.store);
    if (retired.length > 0)
      this.o.log.info(`retired ${retired.length} legacy control task(s) of an older upstream coordinator: ${retired.join(', ')}`);
    const validated = await finishPendingValidation(this.o.store);
    if (validated.length > 0)
      this.o.log.info(
        `made done ${validated.length} task(s) left pending validation, as upstream's coordinator does: ${validated.join(', ')}`,
      );
    const found = await findRuns({ store: this.o.store, records: this.records, settings: this.config.now().settings });
    if (found.length > 0) this.o.log.info(`found ${found.length} working agent(s) from before: ${found.map((f) => f.agent.id).join(', ')}`);
    await this.runs.killStrays(await strayRuns(this.o.store, this.o.paths));
    sweepRunCgroups();
    await this.performAll(
      decide((await this.stateNow(() => 0)).state, { type: 'started', found: (await this.team?.mineOnly(found)) ?? found }).actions,
    );
    this.sweeper.request();
    this.wake();
    // A question the last coordinator left unanswered (it stopped during the turn, whose run was stopped above).
    inBackground(this.chatAgent.resumePending(), (m) => this.o.log.error(m), 'answering the chat left unanswered');
  }

  /**
   * Look again soon (coalesced: many commits and exits in a row make one pump). Asked for by the turn's own work, it is
   * answered by that turn's tick; asked for from outside while a pump is under way, another pump follows it.
   */
  wake(): void {
    if (this.stopping || !this.started || this.turnsEnded) return;
    if (this.pumping) {
      if (!this.turnNow()) this.wakeAgain = true;
      return;
    }
    if (this.queued) return;
    this.queued = true;
    runHop('d-wake');
    setImmediate(() => void this.runPump());
  }

  private async runPump(): Promise<void> {
    this.queued = false;
    this.pumping = true;
    this.wakeAgain = false;
    try {
      await this.pump();
    } catch (error) {
      // What a turn reads before its write (its plan, the settings) met the database away: said once by the outage,
      // which wakes the engine once it answers.
      if (!this.o.storeUnreachable?.(error)) this.o.log.error(`turn failed: ${errorText(error)}`);
    } finally {
      this.pumping = false;
    }
    if (this.wakeAgain) {
      this.wakeAgain = false;
      this.wake();
    }
  }

  /** What this machine lacks for a start, and whose tasks wait for it (StartHolds). */
  get startWaits(): StartWait[] {
    return this.holds.list();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    this.paused = true;
    this.o.log.info('paused: no new agents until resumed');
  }

  resume(): void {
    this.paused = false;
    this.o.log.info('resumed');
    this.wake();
  }

  async reload(overrides: ServiceOverrides): Promise<void> {
    if (overrides.executor !== undefined) resolveExecutor((await this.config.current()).profiles, overrides.executor);
    await this.config.reload(overrides);
    this.o.log.info(`config reloaded${Object.keys(overrides).length ? ` with ${JSON.stringify(overrides)}` : ''}`);
    this.timers.setSafetyInterval(this.config.now().settings.coordinator.poll_interval);
    this.wake();
  }

  /**
   * `wg spawn ID`: any open task, now, whatever its executor, the pause or the limit. With auto-assign
   * on, a task without an identity gets one first, by the coordinator's own assignment.
   */
  async spawn(taskId: string, override?: SpawnOverride, by?: string): Promise<Agent> {
    if (this.stopping) throw new WgError('unavailable', 'the coordinator is stopping');
    await this.agency.assign(taskId);
    if (this.stopping) throw new WgError('unavailable', 'the coordinator is stopping');
    if (!this.mayClaim())
      throw new WgError('unavailable', "this coordinator's lease is not renewed yet: it starts nothing until it is; try again shortly");
    const claimed = await this.quietly(() => this.launches.claimByHand(taskId, override, by));
    return this.launches.start(claimed);
  }

  /** `wg evaluate run ID [--evaluator-model M]`: the evaluator on this task now (any task but an open or running one), awaited. */
  async evaluate(taskId: string, evaluatorModel?: string): Promise<void> {
    if (this.stopping) throw new WgError('unavailable', 'the coordinator is stopping');
    return this.agency.evaluateNow(taskId, evaluatorModel);
  }

  /** `wg chat "…"`: the coordinator agent answers the message (null within `timeoutS`: it answers into the chat later). */
  async chat(message: string, timeoutS: number): Promise<ChatExchange> {
    if (this.stopping) throw new WgError('unavailable', 'the coordinator is stopping');
    return this.chatAgent.send(message, timeoutS);
  }

  /** The one door for agent-daemon runs (src/core/agent-daemons): their ends are judged and settled as local exits are. */
  async remoteEnded(agentId: string, event: (agent: AgentView) => SchedulerEvent): Promise<void> {
    await this.judge.judge(agentId, event);
  }

  /** Stops coordinating. Agents keep running (a later coordinator adopts them) unless `killAgents`. */
  async stop(options: { killAgents: boolean }): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.chatAgent.stop();
    this.timers.clear();
    this.holds.clear();
    this.parked.stop();
    // A run whose process is being spawned is killed or left with the others, never found running after the stop.
    await this.launches.startsSettled();
    // A run's work being merged is merged whole (the base branch and the person's checkout both), never cut in two.
    await this.judge.idle();
    // Claims held back from starting stay as a crash between commit and start leaves them, for the next coordinator.
    this.starts.close();
    // A later coordinator finds the pids in the store (or, failing that, in the run folders).
    const { pids } = this.inbox.take();
    if (pids.length > 0) await this.transact(() => recordPids(this.o.store, pids));
    this.unsubscribe?.();
    if (options.killAgents) {
      const { killed } = await killAgents(
        this.o.store,
        this.o.paths,
        // As upstream's shutdown: their tasks go back to the queue for the next coordinator.
        { all: true, coordinator: this.o.coordinatorId ?? null, redispatch: true },
        'coordinator',
      );
      if (killed.length > 0) this.o.log.info(`killed ${killed.length} agent(s) on stop`);
    }
    // Watching ends; what runs that finished just before left running is stopped before the process exits.
    await this.runs.close();
    await this.sweeper.stop();
  }

  /**
   * Another coordinator holds the project now (a team's graph): no more turns, and the runs this one
   * watches are killed, writing nothing; their ends are the new holder's to judge by the usual rules.
   */
  async fenced(): Promise<number> {
    if (this.stopping) return 0;
    this.stopping = true;
    this.timers.clear();
    this.holds.clear();
    this.parked.stop();
    this.unsubscribe?.();
    // Claims held back from starting were another's to judge: they never start.
    this.starts.close();
    // Runs another coordinator took over already are its own now: left to it.
    let taken = new Set<string>();
    if (this.team) {
      try {
        taken = await this.team.ownedElsewhere(this.runs.watched());
      } catch {
        // The store cannot be read: stop them all, as a lost coordinator's runs are retried elsewhere anyway.
      }
    }
    const watched = this.runs.watched().length - taken.size;
    this.runs.killWatched((id) => taken.has(id));
    return watched;
  }

  /**
   * One turn of the coordinator, as ONE transaction: record the pids of runs just started, judge the
   * runs that ended, then look at the whole graph (tick) and claim what is ready. The claimed runs
   * start after the commit, so a task is always claimed on disk before its process exists.
   */
  private async pump(): Promise<void> {
    if (this.stopping || this.turnsEnded) return;
    // The files (and a team's settings in the store) looked at again if a while has passed: the turn reads them as they
    // are (ConfigView.now), not while it holds the project's write turn.
    await this.config.current();
    const work = this.inbox.take();
    runHop('d-turn', () => work.exits.map((exit) => exit.agentId).join(','));
    // A team's graph: the turn looks and decides before it takes the project's write turn, which it then holds only
    // to re-check and claim; a coordinator with nothing to do leaves the write turn to the others.
    const plan = work.exits.length === 0 ? ((await this.team?.plan()) ?? null) : null;
    if (plan && plan.launches.length === 0 && work.pids.length === 0) {
      if (!this.paused) await this.agency.afterTurn();
      return;
    }
    const busyBefore = this.judge.busy.size > 0 ? new Set(this.judge.busy) : null;
    // Wakes asked for during the pump are answered by its tick.
    let committed = false;
    // Set inside the turn's closure (a `let` there would read as never set here).
    const after: { read: Promise<AfterTurnRead> | null } = { read: null };
    committed = await this.transact(
      async () => {
        // Sent with the turn's opening (no round trip of its own on PostgreSQL): the schema's version, and the ended
        // runs' reads (before the pids' write, which changes nothing they read; a planned turn has none: it is taken
        // only without ended runs).
        const newerSchema = inFlight(refuseNewerSchema(this.o.store.core));
        const exitReads = inFlight(this.judge.readExits(work.exits));
        // A planned turn re-checks the revision it planned on: read with the opening too, before the turn takes its own.
        const revNow = plan ? inFlight(this.o.store.core.currentRev()) : null;
        const claims = plan && plan.launches.length > 0 ? plan : null;
        // A turn with runs to settle or pids to record, and no planned claims to re-check first, writes: its revision
        // goes with the opening (a newer schema found there undoes it with the turn).
        if (!claims && (work.exits.length > 0 || work.pids.length > 0)) this.o.store.core.takeRevision();
        // Before anything of the turn writes: a newer wg that migrated the store meanwhile decides from now on.
        await newerSchema;
        // A planned turn re-checks the revision before anything of the turn takes a new one. One with nothing to claim
        // (its pids only) gives the other coordinators nothing to act on.
        if (claims && revNow) await this.claimPlanned(claims, revNow);
        else if (plan && revNow) {
          // What the plan rested on moved: the next turn decides on fresh reads.
          if ((await revNow) !== plan.rev) this.lookAgain = true;
          this.o.store.core.announceQuiet();
        }
        if (work.pids.length > 0) await recordPids(this.o.store, work.pids);
        if (!plan) {
          await this.judge.exitedAll(work.exits, await exitReads);
          await this.tick();
          // The runs settled on the turn's own read ended as it said (their counts came back with the tick's reads).
          await this.judge.checkTrusted();
        }
        // A run judged apart (a merge, a signal death's grace) settles later: its worktree may be left meanwhile.
        if (work.exits.length > 0) this.askSweep();
        // The agency's look at what the turn leaves (tasks pending evaluation, upstream's ready system tasks) travels
        // with the commit: no round trip of its own between the commit and the start of the runs it claimed.
        if (!this.paused) after.read = inFlight(this.agency.readAfterTurn());
      },
      // Each run settled and each claim a round trip fewer on PostgreSQL (WriteOptions.pipelined).
      { lockWaitMs: TURN_LOCK_WAIT_MS, pipelined: true },
    );
    const recovered = committed ? this.failures.committed() : null;
    if (recovered) this.o.log.info(recovered);
    if (committed) runHop('d-settled', () => work.exits.map((exit) => exit.agentId).join(','));
    if (committed && after.read) await this.agency.afterTurn(await after.read);
    // Nothing of it happened (the database was locked too long, say): the same again shortly, without
    // the runs whose judging went on by itself in it (not judged twice).
    if (!committed) {
      // What it looked for of lost coordinators' runs was rolled back too: the next turn looks again.
      this.team?.lookForLost();
      const apart = [...this.judge.busy].filter((id) => !busyBefore?.has(id));
      this.inbox.giveBack(work, { apart, atOnce: this.againAtOnce });
      return;
    }
    // A run adopted in the turn (a lost coordinator's) may have been found over at once: its end asked for a wake
    // while the turn was under way, which only a new one answers.
    if (this.lookAgain || this.inbox.hasExits()) {
      this.lookAgain = false;
      this.wake();
    }
  }

  private async tick(): Promise<void> {
    try {
      const config = this.config.now();
      // Changed settings (worktrees off, an executor's command set) may start what waited: its claims find out again.
      if (config !== this.heldUnder) this.holds.clear();
      this.heldUnder = config;
      this.timers.setSafetyInterval(config.settings.coordinator.poll_interval);
      // Asked for first, so they travel with the parked tasks' read (one round trip fewer on PostgreSQL): the runs, the
      // ready tasks, and the ready ones nothing starts by itself (manual, upstream's system tasks), which say how to
      // start them. The tick's own claims never start those; a run it settles itself makes it look again (lookAgain).
      // The ready tasks are read whole with them, for the claims the tick makes in the same write turn (a team's planned
      // turn reads its state in a snapshot before it, TeamTurn.plan, and claims on a read of its own).
      const read = inFlight(this.tickState(true));
      let toTell = inFlight(this.waiting.readyToTell(this.o.store, config, this.o.store.core.clock()));
      // Parked tasks whose condition holds are open again before the ready ones are read (upstream's step 2.7):
      // when some were, or lost runs were taken over, what was read first is read again.
      const reopened = (await this.parked.look(this.o.store.core)).length > 0;
      const tookOver = (await this.team?.takeOverLost(this.paused)) ?? false;
      if (reopened || tookOver) toTell = inFlight(this.waiting.readyToTell(this.o.store, config, this.o.store.core.clock()));
      let { state, readyRows, readyLimit, whole: readWhole } = reopened || tookOver ? await this.tickState(true) : await read;
      runHop('d-read');
      let decision = decide(state, { type: 'tick' });
      runHop('d-decide');
      // Tasks that turned out manual or unlaunchable hid launchable ones: look further, each look wider than the last
      // (a look that cannot read more would look again for good, inside the write turn), until the ready ones run out.
      for (let widen = 4; readyRows === readyLimit && readyLimit > 0 && launchesShort(decision.actions, state); widen *= 4) {
        const before = readyLimit;
        const wider = readyLimit * 4;
        ({ state, readyRows, readyLimit, whole: readWhole } = await this.stateNow(() => wider, widen));
        decision = decide(state, { type: 'tick' });
        if (readyLimit <= before) break;
      }
      // Settled runs can make other tasks ready (or this one again).
      this.lookAgain = decision.actions.some(isSettling);
      // Before the launches, which arm their own (earlier) deadlines on top.
      this.timers.setDeadline(decision.wake_at_ms);
      const claimedBefore = this.turnNow()?.claimed.length ?? 0;
      // Agents being judged asynchronously (a signal death's grace, triage) are left alone meanwhile.
      // Claims that come first stand on the ready tasks as read (no write between): their tasks are not read again.
      const known = decision.actions.every((a) => a.type === 'launch') ? readWhole : null;
      await this.performAll(
        decision.actions.filter((a) => !('agent_id' in a) || a.agent_id === null || !this.judge.busy.has(a.agent_id)),
        undefined,
        known,
      );
      await this.waiting.tell(this.o.store, await toTell);
      for (const task of state.ready) {
        const waits = task.held ? this.holds.toTell(task.id, task.held) : null;
        if (waits) await noteWaiting(this.o.store, task.id, waits);
      }
      // When the next scheduled task is due, read after the tick's own writes and wanted only once the turn commits:
      // the read travels with the commit (no round trip of its own on PostgreSQL).
      const nextScheduled = inFlight(nextScheduledAt(this.o.store.core, this.o.store.core.clock()));
      this.onCommit(() => {
        nextScheduled.then(
          (at) => this.timers.setScheduledAt(at),
          (error: unknown) => this.o.log.error(`tick failed: ${errorText(error)}`),
        );
      });
      // A team's graph: a turn that leaves no task another coordinator could start says so, and they take no look
      // for it. Read under the project's write lock, so nothing came between the read and the commit.
      const launched = (this.turnNow()?.claimed.length ?? 0) - claimedBefore;
      if (this.team && !leavesWork(state, decision.actions, readyRows < readyLimit, launched)) this.o.store.core.announceQuiet();
    } catch (error) {
      if (isDamageError(error) || error instanceof WriteEndedError) throw error;
      this.o.log.error(`tick failed: ${errorText(error)}`);
    }
  }

  /**
   * A team's turn decided outside the write turn: claims what of `plan` still holds. Its commit, claims and pids
   * only, gives the other coordinators nothing to act on, and is announced so.
   */
  private async claimPlanned(plan: ClaimPlan, revNow: Promise<number>): Promise<void> {
    const team = this.team;
    const claimed = this.turnNow()?.claimed;
    if (!team || !claimed) throw new Error('a planned claim outside a team turn');
    const { claim, changed } = await team.recheck(plan, revNow);
    // What the decision rested on moved (or a commit came between): the next turn decides on fresh reads.
    if (changed) this.lookAgain = true;
    const before = claimed.length;
    await this.launchAll(claim);
    if (claimed.length - before === claim.length) this.o.store.core.announceQuiet();
  }

  /** Done once the turn under way commits (at once outside one); dropped if it does not. */
  private onCommit(line: () => void): void {
    const turn = this.turnNow();
    if (turn) turn.afterCommit.push(line);
    else line();
  }

  /** The turn under way settled a run (or saw one end): the worktree sweep is asked for once it commits. */
  private askSweep(): void {
    const turn = this.turnNow();
    if (turn) turn.sweepAsked = true;
    else this.sweeper.request();
  }

  /** A broken page in graph.db: said once, with what to do; the coordinator takes no more turns. */
  private stopTurns(): void {
    this.stopTurnsFor(
      `${damagedDatabase(this.o.paths.db).message}; the coordinator takes no more turns: stop it (wg service stop), recover, start it again`,
    );
  }

  /** Said once: the coordinator takes no more turns (its runs go on, and are judged by the next one). */
  private stopTurnsFor(line: string): void {
    if (this.turnsEnded) return;
    this.turnsEnded = true;
    this.timers.clear();
    this.o.log.error(line);
  }

  /** The turn under way in the caller's async context, if it has not ended (TurnUnderWay.open). */
  private turnNow(): TurnUnderWay | undefined {
    const turn = this.turn.get();
    return turn?.open ? turn : undefined;
  }

  private async quietly<T>(work: () => Promise<T>): Promise<T> {
    const frame = { open: true };
    try {
      return await this.quiet.run(frame, work);
    } finally {
      frame.open = false;
    }
  }

  /**
   * Runs `work` as one transaction (or inside the current one) and starts what it claimed once
   * committed. Returns whether it committed.
   */
  private async transact(work: () => Promise<unknown>, options: WriteOptions = {}): Promise<boolean> {
    if (this.turnNow()) {
      await work();
      return true;
    }
    const turn: TurnUnderWay = { claimed: [], afterCommit: [], sweepAsked: false, open: true };
    const { claimed, afterCommit: lines } = turn;
    try {
      await this.turn.run(turn, () =>
        this.quietly(() =>
          this.o.store.core.batch(async () => {
            await work();
            // Runs that ended may leave work to keep (recover/) and worktrees to remove: the sweep's first question
            // travels with the commit.
            if (turn.sweepAsked) {
              const anyLeft = inFlight(this.sweeper.anyLeft());
              lines.push(() => this.sweeper.requestAfter(anyLeft));
            }
          }, options),
        ),
      );
    } catch (error) {
      turn.open = false;
      // Rolled back, claims included: nothing may start.
      this.againAtOnce = error instanceof PipelinedWriteError;
      // Nothing to say yet: taken again savepoint by savepoint, it meets the failure where it is and says so there.
      if (this.againAtOnce) return false;
      if (error instanceof FencedError) {
        this.o.onFenced?.();
        return false;
      }
      if (error instanceof NewerSchemaError) {
        this.stopTurnsFor(`${error.message}; the coordinator stops: start it again with the newer wg (wg service restart)`);
        this.o.onNewerSchema?.();
        return false;
      }
      if (isDamageError(error)) this.stopTurns();
      // Said once by the outage, and the turn taken again (as any that did not commit) once the database answers.
      if (this.o.storeUnreachable?.(error)) return false;
      const note = this.failures.failed(plainFailure(error) ?? errorText(error), isContention(error));
      if (note && !this.turnsEnded) this.o.log[note.level](note.line);
      return false;
    }
    turn.open = false;
    for (const line of lines) line();
    runHop('d-commit', () => claimed.map((c) => `${c.agent.id}=${c.task.id}`).join(','));
    // Stopped meanwhile (by a listener of this very commit): the claims stay as a crash between commit and start
    // leaves them, for the stop's kill or the next coordinator's reconcile.
    if (!this.stopping) for (const c of claimed) void this.launches.start(c);
    return true;
  }

  private mayClaim(): boolean {
    return this.o.mayClaim?.() ?? true;
  }

  /** Its lease was renewed: what was held back from starting starts now. */
  leaseRenewed(): void {
    if (this.stopping) return;
    this.starts.renewed();
    // Ready tasks a turn left while the lease was unsure are claimed now, not at the next commit heard (on a quiet
    // graph, the safety net's interval later).
    if (this.heldForLease) {
      this.heldForLease = false;
      this.wake();
    }
  }

  /** A sweep declared coordinators lost: the next turn takes their runs over. */
  lostFound(): void {
    this.team?.lookForLost();
    this.wake();
  }

  /**
   * What a tick reads: the free slots' worth of ready tasks and a little more (a run that expires this tick frees
   * one; a row may be unlaunchable). Its lease could lapse before a claim commits: it claims nothing until renewed
   * (its runs are judged still).
   */
  private async tickState(whole = false): Promise<TickState> {
    const heldForLease = !this.paused && !this.mayClaim();
    if (heldForLease) this.heldForLease = true;
    const holdClaims = this.paused || heldForLease;
    const maxAgents = Math.max(0, this.config.now().settings.coordinator.max_agents);
    const now = await this.stateNow((busy) => (holdClaims ? 0 : Math.max(0, maxAgents - busy) + READY_MARGIN), undefined, whole);
    return { ...now, state: { ...now.state, paused: holdClaims } };
  }

  /** The scheduler's state, its reads sent before the first await (readSchedulerState). */
  private stateNow(readyLimit: (busy: number) => number, widen?: number, whole = false): Promise<TickState> {
    return readSchedulerState({
      widen,
      whole,
      me: this.o.coordinatorId ?? null,
      store: this.o.store,
      config: this.config.now(),
      records: this.records,
      now: this.o.store.core.clock(),
      paused: this.paused,
      watched: this.runs.watched(),
      readyLimit,
      needsIdentity: inFlight(this.agency.identityNeeds()),
      held: (executor, taskId, routable) => this.holds.waitsFor(executor, taskId, routable)?.message ?? null,
      teamCapacities: this.o.teamCapacities?.() ?? [],
    });
  }

  /**
   * `read`: what the turn read of the run these actions settle (SettleRead), when it may stand in for a read; `known`: the
   * tasks to claim as the turn read them whole, when nothing was written since (TickState.whole).
   */
  private async performAll(actions: Action[], read?: SettleRead, known: TasksRead | null = null): Promise<void> {
    if (actions.length === 0) return;
    await this.transact(async () => {
      for (let at = 0; at < actions.length; ) {
        // Launches side by side are claimed together (their tasks read in one go), in their order.
        const launches: string[] = [];
        for (let next = actions[at]; next?.type === 'launch'; next = actions[++at]) launches.push(next.task_id);
        if (launches.length > 0) {
          await this.launchAll(launches, known);
          continue;
        }
        const action = actions[at++] as Action;
        try {
          await this.perform(action, read);
        } catch (error) {
          if (isDamageError(error) || error instanceof WriteEndedError) throw error;
          this.o.log.error(`${action.type} failed: ${errorText(error)}`);
        }
      }
    });
  }

  /** Claims ready tasks in the turn under way; their runs start once it commits. */
  private async launchAll(taskIds: readonly string[], known: TasksRead | null = null): Promise<void> {
    // Claims start only once their transaction commits (performAll always makes one).
    const claimedNow = this.turnNow()?.claimed;
    if (!claimedNow) throw new Error('a launch outside a coordinator turn');
    claimedNow.push(...(await this.launches.claimReady(taskIds, known)));
  }

  private async perform(action: Action, read?: SettleRead): Promise<void> {
    switch (action.type) {
      case 'launch':
        await this.launchAll([action.task_id]);
        return;
      case 'assign':
        // Auto-assign: the task starts on a later turn, once it has its identity (the assignment wakes the coordinator).
        void this.agency.assign(action.task_id);
        return;
      case 'kill':
        await this.runs.kill(action.agent_id);
        return;
      case 'adopt':
        await this.adopt(action.agent_id);
        return;
      case 'triage':
        await this.judge.triage(action.agent_id, action.reason);
        return;
      case 'extend':
        await this.o.store.agents.heartbeat(action.agent_id);
        return;
      default:
        // A run that simply succeeded is in its task's log; the daemon's log keeps what needs a look.
        if (!(await settle(this.o.store, action, this.agency.gate(), read))) return;
        if (action.type !== 'complete') this.onCommit(() => logSettled(this.o.log, action));
        // A run that ended may leave work to keep (recover/) and a worktree to remove: swept once the turn commits.
        this.askSweep();
    }
  }

  private async adopt(agentId: string): Promise<void> {
    const agent = await this.o.store.agents.find(agentId);
    if (!(await this.runs.adopt(agentId)) || !agent || agent.pid !== null) return;
    // A crash between the start and the store learning the pid: the run folder has it.
    const pid = runPid(this.o.paths, agent);
    if (pid !== null) await this.quietly(() => recordPids(this.o.store, [[agentId, pid]]));
  }

  private async onRunEvents(agentId: string, events: RunEvent[], total: number): Promise<void> {
    this.o.onOutput?.({ agent_id: agentId, total });
    const agent = await this.o.store.agents.find(agentId);
    if (!agent) return;
    const prices = agent.model ? (this.config.now().registry.models.find((m) => m.name === agent.model) ?? null) : null;
    await this.quietly(() => recordStats(this.o.store, agentId, agent.task_id, statsFrom(events, prices)));
  }
}
