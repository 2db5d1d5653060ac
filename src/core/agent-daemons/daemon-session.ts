import { filterAsync } from '../../shared/async-arrays';
import type {
  CapabilitiesMessage,
  DaemonMessage,
  FailMessage,
  HeartbeatMessage,
  ProgressMessage,
  RegisterMessage,
  ResultMessage,
} from '../../shared/agent-protocol';
import { CLOSE_CODES, type JobOpMessage } from '../../shared/agent-protocol';
import { errorText, WgError } from '../../shared/errors';
import type { OpName } from '../../shared/ops/registry';
import type { OpContext } from '../ops/context';
import { isOpName } from '../ops/dispatch';
import type { Store } from '../store/store';
import type { DaemonConnection, DaemonRegistry } from './daemon-registry';
import type { JobOutcomes } from './job-outcomes';
import type { JobStore } from './job-store';
import type { JobLeaseClock } from './job-lease-clock';
import type { JobOutput } from './job-output';
import type { DaemonJob } from '../../shared/agent-daemon-types';
import { timerAt } from '../timing/timer-at';
import type { StoreOutage } from '../database-outage/database-outage';
import { inBackground } from '../engine-log';

export interface SessionDeps {
  store: Store;
  jobs: JobStore;
  registry: DaemonRegistry;
  clock: JobLeaseClock;
  outcomes: JobOutcomes;
  output: JobOutput;
  stallTimeoutMs(): number;
  /** Something changed that may let a task go to a daemon. */
  wake(): void;
  /** Runs an operation as the coordinator's API does (run-authority included) for a job's relayed `wg`. */
  runOp(name: OpName, input: unknown, actor: string, agent: NonNullable<OpContext['agent']>): Promise<unknown>;
  log: { info(message: string): void; warn(message: string): void };
  /**
   * Where a database that cannot be reached is said and waited out: a daemon's message is never lost to the
   * coordinator's own lost connection, and no lease ends for it (the daemon is as alive as before).
   */
  outage: StoreOutage;
}

/**
 * The stored expiry is moved at most this often per lease (the clock in memory is exact); a restart grants a full
 * stall timeout anyway. So the lease as stored may run out up to this much before the one its coordinator kept.
 */
export const STORE_EXTEND_EVERY_MS = 5000;

/** What a job's `wg` is told while the coordinator cannot reach its database (its store's own words name the server). */
const DATABASE_AWAY = 'the coordinator cannot use its database now (a restart or failover of its server); try again in a moment';

/**
 * What a registered daemon's messages do. Every message about a job must carry a lease that is
 * current and held by this connection; anything else is noted and changes nothing.
 */
export class DaemonSessions {
  private readonly storedExpiry = new Map<string, number>();
  /** Leases taken over from a lost coordinator whose daemon has not come back: they run out at their own lease. */
  private readonly adopted = new Set<string>();
  /**
   * Leases whose daemon registered them as finished, their result to follow at once. Such a lease is
   * extended at that first report only: a result that never arrives (refused, or too large for the
   * connection) then runs out its lease once, instead of a daemon that reconnects and reports it again
   * keeping it alive forever.
   */
  private readonly reportedFinished = new Set<string>();
  /** Leases whose stored expiry could not be written (the database away): written once it answers. */
  private readonly expiryWaits = new Set<string>();
  /** Leases whose job's end (its result or failure) came while the database could not take it: recorded once it answers. */
  private readonly endsWaiting = new Set<string>();

  constructor(private readonly d: SessionDeps) {}

  /** agent.register: a new connection; it keeps the jobs it still runs whose leases hold, and drops the rest. */
  async register(daemon: DaemonConnection, message: RegisterMessage): Promise<{ keep: string[]; drop: string[] }> {
    const keep: string[] = [];
    const drop: string[] = [];
    const stale: string[] = [];
    const kept: DaemonJob[] = [];
    // Every read before anything changes: a database that cannot be reached fails the registration whole, and the
    // daemon, asked to try again (agent-hub.ts), keeps its jobs; none is dropped for the coordinator's lost connection.
    const found: Array<{ held: RegisterMessage['jobs'][number]; job: DaemonJob | undefined }> = [];
    for (const held of message.jobs) found.push({ held, job: await this.d.jobs.active(held.lease_id) });
    for (const { held, job } of found) {
      const instance = this.d.registry.instanceOf(held.lease_id);
      const mine =
        job &&
        job.token_name === daemon.token.name &&
        job.daemon_host === daemon.host &&
        (instance === undefined || instance === daemon.instance) &&
        !this.d.clock.expired(held.lease_id);
      if (job && mine) {
        this.d.registry.hold(daemon, held.lease_id);
        keep.push(held.lease_id);
        kept.push(job);
        if (held.state === 'finished' && this.reportedFinished.has(held.lease_id)) stale.push(held.lease_id);
        if (held.state === 'finished') this.reportedFinished.add(held.lease_id);
      } else {
        drop.push(held.lease_id);
      }
    }
    await this.takeOver(kept.map((job) => job.agent_id));
    await this.extend(keep.filter((lease) => !stale.includes(lease)));
    this.d.registry.add(daemon);
    this.d.log.info(
      `agent daemon ${daemon.host} registered (${daemon.id}, token ${daemon.token.name}): repos ${daemon.repos.join(', ') || '-'}, roles ${daemon.roles.join(', ') || '-'}, capacity ${daemon.capacity}${keep.length ? `, kept ${keep.length} job(s)` : ''}${drop.length ? `, dropped ${drop.length}` : ''}`,
    );
    this.d.wake();
    return { keep, drop };
  }

  async handle(daemon: DaemonConnection, message: DaemonMessage): Promise<void> {
    try {
      await this.handleNow(daemon, message);
    } catch (error) {
      if (!this.d.outage.noted(error)) throw error;
      if (message.type === 'ticket.result' || message.type === 'ticket.fail') return this.endWaits(daemon, message);
      // Nothing of it changed (its reads come first, and what it writes after them waits by itself): taken again once
      // the database answers, while this connection still stands (a daemon that reconnects says again what it holds
      // and resends what it owes).
      this.d.outage.whenBack(`the ${message.type} of agent daemon ${daemon.host}`, async () => {
        if (this.d.registry.get(daemon.id) === daemon) await this.handleNow(daemon, message);
      });
    }
  }

  private async handleNow(daemon: DaemonConnection, message: DaemonMessage): Promise<void> {
    switch (message.type) {
      case 'agent.heartbeat':
        return this.heartbeat(daemon, message);
      case 'agent.capabilities':
        return this.capabilities(daemon, message);
      case 'ticket.claim':
        if (await this.current(daemon, message.lease_id, 'claim')) {
          await this.d.jobs.claimed(message.lease_id);
          await this.extend([message.lease_id]);
        }
        return;
      case 'ticket.progress':
        return this.progress(daemon, message);
      case 'ticket.result':
      case 'ticket.fail':
        return this.finish(daemon, message);
      case 'job.op':
        // Answered when its operation is done, while the daemon's next messages go on; it answers what it meets itself.
        inBackground(this.relay(daemon, message), (m) => this.d.log.warn(m), `wg ${message.op} from agent daemon ${daemon.host}`);
        return;
      case 'auth':
      case 'agent.register':
        // The hub answers these itself; here they come at the wrong time.
        return;
    }
  }

  /**
   * A `wg` command from inside a job, relayed by its daemon: run as that job's run (its agent and run
   * id, with a credential's limits: run-authority.ts lets it act only on its own task, and only while
   * it works and holds it), and only while the lease is current and held by this very connection.
   */
  private async relay(daemon: DaemonConnection, message: JobOpMessage): Promise<void> {
    // An answer its daemon would not take (a refusal over the protocol's 4000 characters, an output larger than its
    // connection carries: agent-hub.ts refuses that one) left the job's `wg` waiting a minute for it.
    const answer = (result: { ok: true; output: unknown } | { ok: false; code: string; message: string }): void => {
      daemon.send({
        type: 'job.op.result',
        lease_id: message.lease_id,
        request_id: message.request_id,
        ...(result.ok
          ? { ok: true, output: result.output }
          : { ok: false, error: { code: result.code.slice(0, 40), message: result.message.slice(0, 4000) } }),
      });
    };
    // The job's `wg` is told, in the words for another machine, that the coordinator cannot use its database now.
    const away = (error: unknown): boolean => {
      if (!this.d.outage.noted(error)) return false;
      answer({ ok: false, code: 'unavailable', message: DATABASE_AWAY });
      return true;
    };
    let job: DaemonJob | undefined;
    let runId: string | null;
    try {
      job = await this.current(daemon, message.lease_id, 'wg command');
      if (!job) return answer({ ok: false, code: 'forbidden', message: 'this job no longer holds its task (its lease ended)' });
      if (!isOpName(message.op)) return answer({ ok: false, code: 'invalid', message: `unknown operation '${message.op}'` });
      // A job that talks is alive, as one that sends progress is.
      await this.extend([message.lease_id]);
      runId = await this.d.store.agents.runId(job.agent_id);
    } catch (error) {
      if (away(error)) return;
      throw error;
    }
    try {
      const output = await this.d.runOp(message.op, message.input ?? {}, job.agent_id, { id: job.agent_id, runId, credential: true });
      answer({ ok: true, output: output ?? null });
    } catch (error) {
      if (away(error)) return;
      if (error instanceof WgError) answer({ ok: false, code: error.code, message: error.message });
      else {
        this.d.log.warn(`wg ${message.op} from ${job.agent_id} on agent daemon ${daemon.host} failed: ${errorText(error)}`);
        answer({ ok: false, code: 'internal', message: `wg ${message.op} failed on the coordinator; its log says why` });
      }
    }
  }

  /**
   * A team's graph: the lease of a job whose run this coordinator took over from a lost one runs out when its lease
   * does (`atMs`), not a whole stall timeout from now: its daemon has that long to reconnect here or to another
   * coordinator, which keeps the job; else it is lost and retried.
   */
  adopt(leaseId: string, atMs: number): void {
    this.adopted.add(leaseId);
    this.d.clock.arm(leaseId, atMs);
  }

  /** A lease ended here: forget its clock and stored expiry. */
  forget(leaseId: string): void {
    this.adopted.delete(leaseId);
    this.endsWaiting.delete(leaseId);
    this.reportedFinished.delete(leaseId);
    this.d.clock.disarm(leaseId);
    this.storedExpiry.delete(leaseId);
    this.d.registry.release(leaseId);
  }

  private async heartbeat(daemon: DaemonConnection, message: HeartbeatMessage): Promise<void> {
    daemon.lastHeartbeat = this.d.store.core.nowIso();
    // Only the jobs the daemon says it runs are extended: a job it never received runs out its lease.
    await this.extend(message.running.filter((lease) => this.d.registry.ownerOf(lease) === daemon));
  }

  private capabilities(daemon: DaemonConnection, message: CapabilitiesMessage): void {
    if (message.capacity !== undefined) daemon.capacity = message.capacity;
    if (message.downgraded_until !== undefined) {
      daemon.downgradedUntilMs = message.downgraded_until === null ? null : Date.parse(message.downgraded_until);
      daemon.downgradeReason = message.downgraded_until === null ? null : (message.reason ?? 'out of quota');
      this.d.log.warn(
        message.downgraded_until === null
          ? `agent daemon ${daemon.host} takes work again`
          : `agent daemon ${daemon.host} is out of quota until ${message.downgraded_until}: ${message.reason ?? ''}`,
      );
      // Lifted when its time comes, so waiting tasks need no poll to notice.
      if (daemon.downgradedUntilMs !== null && Number.isFinite(daemon.downgradedUntilMs))
        timerAt(daemon.downgradedUntilMs + 5, () => this.d.wake(), { unref: true });
    }
    this.d.wake();
  }

  private async progress(daemon: DaemonConnection, message: ProgressMessage): Promise<void> {
    const job = await this.current(daemon, message.lease_id, 'progress');
    if (!job) return;
    await this.extend([message.lease_id]);
    await this.d.output.append(job.agent_id, job.task_id, message.events);
  }

  private async finish(daemon: DaemonConnection, message: ResultMessage | FailMessage): Promise<void> {
    const what = message.type === 'ticket.result' ? 'result' : 'failure';
    const job = await this.current(daemon, message.lease_id, what);
    if (!job) {
      daemon.send({
        type: 'ticket.ack',
        lease_id: message.lease_id,
        accepted: false,
        note: 'the lease is no longer current; nothing changed',
      });
      return;
    }
    this.forget(message.lease_id);
    try {
      if (message.type === 'ticket.result') await this.d.outcomes.completed(job, message);
      else {
        // It is stopping: no more work for it (a job sent now would be refused, requeued, sent again…) until it is gone.
        if (message.kind === 'stopped') daemon.capacity = 0;
        if (message.kind === 'quota' && message.retry_after) {
          daemon.downgradedUntilMs = Math.max(daemon.downgradedUntilMs ?? 0, Date.parse(message.retry_after));
          daemon.downgradeReason = message.reason;
        }
        await this.d.outcomes.failed(job, message);
      }
    } catch (error) {
      if (!this.d.outage.noted(error)) throw error;
      // Nothing of it was written (one transaction): its lease stays this connection's until it is.
      this.d.registry.hold(daemon, message.lease_id);
      this.endWaits(daemon, message);
      return;
    }
    daemon.send({ type: 'ticket.ack', lease_id: message.lease_id, accepted: true, note: 'recorded' });
    this.d.wake();
  }

  /**
   * A job's end (its result or failure) that the database could not take: it waits for the database, unacknowledged
   * (its daemon keeps it until then), and a lease this connection holds runs no stall timeout meanwhile (the job has
   * ended, and its daemon's word is in hand). Recorded once the database answers: the task runs once.
   */
  private endWaits(daemon: DaemonConnection, message: ResultMessage | FailMessage): void {
    const lease = message.lease_id;
    if (this.d.registry.ownerOf(lease) === daemon) {
      this.d.clock.disarm(lease);
      this.endsWaiting.add(lease);
    }
    const what = message.type === 'ticket.result' ? 'result' : 'failure';
    this.d.outage.whenBack(`the ${what} of lease ${lease.slice(0, 8)} from agent daemon ${daemon.host}`, () =>
      this.endWhenBack(daemon, message),
    );
  }

  /**
   * The database answers again: a job's end that waited is recorded as it came, while its connection still holds the
   * lease. Its connection gone meanwhile, its daemon sends it again once it registers (a daemon keeps a result until it
   * is acknowledged); until then the lease runs a stall timeout, as any whose daemon is away.
   */
  private async endWhenBack(daemon: DaemonConnection, message: ResultMessage | FailMessage): Promise<void> {
    const lease = message.lease_id;
    this.endsWaiting.delete(lease);
    if (this.d.registry.ownerOf(lease) === daemon && this.d.registry.get(daemon.id) === daemon) {
      try {
        await this.handleNow(daemon, message);
      } catch (error) {
        // Away again: it stays first in line.
        this.endsWaiting.add(lease);
        throw error;
      }
      return;
    }
    if (this.d.registry.ownerOf(lease) === undefined && (await this.d.jobs.active(lease)))
      this.d.clock.arm(lease, this.d.clock.now() + this.d.stallTimeoutMs());
  }

  /**
   * The job of a lease that is current and held by this daemon. A lease past its deadline whose
   * timer has not fired yet is lost now, first: the message is late however it is looked at.
   */
  private async current(daemon: DaemonConnection, leaseId: string, what: string): Promise<DaemonJob | undefined> {
    const job = await this.d.jobs.active(leaseId);
    if (job && this.d.clock.expired(leaseId)) {
      await this.expire(leaseId);
    } else if (job && this.d.registry.ownerOf(leaseId) === daemon) {
      return job;
    }
    this.d.log.warn(
      `ignored ${what} from agent daemon ${daemon.host} for lease ${leaseId.slice(0, 8)}: not current${job ? ' (held by another connection)' : ''}`,
    );
    if (what === 'result' || what === 'failure') await this.d.outcomes.ignored(leaseId, what, daemon.host);
    else daemon.send({ type: 'ticket.cancel', lease_id: leaseId, reason: 'the lease is no longer current' });
    return undefined;
  }

  /**
   * The daemon's token was revoked: its connection closes now, and its jobs go back to the queue at
   * once, counting no retry (the daemon lost its right to run them; the work did not fail), not after
   * the stall timeout as a silent daemon's would.
   */
  async withdraw(daemon: DaemonConnection, reason: string): Promise<void> {
    for (const leaseId of [...daemon.leases]) {
      const job = await this.d.jobs.active(leaseId);
      this.forget(leaseId);
      daemon.send({ type: 'ticket.cancel', lease_id: leaseId, reason });
      if (!job) continue;
      await this.d.outcomes.undelivered(job, reason);
      this.d.log.warn(`${job.agent_id} on ${job.task_id}: ${reason}`);
    }
  }

  /**
   * A job whose daemon's token was revoked while the daemon was away (not connected here): it would be refused if it
   * came back, so its job goes back to the queue now, counting no retry, as `withdraw` does for a connected one.
   */
  async withdrawAway(job: DaemonJob, reason: string): Promise<void> {
    this.forget(job.lease_id);
    await this.d.outcomes.undelivered(job, reason);
    this.d.log.warn(`${job.agent_id} on ${job.task_id}: ${reason}`);
  }

  /**
   * The daemon said goodbye as it stopped (CLOSE_CODES.stopping): the jobs it had not reported stopped with it
   * (their lifelines end them as it exits). They go back to the queue at once, counting no retry, as those it
   * reported did, instead of a stall timeout later as a silent daemon's.
   */
  async departed(daemon: DaemonConnection): Promise<void> {
    for (const leaseId of [...daemon.leases]) {
      const job = await this.d.jobs.active(leaseId);
      this.forget(leaseId);
      if (!job) continue;
      const reason = `agent daemon ${daemon.host} stopped, and its job with it; back to the queue without using a retry`;
      await this.d.outcomes.undelivered(job, reason);
      this.d.log.warn(`${job.agent_id} on ${job.task_id}: ${reason}`);
    }
    this.d.wake();
  }

  /**
   * Another connection takes this one's identity. The same daemon (`sameDaemon`) keeps its jobs: it
   * reports them again as it registers. Another process cannot run them: they are lost once, here,
   * as a stall would lose them. Either way the old connection is told why and closed.
   */
  async replace(old: DaemonConnection, reason: string, sameDaemon: boolean): Promise<void> {
    if (!sameDaemon) {
      for (const leaseId of [...old.leases]) {
        const job = await this.d.jobs.active(leaseId);
        this.forget(leaseId);
        if (job && (await this.d.outcomes.lost(job, reason))) this.d.log.warn(`${job.agent_id} on ${job.task_id}: ${reason}`);
      }
    }
    this.d.registry.remove(old.id);
    this.d.log.warn(reason);
    old.send({ type: 'error', code: 'conflict', message: reason });
    if (sameDaemon) old.close(CLOSE_CODES.replaced, 'replaced by a new connection of this daemon');
    else old.close(CLOSE_CODES.displaced, 'another process with this token and host name took its place; its jobs were dispatched again');
    this.d.wake();
  }

  /** The lease's deadline passed without a word from its daemon: the run is lost and dispatched again. */
  async expire(leaseId: string): Promise<void> {
    let job: DaemonJob | undefined;
    let elsewhere = false;
    try {
      job = await this.d.jobs.active(leaseId);
      // A team's graph: its daemon reconnected to another coordinator, which holds the run now.
      const me = this.d.store.agents.coordinatorId;
      elsewhere = job !== undefined && me !== null && (await this.d.store.agents.coordinatorOf(job.agent_id)) !== me;
    } catch (error) {
      if (!this.d.outage.noted(error)) throw error;
      // Judged once the database answers, unless a word from its daemon armed the lease again meanwhile, or its job's
      // end came and waits to be recorded.
      this.d.outage.whenBack(`the lapse of lease ${leaseId.slice(0, 8)}`, async () => {
        if (this.d.clock.deadline(leaseId) === null && !this.endsWaiting.has(leaseId)) await this.expire(leaseId);
      });
      return;
    }
    const owner = this.d.registry.ownerOf(leaseId);
    const adopted = this.adopted.has(leaseId);
    const finished = this.reportedFinished.has(leaseId);
    this.forget(leaseId);
    if (!job || elsewhere) return;
    const lostJob = job;
    const seconds = Math.round(this.d.stallTimeoutMs() / 1000);
    const reason = adopted
      ? `agent daemon ${job.daemon_host} did not come back before the job's lease ran out (its coordinator was lost): lease lost`
      : finished
        ? `agent daemon ${job.daemon_host} said the job finished, but its result did not arrive within ${seconds}s (stall timeout): lease lost`
        : `agent daemon ${job.daemon_host} silent for ${seconds}s (stall timeout): lease lost`;
    const lose = async () => {
      if (await this.d.outcomes.lost(lostJob, reason)) this.d.log.warn(`${lostJob.agent_id} on ${lostJob.task_id}: ${reason}`);
    };
    try {
      await lose();
    } catch (error) {
      if (!this.d.outage.noted(error)) throw error;
      // Lost all the same (its daemon is told below): written once the database answers.
      this.d.outage.whenBack(`the loss of ${lostJob.agent_id}'s lease`, lose);
    }
    if (owner && Date.now() - owner.lastHeardMs >= this.d.stallTimeoutMs()) {
      // Its daemon is silent too, not just this job: it must get no work until it reconnects.
      this.d.registry.remove(owner.id);
      owner.terminate();
    } else {
      owner?.send({ type: 'ticket.cancel', lease_id: leaseId, reason: 'lease lost (stall timeout)' });
    }
    this.d.wake();
  }

  /**
   * A team's graph: jobs a daemon brought here from another coordinator (it reconnected, that one went away)
   * become this coordinator's runs, so it alone watches their leases and judges their ends.
   */
  private async takeOver(agents: readonly string[]): Promise<void> {
    const me = this.d.store.agents.coordinatorId;
    if (me === null || agents.length === 0) return;
    let moved: string[];
    try {
      moved = await this.moveRuns(agents, me);
    } catch (error) {
      if (!this.d.outage.noted(error)) throw error;
      // Its jobs are held here meanwhile: their runs name this coordinator once the database answers.
      this.d.outage.whenBack(`taking over the runs of ${agents.join(', ')}`, () => this.takeOver(agents));
      return;
    }
    if (moved.length > 0) this.d.log.info(`took over ${moved.length} agent-daemon run(s) from another coordinator: ${moved.join(', ')}`);
  }

  private async moveRuns(agents: readonly string[], me: string): Promise<string[]> {
    const core = this.d.store.core;
    return core.write(async () => {
      const update = (id: string) =>
        core.build
          .updateTable('agents')
          .set({ coordinator_id: me })
          .where('id', '=', id)
          .where('state', '=', 'working')
          .where('coordinator_id', 'is distinct from', me);
      return filterAsync(agents, async (id) => (await core.run(update(id))).changes > 0);
    });
  }

  private async extend(leases: readonly string[]): Promise<void> {
    if (leases.length === 0) return;
    const stallMs = this.d.stallTimeoutMs();
    const at = this.d.clock.now() + stallMs;
    const toStore: string[] = [];
    for (const lease of leases) {
      this.adopted.delete(lease);
      this.d.clock.arm(lease, at);
      if (at - (this.storedExpiry.get(lease) ?? 0) >= STORE_EXTEND_EVERY_MS) {
        toStore.push(lease);
        this.storedExpiry.set(lease, at);
      }
    }
    if (toStore.length > 0) await this.storeExpiry(toStore, stallMs);
  }

  /**
   * The leases' expiry as stored (what a coordinator that takes the jobs over honours). Not written while the database
   * cannot be reached: the leases hold here all the same (their clock is armed: the coordinator's own lost connection
   * is no silence of their daemon), and their expiry is written as soon as it answers, so no coordinator that takes
   * them over finds them lapsed for a write that failed.
   */
  private async storeExpiry(leases: readonly string[], stallMs: number): Promise<void> {
    try {
      await this.d.jobs.extend(leases, stallMs);
    } catch (error) {
      // Not stored: the next word from their daemon tries again (or the wait below does).
      for (const lease of leases) this.storedExpiry.delete(lease);
      if (!this.d.outage.noted(error)) throw error;
      const first = this.expiryWaits.size === 0;
      for (const lease of leases) this.expiryWaits.add(lease);
      if (first) this.d.outage.whenBack("the agent daemons' job leases", () => this.storeWaitingExpiry());
    }
  }

  /** The stored expiry of the leases still held here that waited for the database, written now it answers. */
  private async storeWaitingExpiry(): Promise<void> {
    const held = [...this.expiryWaits].filter((lease) => this.d.clock.deadline(lease) !== null);
    this.expiryWaits.clear();
    if (held.length === 0) return;
    const stallMs = this.d.stallTimeoutMs();
    const at = this.d.clock.now() + stallMs;
    for (const lease of held) this.storedExpiry.set(lease, at);
    await this.storeExpiry(held, stallMs);
  }
}
