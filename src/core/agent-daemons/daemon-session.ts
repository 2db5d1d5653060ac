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
import type { LeaseClock } from './lease-clock';
import type { RemoteOutput } from './remote-output';
import type { RemoteJob } from '../../shared/remote-types';
import { timerAt } from '../timing/timer-at';

export interface SessionDeps {
  store: Store;
  jobs: JobStore;
  registry: DaemonRegistry;
  clock: LeaseClock;
  outcomes: JobOutcomes;
  output: RemoteOutput;
  stallTimeoutMs(): number;
  /** Something changed that may let a task go to a daemon. */
  wake(): void;
  /** Runs an operation as the coordinator's API does (run-authority included) for a job's relayed `wg`. */
  runOp(name: OpName, input: unknown, actor: string, agent: NonNullable<OpContext['agent']>): Promise<unknown>;
  log: { info(message: string): void; warn(message: string): void };
}

/**
 * The stored expiry is moved at most this often per lease (the clock in memory is exact); a restart grants a full
 * stall timeout anyway. So the lease as stored may run out up to this much before the one its coordinator kept.
 */
export const STORE_EXTEND_EVERY_MS = 5000;

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

  constructor(private readonly d: SessionDeps) {}

  /** agent.register: a new connection; it keeps the jobs it still runs whose leases hold, and drops the rest. */
  async register(daemon: DaemonConnection, message: RegisterMessage): Promise<{ keep: string[]; drop: string[] }> {
    const keep: string[] = [];
    const drop: string[] = [];
    const stale: string[] = [];
    for (const held of message.jobs) {
      const job = await this.d.jobs.active(held.lease_id);
      const instance = this.d.registry.instanceOf(held.lease_id);
      const mine =
        job &&
        job.token_name === daemon.token.name &&
        job.daemon_host === daemon.host &&
        (instance === undefined || instance === daemon.instance) &&
        !this.d.clock.expired(held.lease_id);
      if (mine) {
        this.d.registry.hold(daemon, held.lease_id);
        keep.push(held.lease_id);
        if (held.state === 'finished' && this.reportedFinished.has(held.lease_id)) stale.push(held.lease_id);
        if (held.state === 'finished') this.reportedFinished.add(held.lease_id);
      } else {
        drop.push(held.lease_id);
      }
    }
    await this.takeOver(keep);
    await this.extend(keep.filter((lease) => !stale.includes(lease)));
    this.d.registry.add(daemon);
    this.d.log.info(
      `agent daemon ${daemon.host} registered (${daemon.id}, token ${daemon.token.name}): repos ${daemon.repos.join(', ') || '-'}, roles ${daemon.roles.join(', ') || '-'}, capacity ${daemon.capacity}${keep.length ? `, kept ${keep.length} job(s)` : ''}${drop.length ? `, dropped ${drop.length}` : ''}`,
    );
    this.d.wake();
    return { keep, drop };
  }

  async handle(daemon: DaemonConnection, message: DaemonMessage): Promise<void> {
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
        void this.relay(daemon, message);
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
    const job = await this.current(daemon, message.lease_id, 'wg command');
    if (!job) return answer({ ok: false, code: 'forbidden', message: 'this job no longer holds its task (its lease ended)' });
    if (!isOpName(message.op)) return answer({ ok: false, code: 'invalid', message: `unknown operation '${message.op}'` });
    // A job that talks is alive, as one that sends progress is.
    await this.extend([message.lease_id]);
    const runId = await this.d.store.agents.runId(job.agent_id);
    try {
      const output = await this.d.runOp(message.op, message.input ?? {}, job.agent_id, { id: job.agent_id, runId, credential: true });
      answer({ ok: true, output: output ?? null });
    } catch (error) {
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
    daemon.send({ type: 'ticket.ack', lease_id: message.lease_id, accepted: true, note: 'recorded' });
    this.d.wake();
  }

  /**
   * The job of a lease that is current and held by this daemon. A lease past its deadline whose
   * timer has not fired yet is lost now, first: the message is late however it is looked at.
   */
  private async current(daemon: DaemonConnection, leaseId: string, what: string): Promise<RemoteJob | undefined> {
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
  async withdrawAway(job: RemoteJob, reason: string): Promise<void> {
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
    const job = await this.d.jobs.active(leaseId);
    const owner = this.d.registry.ownerOf(leaseId);
    const adopted = this.adopted.has(leaseId);
    const finished = this.reportedFinished.has(leaseId);
    this.forget(leaseId);
    if (!job) return;
    // A team's graph: its daemon reconnected to another coordinator, which holds the run now.
    const me = this.d.store.agents.coordinatorId;
    if (me !== null && (await this.d.store.agents.coordinatorOf(job.agent_id)) !== me) return;
    const seconds = Math.round(this.d.stallTimeoutMs() / 1000);
    const reason = adopted
      ? `agent daemon ${job.daemon_host} did not come back before the job's lease ran out (its coordinator was lost): lease lost`
      : finished
        ? `agent daemon ${job.daemon_host} said the job finished, but its result did not arrive within ${seconds}s (stall timeout): lease lost`
        : `agent daemon ${job.daemon_host} silent for ${seconds}s (stall timeout): lease lost`;
    if (await this.d.outcomes.lost(job, reason)) this.d.log.warn(`${job.agent_id} on ${job.task_id}: ${reason}`);
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
  private async takeOver(leases: readonly string[]): Promise<void> {
    const me = this.d.store.agents.coordinatorId;
    if (me === null || leases.length === 0) return;
    const core = this.d.store.core;
    const agents = (await Promise.all(leases.map(async (lease) => (await this.d.jobs.active(lease))?.agent_id))).filter(
      (id): id is string => id !== undefined,
    );
    const moved = await core.write(async () => {
      const update = core.sql(
        "UPDATE agents SET coordinator_id = ? WHERE id = ? AND state = 'working' AND coordinator_id IS DISTINCT FROM ?",
      );
      return filterAsync(agents, async (id) => (await update.run(me, id, me)).changes > 0);
    });
    if (moved.length > 0) this.d.log.info(`took over ${moved.length} agent-daemon run(s) from another coordinator: ${moved.join(', ')}`);
  }

  private async extend(leases: readonly string[]): Promise<void> {
    if (leases.length === 0) return;
    const stallMs = this.d.stallTimeoutMs();
    const at = Date.now() + stallMs;
    const toStore: string[] = [];
    for (const lease of leases) {
      this.adopted.delete(lease);
      this.d.clock.arm(lease, at);
      if (at - (this.storedExpiry.get(lease) ?? 0) >= STORE_EXTEND_EVERY_MS) {
        toStore.push(lease);
        this.storedExpiry.set(lease, at);
      }
    }
    if (toStore.length > 0) await this.d.jobs.extend(toStore, stallMs);
  }
}
