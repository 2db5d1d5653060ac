import { CLOSE_CODES } from '../../shared/agent-protocol';
import type { Server } from 'node:http';
import type { OutputEvent } from '../../shared/api-contract';
import type { DaemonJob, AgentDaemonsStatus } from '../../shared/agent-daemon-types';
import type { Claimed } from '../runs/claiming/claim';
import type { Config } from '../config/config-view';
import type { Store } from '../store/store';
import { inBackground } from '../engine-log';
import { AgentHub, type HostCheck } from './agent-hub';
import { DaemonRegistry } from './daemon-registry';
import { DaemonSessions, type SessionDeps, STORE_EXTEND_EVERY_MS } from './daemon-session';
import { JobDispatcher } from './dispatcher';
import { JobOutcomes, type JobEngine } from './job-outcomes';
import { endOfEndedJob } from './ended-jobs';
import { JobStore } from './job-store';
import { JobLeaseClock } from './job-lease-clock';
import type { Clock } from '../timing/clock';
import { JobOutput } from './job-output';
import { TokenStore } from '../store/token-store';
import { RevokedTokens } from './revoked-tokens';
import type { StartGate } from '../leases/start-gate';
import { NO_OUTAGES, type StoreOutage } from '../database-outage/database-outage';
import { type CoordinatorPlace, daemonsJson, type TeamDaemons } from './team-daemons';

export interface AgentDaemonServiceDeps {
  store: Store;
  runsDir: string;
  engine: JobEngine & { readonly isPaused: boolean };
  config(): Config;
  /** A team's graph: whether this coordinator's lease is sure to hold for a while yet; when not, it sends no new job. */
  mayClaim?(): boolean;
  /** What a committed claim starts goes through this (the coordinator's lease): a job is sent only while it holds. */
  starts?: StartGate;
  /** The coordinator's claim of a task for a run on an agent daemon. */
  claim(taskId: string, daemonLabel: string, daemonWg: string): Promise<Claimed>;
  onOutput(event: OutputEvent): void;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
  /** Every protocol frame in and out, when the coordinator runs with debug logging. */
  debug?(line: string): void;
  /** Where a database that cannot be reached is said and waited out (absent: every failure is the caller's, as before). */
  outage?: StoreOutage;
  /** A team's graph: this coordinator, the daemons of the others (team-daemons.ts), and the word that its own changed. */
  team?: { me: CoordinatorPlace; daemons: TeamDaemons; changed(): void };
  /** What the jobs' leases are timed on (absent: the real clock). */
  clock?: Clock;
}

/** How old a look at the other coordinators' daemons the dispatcher takes (their rows change as daemons come and go). */
const ELSEWHERE_MAX_AGE_MS = 1_000;

const RECENT_JOBS = 50;

/**
 * The coordinator's side of agent daemons: the socket, the registry of connected daemons, the
 * dispatcher, and the leases (in the store, each with its timer). Built once per coordinator.
 */
export class AgentDaemonService {
  readonly tokens: TokenStore;
  readonly jobs: JobStore;
  private readonly registry = new DaemonRegistry();
  private readonly clock: JobLeaseClock;
  private readonly output: JobOutput;
  private readonly sessions: DaemonSessions;
  private readonly dispatcher: JobDispatcher;
  private readonly hub: AgentHub;
  private readonly revoked: RevokedTokens;
  /** How a job's relayed `wg` is run (as the HTTP API runs it): given with the socket, as no daemon speaks before. */
  private runOp: SessionDeps['runOp'] | null = null;

  private constructor(private readonly d: AgentDaemonServiceDeps) {
    this.tokens = new TokenStore(d.store.core);
    this.jobs = new JobStore(d.store.core);
    this.clock = new JobLeaseClock(
      (lease) => inBackground(this.sessions.expire(lease), (m) => d.log.error(m), `the lease of job ${lease.slice(0, 8)}`),
      d.clock,
    );
    const outage = d.outage ?? NO_OUTAGES;
    this.output = new JobOutput(d.store, d.runsDir, d.onOutput, outage);
    const outcomes = new JobOutcomes(d.store, this.jobs, this.output, d.engine);
    const stallTimeoutMs = () => d.config().settings.coordinator.stall_timeout * 1000;
    this.sessions = new DaemonSessions({
      store: d.store,
      jobs: this.jobs,
      registry: this.registry,
      clock: this.clock,
      outcomes,
      output: this.output,
      stallTimeoutMs,
      wake: () => this.dispatcher.wake(),
      runOp: (name, input, actor, agent) => {
        if (!this.runOp) throw new Error('an agent daemon spoke before the coordinator took daemons in');
        return this.runOp(name, input, actor, agent);
      },
      log: d.log,
      outage,
    });
    this.dispatcher = new JobDispatcher({
      store: d.store,
      jobs: this.jobs,
      registry: this.registry,
      clock: this.clock,
      outcomes,
      config: d.config,
      paused: () => d.engine.isPaused,
      mayClaim: () => d.mayClaim?.() ?? true,
      stallTimeoutMs,
      claim: d.claim,
      ...(d.starts ? { starts: d.starts } : {}),
      log: d.log,
      outage,
      ...(d.team ? { elsewhere: async () => (await d.team?.daemons.recent(ELSEWHERE_MAX_AGE_MS))?.map((t) => t.slot) ?? [] } : {}),
    });
    this.hub = new AgentHub({
      authenticate: (token) => this.tokens.authenticate(token),
      register: async (daemon, message) => {
        const kept = await this.sessions.register(daemon, message);
        d.team?.changed();
        return kept;
      },
      rival: (newcomer) => this.registry.withIdentity(newcomer.token.name, newcomer.host),
      replaced: (old, reason, sameDaemon) => this.sessions.replace(old, reason, sameDaemon),
      message: (daemon, message) => this.sessions.handle(daemon, message),
      closed: async (daemon, code) => {
        this.registry.remove(daemon.id);
        d.team?.changed();
        if (code === CLOSE_CODES.stopping) {
          d.log.info(`agent daemon ${daemon.host} stopped (${daemon.id})`);
          try {
            await this.sessions.departed(daemon);
          } catch (error) {
            if (!outage.noted(error)) throw error;
            // Its jobs stopped with it: back to the queue once the database answers (each one's end is written once).
            outage.whenBack(`the jobs of agent daemon ${daemon.host}, which stopped`, () => this.sessions.departed(daemon));
          }
          return;
        }
        d.log.info(
          `agent daemon ${daemon.host} disconnected (${daemon.id}); its ${daemon.leases.size} job(s) keep their leases until the stall timeout`,
        );
      },
      silenceMs: stallTimeoutMs,
      unreachable: (error) => outage.noted(error),
      debug: d.debug,
      log: d.log,
    });
    this.revoked = new RevokedTokens({
      tokens: this.tokens,
      jobs: this.jobs,
      registry: this.registry,
      sessions: this.sessions,
      hub: this.hub,
      mine: async (agentId) => {
        const me = d.store.agents.coordinatorId;
        return me === null || (await d.store.agents.coordinatorOf(agentId)) === me;
      },
      log: d.log,
    });
  }

  /** The service, its held jobs armed (see reconcile). */
  static async start(d: AgentDaemonServiceDeps): Promise<AgentDaemonService> {
    const service = new AgentDaemonService(d);
    await service.reconcile(d.config().settings.coordinator.stall_timeout * 1000);
    return service;
  }

  /** Agent daemons are taken in on `server`, their jobs' `wg` run by `runOp`. */
  attach(server: Server, checkHost: HostCheck, runOp: SessionDeps['runOp']): void {
    this.runOp = runOp;
    this.hub.attach(server, checkHost);
  }

  /** The coordinator's lease was renewed (a team's graph): what a turn held back meanwhile is dispatched now. */
  leaseRenewed(): void {
    this.dispatcher.leaseRenewed();
  }

  /** The store changed (to `rev`, when a commit's revision is known): tasks may be ready, runs ended, tokens revoked. */
  wake(rev?: number): void {
    this.dispatcher.wake(rev);
    this.revoked.queue();
  }

  /** The host names of the daemons connected now, in the order they connected (`wg service status`). */
  connectedHosts(): string[] {
    return this.registry.all().map((d) => d.host);
  }

  /** The daemons connected here, as this coordinator's row of a team's lease table holds them (team-daemons.ts). */
  daemonsJson(): string {
    return daemonsJson(this.registry);
  }

  async status(): Promise<AgentDaemonsStatus> {
    const team = this.d.team;
    const active = await this.jobs.allActive();
    const here = this.registry.describe().map((d) => (team ? { ...d, coordinator: { ...team.me, here: true } } : d));
    // Another coordinator's daemon: how busy it is by the jobs in the store, not as of its coordinator's last write.
    const elsewhere = team
      ? (await team.daemons.now()).map(({ daemon }) => ({
          ...daemon,
          active: active.filter((j) => j.daemon_host === daemon.host && j.token_name === daemon.token).length,
        }))
      : [];
    return {
      accepting: true,
      daemons: [...here, ...elsewhere],
      active_jobs: active,
      recent_jobs: await this.jobs.recent(RECENT_JOBS),
      waiting: this.dispatcher.waitingTasks(),
    };
  }

  /**
   * The coordinator is about to stop: from now on no task is claimed for a daemon. Its stop kills and requeues its runs
   * next; claimed again here, a task would stay in progress under a job never sent (the start gate closes with the
   * stop), with no coordinator, until the next one's stall timeout counted it as a lost lease and a retry. The jobs of
   * the killed runs are still cancelled on their daemons until `close`.
   */
  stopClaiming(): void {
    this.dispatcher.stopClaiming();
  }

  close(): void {
    this.dispatcher.stop();
    this.revoked.close();
    this.hub.close();
    this.clock.clear();
    this.output.closeAll();
  }

  /**
   * At start, jobs still held in the store get a full stall timeout from now: the coordinator's own
   * downtime is not their daemons' silence. A daemon that reconnects in time keeps its jobs.
   */
  private async reconcile(stallMs: number): Promise<void> {
    await this.armJobs(await this.jobs.allActive(), stallMs);
  }

  /**
   * A team's graph: runs of a lost coordinator this one took over. Their jobs run out when their leases do, as
   * their coordinator last stored them, by the store's clock (never later than a stall timeout from now): a daemon
   * that reconnects here (or to another coordinator) before then keeps its job; one that does not, its job is lost
   * and retried then.
   */
  async adoptJobs(agentIds: readonly string[]): Promise<void> {
    const ids = new Set(agentIds);
    const now = this.clock.now();
    const stallMs = this.d.config().settings.coordinator.stall_timeout * 1000;
    const me = this.d.store.agents.coordinatorId;
    for (const job of await this.jobs.allActive()) {
      if (!ids.has(job.agent_id) || (me !== null && (await this.d.store.agents.coordinatorOf(job.agent_id)) !== me)) continue;
      // The stored lease lags the one its coordinator kept by up to STORE_EXTEND_EVERY_MS: never shorter than that one.
      const left = await this.jobs.storedRemainingMs(job.lease_id);
      const at = left === null ? now + stallMs : Math.min(now + stallMs, now + Math.max(0, left + STORE_EXTEND_EVERY_MS));
      this.sessions.adopt(job.lease_id, at);
    }
    await this.settleEndedJobs(agentIds);
  }

  /**
   * Runs of this coordinator's (of `agentIds` only, when given) whose jobs ended without their runs being settled: a
   * coordinator killed between the two commits left them working (ended-jobs.ts). Settled now, by the job's stored end.
   * Called once the engine judges runs: at the start, and for runs taken over from a lost coordinator.
   */
  async settleEndedJobs(agentIds?: readonly string[]): Promise<void> {
    const only = agentIds ? new Set(agentIds) : null;
    for (const job of await this.jobs.endedUnderWorkingRuns(this.d.store.agents.coordinatorId)) {
      if (only && !only.has(job.agent_id)) continue;
      this.d.log.warn(
        `${job.agent_id} on ${job.task_id}: its agent-daemon job had ended (${job.outcome ?? job.state}) but the run was never settled; settled now`,
      );
      await this.d.engine.remoteEnded(job.agent_id, endOfEndedJob(job));
    }
  }

  /** Arms the stall clock of the jobs whose runs are this coordinator's (on a team's graph, those naming it). */
  private async armJobs(jobs: readonly DaemonJob[], stallMs: number): Promise<void> {
    const at = this.clock.now() + stallMs;
    const me = this.d.store.agents.coordinatorId;
    for (const job of jobs) {
      if (me !== null && (await this.d.store.agents.coordinatorOf(job.agent_id)) !== me) continue;
      this.clock.arm(job.lease_id, at);
    }
  }
}
