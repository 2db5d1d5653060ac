import type { AssignedMessage } from '../../shared/agent-protocol';
import type { Claimed } from '../runs/claiming/claim';
import { failUnlaunchable } from '../runs/settling/settle';
import type { Store } from '../store/store';
import { inBackground } from '../engine-log';
import { findTaskRow } from '../store/task-reads';
import { appendLog } from '../store/task-writes';
import { frameTooLarge, type OversizedFrame } from './agent-hub';
import type { DaemonRegistry } from './daemon-registry';
import type { JobOutcomes } from './job-outcomes';
import type { JobStore } from './job-store';
import type { JobLeaseClock } from './job-lease-clock';
import { canRun, type DaemonSlot, matchTasks, type RemoteNeed } from './matching';
import { readyDaemonTasks } from './ready-for-daemons';
import type { Config } from '../config/config-view';
import { errorText } from '../../shared/errors';
import { STARTABLE_STATUSES } from '../../shared/task';
import type { StartGate } from '../leases/start-gate';
import type { StoreOutage } from '../database-outage/database-outage';

/** Ready tasks read beyond the free capacity, so the ones that must wait can say why. */
const WAITING_SHOWN = 50;
/**
 * With no agent daemon connected, a turn can only note why ready remote tasks wait, fail the ones
 * that can never run and cancel orphaned jobs: none of it is urgent, so the commits of this long
 * make one turn. A busy coordinator commits every few ms; one turn each (a read of the ready remote
 * tasks) was a steady cost of its main thread with no daemon anywhere, and at 100 ms still a round trip
 * to PostgreSQL in most of a chain's dispatches (bench:team-network).
 */
export const UNCONNECTED_TURN_MS = 1000;
/**
 * Turns run as microtasks, so turns that keep waking each other would never let the event loop run:
 * no socket closes, no timer fires, no SIGTERM is heard. After this many in a row the next one waits
 * for the loop's check phase (setImmediate). A revoked daemon once kept the dispatcher in such a chain.
 */
const MAX_TURNS_IN_A_ROW = 64;
const MB = 1024 * 1024;

/**
 * A claim undone because its assignment is larger than a daemon's connection carries (agent-hub.ts's frameTooLarge,
 * the measure its sends go by): sent, it would close the daemon's socket (1009) at each try, losing the job with it,
 * until the task failed after its retries for a false reason (a stall). Its task fails at once, unlaunchable.
 */
class AssignmentTooLarge extends Error {
  constructor(size: OversizedFrame) {
    super(
      // Rounded up: never "4.0 MB, more than … (4 MB)".
      `cannot launch: its prompt is ${(Math.ceil((size.bytes / MB) * 10) / 10).toFixed(1)} MB, more than an agent daemon's connection carries (${size.limit / MB} MB)`,
    );
  }
}

export interface DispatcherDeps {
  store: Store;
  jobs: JobStore;
  registry: DaemonRegistry;
  clock: JobLeaseClock;
  outcomes: JobOutcomes;
  config(): Config;
  paused(): boolean;
  /** A team's graph: whether the coordinator's lease is sure to hold for a while yet; when not, nothing is claimed. */
  mayClaim?(): boolean;
  stallTimeoutMs(): number;
  /** Claims the task for a run on that daemon (the coordinator's claim: agent row, in-progress, log), its prompt naming the daemon's `wg`. */
  claim(taskId: string, daemonLabel: string, daemonWg: string): Promise<Claimed>;
  /** What a committed claim starts goes through this (the coordinator's lease); absent: sent at once. */
  starts?: StartGate;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
  /** A database that cannot be reached is said there, once (the turn is taken again once it answers). */
  outage?: StoreOutage;
  /**
   * A team's graph: the daemons connected to the project's other coordinators (team-daemons.ts). A task one of them can
   * run is theirs to claim or to say waits, not this coordinator's.
   */
  elsewhere?(): Promise<DaemonSlot[]>;
}

/**
 * Hands ready remote tasks to daemons. A turn is ONE transaction: each chosen task is claimed and
 * its job inserted with a lease; only after the commit are the jobs sent, so a crash can leave a
 * claimed job that was never sent (its lease expires and it is dispatched again), never a job sent
 * but not claimed. Turns are coalesced: many wakes in a row make one turn.
 *
 * A turn runs as a microtask, as soon as the commit that woke it has returned, not after the I/O
 * already waiting: `npm run bench:agentd` measured a ready task waiting behind other daemons'
 * claims and results (and the engine's pump) when turns went through setImmediate. Its own commit
 * does not wake it again.
 * With no daemon connected there is nothing to send: turns wait a little and coalesce.
 */
export class JobDispatcher {
  private queued = false;
  /** A turn waiting UNCONNECTED_TURN_MS (no daemon connected when it was asked for). */
  private later: NodeJS.Timeout | null = null;
  /** Set during a turn's own transaction, whose commit needs no second look. */
  private turning = false;
  /**
   * Something other than a commit (a daemon registered, a job ended) asked for a turn during a turn's transaction: that
   * turn read the daemons before it, so another follows. Dropped like a commit's notice, it waited for the next commit
   * to come, and on a quiet graph none does.
   */
  private turnAgain = false;
  private lastSeq = 0;
  private stopped = false;
  /** The coordinator is stopping: its runs are killed and their tasks requeued for the next one, not claimed again here. */
  private claiming = true;
  /** A turn claimed nothing because the lease was not sure to hold: the renewal takes another. */
  private heldForLease = false;
  /** The latest revision a wake told of, and the one the turn under way began from. */
  private seenRev = 0;
  private turnFromRev = 0;
  /** Turns run as microtasks since the event loop last went round (reset by a setImmediate). */
  private inARow = 0;
  private rowEnds: NodeJS.Immediate | null = null;
  /** What each waiting task waits for, as last written to its log (written again only when it changes). */
  private readonly waiting = new Map<string, string>();

  constructor(private readonly d: DispatcherDeps) {}

  /**
   * `rev`: the revision a commit made, as the service's feed passes each one on (once). A turn's own commit needs no
   * second look; one whose revision is beyond the next after the one the turn began from does: another process
   * committed in between, and its notice, of a lower revision, will not be passed on again.
   */
  wake(rev?: number): void {
    if (this.stopped) return;
    const unseen = rev !== undefined && rev > this.turnFromRev + 1;
    if (rev !== undefined) this.seenRev = Math.max(this.seenRev, rev);
    if (this.turning && !unseen) {
      if (rev === undefined) this.turnAgain = true;
      return;
    }
    // A daemon that connects while a turn waits gets it now.
    if (this.later && this.d.registry.size > 0) {
      clearTimeout(this.later);
      this.later = null;
      this.queued = false;
    }
    if (this.queued) return;
    this.queued = true;
    if (this.d.registry.size > 0) {
      // turnNow says what it meets itself.
      if (this.inARow++ < MAX_TURNS_IN_A_ROW) queueMicrotask(this.turnApart);
      else setImmediate(this.turnApart);
      this.rowEnds ??= setImmediate(() => {
        this.rowEnds = null;
        this.inARow = 0;
      });
      return;
    }
    this.later = setTimeout(() => {
      this.later = null;
      this.turnApart();
    }, UNCONNECTED_TURN_MS);
    this.later.unref();
  }

  /**
   * A turn of its own, even when woken from inside a transaction (a job's end): its writes are never savepoints of a
   * transaction that may commit before they are made.
   */
  private readonly turnApart = (): void => {
    void this.d.store.core.detached(() => this.turnNow());
  };

  private async turnNow(): Promise<void> {
    this.queued = false;
    if (this.stopped) return;
    this.turnFromRev = this.seenRev;
    try {
      await this.turn();
    } catch (error) {
      if (this.d.outage?.noted(error)) return;
      this.d.log.error(`remote dispatch failed: ${errorText(error)}`);
    }
  }

  /**
   * The coordinator's lease was renewed: ready tasks a turn left while it was unsure are sent now. Nothing else would
   * wake the dispatcher for them on a quiet graph.
   */
  leaseRenewed(): void {
    if (!this.heldForLease) return;
    this.heldForLease = false;
    this.wake();
  }

  waitingTasks(): Array<{ task_id: string; reason: string }> {
    return [...this.waiting].map(([task_id, reason]) => ({ task_id, reason }));
  }

  /**
   * No more claims, from now on: the coordinator's stop comes next, and kills and requeues its runs. Turns still end on
   * their daemons the jobs whose runs ended here (the kill's), so nothing a run started outlives the stop.
   */
  stopClaiming(): void {
    this.claiming = false;
  }

  stop(): void {
    this.stopClaiming();
    this.stopped = true;
    if (this.later) clearTimeout(this.later);
    this.later = null;
    if (this.rowEnds) clearImmediate(this.rowEnds);
    this.rowEnds = null;
  }

  /** Jobs whose runs ended on this side (killed, done by hand) are stopped on their daemons. */
  private async cancelOrphans(): Promise<void> {
    for (const job of await this.d.jobs.orphaned()) {
      await this.d.outcomes.cancelled(job, 'the run ended on the coordinator');
      this.d.clock.disarm(job.lease_id);
      const owner = this.d.registry.release(job.lease_id);
      owner?.send({ type: 'ticket.cancel', lease_id: job.lease_id, reason: 'the run was ended on the coordinator' });
    }
  }

  private async turn(): Promise<void> {
    await this.cancelOrphans();
    if (!this.claiming || this.d.paused()) return;
    if (!(this.d.mayClaim?.() ?? true)) {
      this.heldForLease = true;
      return;
    }
    const slots = this.d.registry.slots();
    const free = slots.reduce((sum, s) => sum + Math.max(0, s.capacity - s.active), 0);
    const config = this.d.config();
    const now = this.d.store.core.clock();
    const limit = free + WAITING_SHOWN;
    const ready = await readyDaemonTasks(this.d.store, config, now, limit);
    if (ready.needs.length === 0 && ready.unlaunchable.length === 0) {
      this.waiting.clear();
      return;
    }
    const match = matchTasks(ready.needs, slots, now.getTime(), this.lastSeq);
    this.lastSeq = match.last_seq;
    // Asked only when a task is about to be said to wait (a read of the team's lease table).
    const news = match.waiting.some((w) => this.waiting.get(w.task_id) !== w.reason);
    const elsewhere = news && this.d.elsewhere ? await this.d.elsewhere() : [];
    const sends: Array<{ daemonId: string; message: AssignedMessage }> = [];
    let failed = 0;
    this.turning = true;
    try {
      await this.d.store.core.batch(async () => {
        for (const task of ready.unlaunchable) await failUnlaunchable(this.d.store, task.task_id, task.reason, this.d.log);
        for (const assignment of match.assignments) {
          const sent = await this.assign(assignment.task_id, assignment.daemon_id);
          if (sent === 'failed') failed++;
          else if (sent) sends.push(sent);
        }
        await this.noteWaiting(match.waiting, new Map(ready.needs.map((n) => [n.task_id, n])), elsewhere);
      });
    } finally {
      this.turning = false;
      if (this.turnAgain) {
        this.turnAgain = false;
        this.wake();
      }
    }
    // Committed: the jobs are claimed with their leases; now they may be sent, while the lease that claimed them holds.
    for (const { daemonId, message } of sends) {
      if (!this.d.starts) await this.send(daemonId, message);
      else if (
        !this.d.starts.start(() => inBackground(this.sendHeld(daemonId, message), (m) => this.d.log.error(m), `sending ${message.job_id}`))
      )
        this.d.log.info(`${message.job_id} on ${message.task.id} waits to be sent until this coordinator's lease is renewed`);
    }
    // Unlaunchable rows took places in the read: ready tasks beyond it get their own turn. So do the daemons' places
    // matched to tasks failed here (too large to send), which this turn's own commit does not wake it for. (Not those of
    // claims refused: a refusal that lasts would make a loop of turns.)
    if ((ready.unlaunchable.length > 0 && ready.needs.length + ready.unlaunchable.length >= limit) || failed > 0) this.wake();
  }

  /** The job to send; null when nothing was claimed (or no job made); 'failed' when its task failed instead, unlaunchable. */
  private async assign(taskId: string, daemonId: string): Promise<{ daemonId: string; message: AssignedMessage } | 'failed' | null> {
    const daemon = this.d.registry.get(daemonId);
    if (!daemon) return null;
    const stallMs = this.d.stallTimeoutMs();
    let assigned: { leaseId: string; message: AssignedMessage } | null;
    try {
      // One write (a savepoint of the turn): an assignment too large to send is undone whole, its run and its job,
      // before its task is failed; its size is known only once the claim has built its prompt.
      assigned = await this.d.store.core.write(async () => {
        const { spec, agent, task } = await this.d.claim(taskId, daemon.host, daemon.wg);
        if (spec.kind !== 'remote') return null;
        const leaseId = await this.d.jobs.insert({
          agent_id: agent.id,
          task_id: task.id,
          token_name: daemon.token.name,
          daemon_host: daemon.host,
          repo: spec.repo,
          role: spec.role,
          lease_ms: stallMs,
        });
        const message: AssignedMessage = {
          type: 'ticket.assigned',
          lease_id: leaseId,
          job_id: agent.id,
          task: { id: task.id, title: task.title, description: task.description, tags: task.tags },
          prompt: spec.prompt,
          repo: spec.repo,
          role: spec.role,
          model: spec.model,
          // The run's own limit (the claim's, by the rule of every run). The protocol takes positive seconds: a 0 s
          // limit (`--timeout 0s`, over at once for a local run) is the shortest a daemon counts.
          timeout_s: spec.timeout_s === null ? null : Math.max(1, spec.timeout_s),
        };
        const tooLarge = frameTooLarge(message);
        if (tooLarge) throw new AssignmentTooLarge(tooLarge);
        return { leaseId, message };
      });
    } catch (error) {
      if (error instanceof AssignmentTooLarge) {
        // Never sent, and not retried: every try would be as large.
        this.waiting.delete(taskId);
        await failUnlaunchable(this.d.store, taskId, error.message, this.d.log);
        return 'failed';
      }
      this.d.log.warn(`remote dispatch of ${taskId} skipped: ${errorText(error)}`);
      return null;
    }
    if (!assigned) return null;
    this.d.registry.hold(daemon, assigned.leaseId);
    this.d.clock.arm(assigned.leaseId, this.d.store.core.clock().getTime() + stallMs);
    this.waiting.delete(taskId);
    return { daemonId, message: assigned.message };
  }

  /** A job held back from its send: sent once the lease is renewed, if it is still this coordinator's to send. */
  private async sendHeld(daemonId: string, message: AssignedMessage): Promise<void> {
    if (this.stopped) return;
    // Its lease ran out meanwhile (retried), or it ended: it must not start now.
    if (!(await this.d.jobs.active(message.lease_id))) return;
    const me = this.d.store.agents.coordinatorId;
    if (me !== null && (await this.d.store.agents.coordinatorOf(message.job_id)) !== me) return;
    await this.send(daemonId, message);
  }

  private async send(daemonId: string, message: AssignedMessage): Promise<void> {
    const daemon = this.d.registry.get(daemonId);
    if (daemon?.send(message)) return;
    // Gone between the match and the commit: the job never left; back to the queue, no retry counted.
    // A connection that cannot take a frame is closing: it gets no more work (its close event will
    // come, but only after this turn; meanwhile the requeued job would be handed to it again).
    if (daemon) this.d.registry.remove(daemon.id);
    this.d.clock.disarm(message.lease_id);
    this.d.registry.release(message.lease_id);
    const job = await this.d.jobs.active(message.lease_id);
    if (job) await this.d.outcomes.undelivered(job, `agent daemon ${job.daemon_host} disconnected before the job was sent`);
  }

  /**
   * A task that starts waiting (or waits for something else now) says so once in its log; not one a daemon of another
   * coordinator can run (that one claims it, or says why it waits), nor one claimed since this turn read it ready
   * (another coordinator's claim, committed meanwhile).
   */
  private async noteWaiting(
    waiting: ReadonlyArray<{ task_id: string; reason: string }>,
    ready: ReadonlyMap<string, RemoteNeed>,
    elsewhere: readonly DaemonSlot[],
  ): Promise<void> {
    for (const id of [...this.waiting.keys()]) if (!ready.has(id)) this.waiting.delete(id);
    for (const { task_id, reason } of waiting) {
      if (this.waiting.get(task_id) === reason) continue;
      const need = ready.get(task_id);
      if (need && elsewhere.some((slot) => canRun(slot, need))) {
        this.waiting.delete(task_id);
        continue;
      }
      const noted = await this.d.store.core.write(async (rev) => {
        const row = await findTaskRow(this.d.store.core, task_id);
        if (!row || row.assigned !== null || !STARTABLE_STATUSES.includes(row.status)) return false;
        await appendLog(this.d.store.core, task_id, 'coordinator', capitalize(reason));
        await this.d.store.core.send(this.d.store.core.build.updateTable('tasks').set({ rev }).where('id', '=', task_id));
        return true;
      });
      if (noted) this.waiting.set(task_id, reason);
      else this.waiting.delete(task_id);
    }
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
