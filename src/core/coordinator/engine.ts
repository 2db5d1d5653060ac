import type { Agent } from '../../shared/agent';
import { WgError, errorText } from '../../shared/errors';
import type { RunEvent } from '../../shared/run-event';
import { resolveExecutor } from '../config/executors';
import { killAgents } from '../runs/killing/kill-agents';
import { sweepRunCgroups } from '../processes/run-cgroup';
import type { SpawnOverride } from '../runs/claiming/claim';
import type { ConfigView, ServiceOverrides } from '../config/config-view';
import type { EngineOptions } from './engine-options';
import { engineParts } from './engine-parts';
import type { LaunchRecords } from '../runs/run-views';
import { findRuns, strayRuns } from '../runs/watching/reconcile';
import { finishPendingValidation, retireLegacyDaemonTasks } from '../upstream-sync/legacy-daemon-tasks';
import { hasEndedClaims, releaseEndedClaims } from '../runs/watching/ended-claims';
import type { LocalRuns } from '../runs/local-runs';
import type { TurnInbox } from './turn-inbox';
import { recordStats, statsFrom } from '../runs/watching/run-stats';
import { decide } from '../deciding/scheduler';
import type { AgentView, SchedulerEvent } from '../deciding/scheduler-types';
import { recordPids } from '../runs/settling/settle';
import type { WakeTimers } from './wake-timers';
import type { StartHolds } from './start-holds';
import type { StartWait } from '../../shared/service-types';
import type { AgentJudge } from '../runs/judging/agent-judge';
import { installAgentWg } from '../runs/starting/agent-wg';
import type { WorktreeSweeper } from './worktree-sweeper';
import type { AgencyRuns } from '../agency/agency-runs';
import { runHop } from '../timing/run-hops';
import { inBackground } from '../engine-log';
import type { WaitWatch } from '../waiting/wait-watch';
import type { TeamTurn } from './team-turn';
import type { ExitReadsAhead } from './exit-reads-ahead';
import type { Launches } from './launches';
import { releaseOwnClaims } from '../agency/internal-claims';
import type { StartGate } from '../leases/start-gate';
import type { ChatAgent } from './chat-agent';
import type { ChatExchange } from '../../shared/chat';
import type { TurnTransactions } from './turn-transaction';
import type { TurnReads } from './turn-reads';
import type { TurnActions } from './turn-actions';
import type { Turn } from './turn';

export type { EngineOptions } from './engine-options';

/**
 * The coordinator at the edge: wakes on every commit it sees (its own, or poked by another
 * process), asks the pure scheduler what to do, and performs it — claims, launches, kills,
 * settling transactions. Timers are only a safety net and deadlines. The turn itself (read, `decide`, perform,
 * commit) is turn.ts and its parts; this is what drives it: when a turn is taken, and the start and the stop.
 */
export class Engine {
  readonly config: ConfigView;
  /**
   * What its committed claims start (runs, internal runs, and the agent-daemon jobs it sends) goes through this: only
   * while its lease cannot have lapsed, else at the next renewal, never once fenced.
   */
  readonly starts: StartGate;
  /** Its parts (engine-parts.ts), the turn's among them. */
  private readonly records: LaunchRecords;
  private readonly runs: LocalRuns;
  private readonly timers: WakeTimers;
  private readonly env: NodeJS.ProcessEnv;
  private readonly judge: AgentJudge;
  private readonly sweeper: WorktreeSweeper;
  private readonly agency: AgencyRuns;
  private readonly chatAgent: ChatAgent;
  private readonly inbox: TurnInbox;
  private readonly launches: Launches;
  private readonly holds: StartHolds;
  private readonly parked: WaitWatch;
  private readonly team: TeamTurn | null;
  private readonly ahead: ExitReadsAhead | null;
  private readonly transactions: TurnTransactions;
  private readonly reads: TurnReads;
  private readonly actions: TurnActions;
  private readonly turn: Turn;
  private paused = false;
  private stopping = false;
  /** A pump is asked for (queued) or under way (pumping); a wake from outside the pump meanwhile asks for another. */
  private queued = false;
  private pumping = false;
  private wakeAgain = false;
  private started = false;
  private wgBinDir = '';
  private unsubscribe: (() => void) | null = null;
  startedAt: Date | null = null;

  constructor(private readonly o: EngineOptions) {
    const parts = engineParts(o, {
      wake: () => this.wake(),
      paused: () => this.paused,
      stopping: () => this.stopping,
      wgBinDir: () => this.wgBinDir,
      onRunEvents: (agentId, events, total) => this.onRunEvents(agentId, events, total),
    });
    this.env = parts.env;
    this.inbox = parts.inbox;
    this.holds = parts.holds;
    this.starts = parts.starts;
    this.config = parts.config;
    this.records = parts.records;
    this.timers = parts.timers;
    this.parked = parts.parked;
    this.runs = parts.runs;
    this.agency = parts.agency;
    this.sweeper = parts.sweeper;
    this.transactions = parts.transactions;
    this.judge = parts.judge;
    this.launches = parts.launches;
    this.actions = parts.actions;
    this.reads = parts.reads;
    this.team = parts.team;
    this.ahead = parts.ahead;
    this.turn = parts.turn;
    this.chatAgent = parts.chatAgent;
  }

  async start(): Promise<void> {
    this.startedAt = new Date();
    // Read before anything asks for it as it is (ConfigView.now).
    await this.config.current();
    this.started = true;
    this.wgBinDir = installAgentWg(this.o.paths, this.o.wgCommand, this.env.CLAUDE_ENV_FILE?.trim() || null);
    this.unsubscribe = this.o.store.onCommit(() => {
      if (!this.transactions.heardQuietly) this.wake();
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
    await this.actions.performAll(
      decide((await this.reads.stateNow(() => 0)).state, { type: 'started', found: (await this.team?.mineOnly(found)) ?? found }).actions,
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
    if (this.stopping || !this.started || this.transactions.ended) return;
    if (this.pumping) {
      if (!this.transactions.now()) this.wakeAgain = true;
      return;
    }
    if (this.queued) return;
    this.queued = true;
    runHop('d-wake');
    // A turn of its own even when asked for from inside a transaction (a run found over as it is adopted): else its
    // writes would be savepoints of that transaction, which may commit while they are still being made.
    setImmediate(() => this.o.store.core.detached(() => void this.runPump()));
  }

  private async runPump(): Promise<void> {
    this.queued = false;
    this.pumping = true;
    this.wakeAgain = false;
    try {
      await this.takeTurn();
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
    const claimed = await this.transactions.quietly(() => this.launches.claimByHand(taskId, override, by));
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
    if (pids.length > 0) await this.actions.transact(() => recordPids(this.o.store, pids));
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
    // Counted as they are stopped: runs that ended during the look are neither stopped nor left to the other.
    return this.runs.killWatched((id) => taken.has(id));
  }

  /** One turn, unless the engine stops or takes no more turns (Turn.take). */
  private async takeTurn(): Promise<void> {
    if (this.stopping || this.transactions.ended) return;
    await this.turn.take();
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
    if (this.reads.heldForLease) {
      this.reads.heldForLease = false;
      this.wake();
    }
  }

  /**
   * A revision of the project is known (committed here or heard of): what the last turn read of its runs stands on an
   * older one when it is newer (ExitReadsAhead).
   */
  revisionKnown(rev: number): void {
    this.ahead?.known(rev);
  }

  /** A sweep declared coordinators lost: the next turn takes their runs over. */
  lostFound(): void {
    this.team?.lookForLost();
    this.wake();
  }

  private async onRunEvents(agentId: string, events: RunEvent[], total: number): Promise<void> {
    this.o.onOutput?.({ agent_id: agentId, total });
    const agent = await this.o.store.agents.find(agentId);
    if (!agent) return;
    const prices = agent.model ? (this.config.now().registry.models.find((m) => m.name === agent.model) ?? null) : null;
    await this.transactions.quietly(() => recordStats(this.o.store, agentId, agent.task_id, statsFrom(events, prices)));
  }
}
