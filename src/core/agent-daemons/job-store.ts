import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { DaemonJob, DaemonJobState } from '../../shared/agent-daemon-types';
import type { StoreCore } from '../store/store-core';

export interface NewJob {
  agent_id: string;
  task_id: string;
  token_name: string;
  daemon_host: string;
  repo: string;
  role: string | null;
  /** How long its lease lasts from now, by the store's clock (what the stored expiry is written by). */
  lease_ms: number;
}

/** A fresh lease id: 128 random bits, so a stale or forged one never matches a current lease. */
const newLeaseId = (): string => randomBytes(16).toString('hex');

const COLUMNS = [
  'lease_id',
  'agent_id',
  'task_id',
  'token_name',
  'daemon_host',
  'repo',
  'role',
  'state',
  'created_at',
  'ended_at',
  'outcome',
] as const;

/** The columns of a job as read through the alias `j`. */
const J_COLUMNS = COLUMNS.map((column) => `j.${column}` as const);

/**
 * The states of a current lease, as words in the statement's text rather than parameters: SQLite answers
 * `state IN ('assigned', 'running')` from its partial index daemon_jobs_active only where it can see the values.
 */
const CURRENT = [sql.lit('assigned'), sql.lit('running')];

/**
 * Remote jobs and their leases, in the store. A job is inserted (claimed) before it is sent, and a
 * lease is current exactly while its job is assigned or running: ending a job is how a lease is
 * lost, so a late message carrying it finds nothing to change. Writers call these inside `core.write`.
 */
export class JobStore {
  /**
   * No job is active, as the last look at them found: jobs are inserted only here, by the one
   * coordinator of the project (its lock), so it stays true until the next insert. The orphan look
   * after every commit then costs nothing when no agent daemon has work (nearly always).
   */
  private noneActive = false;

  constructor(private readonly core: StoreCore) {}

  async insert(job: NewJob): Promise<string> {
    const leaseId = newLeaseId();
    // Before the statement: a transaction that rolls it back leaves an extra look, never a missed one.
    this.noneActive = false;
    // The stored expiry of a lease is another coordinator's word when one takes the job over: written and read by the
    // store's clock (core.fn.later, msUntil), so a machine whose clock is off neither cuts the job short nor keeps a
    // dead one alive.
    await this.core.send(
      this.core.build.insertInto('daemon_jobs').values({
        lease_id: leaseId,
        agent_id: job.agent_id,
        task_id: job.task_id,
        token_name: job.token_name,
        daemon_host: job.daemon_host,
        repo: job.repo,
        role: job.role,
        state: 'assigned',
        created_at: this.core.nowIso(),
        expires_at: this.core.fn.later(job.lease_ms),
      }),
    );
    return leaseId;
  }

  /** Jobs, as their rows read. */
  private jobs() {
    return this.core.build.selectFrom('daemon_jobs').select(COLUMNS).$castTo<DaemonJob>();
  }

  /** The job whose lease this is, while the lease is current. */
  async active(leaseId: string): Promise<DaemonJob | undefined> {
    return this.core.get(this.jobs().where('lease_id', '=', leaseId).where('state', 'in', CURRENT));
  }

  /**
   * How long until the lease runs out as last stored (ms, by the store's clock; negative once it has), while it is
   * current: a coordinator that takes the job over honours it. Null when none is current or its time is unreadable.
   */
  async storedRemainingMs(leaseId: string): Promise<number | null> {
    const row = await this.core.get(
      this.core.build
        .selectFrom('daemon_jobs')
        .select(this.core.fn.msUntil(sql.ref('expires_at')).as('left_ms'))
        .where('lease_id', '=', leaseId)
        .where('state', 'in', CURRENT),
    );
    const left = row?.left_ms === null || row?.left_ms === undefined ? Number.NaN : Number(row.left_ms);
    return Number.isFinite(left) ? left : null;
  }

  async find(leaseId: string): Promise<DaemonJob | undefined> {
    return this.core.get(this.jobs().where('lease_id', '=', leaseId));
  }

  async allActive(): Promise<DaemonJob[]> {
    return this.core.all(this.jobs().where('state', 'in', CURRENT).orderBy('created_at'));
  }

  async recent(limit: number): Promise<DaemonJob[]> {
    return this.core.all(this.jobs().where('ended_at', 'is not', null).orderBy('ended_at', 'desc').limit(limit));
  }

  /**
   * Active jobs whose run is over on the coordinator's side (killed, finished by hand, its task
   * abandoned or taken by another run): their daemons must stop them.
   */
  async orphaned(): Promise<DaemonJob[]> {
    if (this.noneActive) return [];
    // Every active job, orphaned or not: none at all is worth knowing too.
    const rows = await this.core.all(
      this.core.build
        .selectFrom('daemon_jobs as j')
        .leftJoin('agents as a', 'a.id', 'j.agent_id')
        .leftJoin('tasks as t', 't.id', 'j.task_id')
        .select(J_COLUMNS)
        // Whether its run is over on the coordinator's side. A run that settled its own task (`wg done`, `wg fail`
        // relayed from the job) still works and holds it: its job runs on to its end, as a local process does.
        .select((eb) =>
          eb
            .or([
              eb('a.state', 'is distinct from', 'working'),
              eb('t.status', 'not in', ['in-progress', 'done', 'failed', 'pending-eval']),
              eb('t.assigned', 'is distinct from', eb.ref('j.agent_id')),
            ])
            .as('orphan'),
        )
        .where('j.state', 'in', CURRENT)
        .$castTo<DaemonJob & { orphan: 0 | 1 }>(),
    );
    this.noneActive = rows.length === 0 && !this.core.conn.inTransaction;
    return rows.filter((row) => row.orphan === 1).map(({ orphan: _orphan, ...job }) => job);
  }

  /**
   * Jobs that ended under runs still working (of `coordinatorId`'s, on a team's graph): their runs were never settled
   * (ended-jobs.ts says how that happens and how they are judged).
   */
  async endedUnderWorkingRuns(coordinatorId: string | null): Promise<DaemonJob[]> {
    let query = this.core.build
      .selectFrom('daemon_jobs as j')
      .innerJoin('agents as a', 'a.id', 'j.agent_id')
      .select(J_COLUMNS)
      .where('a.state', '=', 'working')
      .where('j.state', 'not in', CURRENT)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(selectFrom('daemon_jobs as k').select('k.lease_id').whereRef('k.agent_id', '=', 'a.id').where('k.state', 'in', CURRENT)),
        ),
      );
    if (coordinatorId !== null) query = query.where('a.coordinator_id', '=', coordinatorId);
    return this.core.all(query.orderBy('j.created_at').$castTo<DaemonJob>());
  }

  /**
   * Active jobs whose daemon's token no longer holds: revoked, or issued again since the job was sent (its daemon had
   * the old one). Their daemon is refused at its next connect, so no word will come from it about them.
   */
  async ofRevokedTokens(): Promise<DaemonJob[]> {
    if (this.noneActive) return [];
    return this.core.all(
      this.core.build
        .selectFrom('daemon_jobs as j')
        .leftJoin('agent_tokens as t', 't.name', 'j.token_name')
        .select(J_COLUMNS)
        .where('j.state', 'in', CURRENT)
        .where((eb) =>
          eb.or([eb('t.name', 'is', null), eb('t.revoked_at', 'is not', null), eb('t.created_at', '>', eb.ref('j.created_at'))]),
        )
        .$castTo<DaemonJob>(),
    );
  }

  /**
   * The daemon took the job: assigned becomes running, in one statement (its own transaction). Like
   * an extension, not a change of the graph: no new revision, so nothing else wakes for it.
   */
  async claimed(leaseId: string): Promise<boolean> {
    return (
      (
        await this.core.run(
          this.core.build
            .updateTable('daemon_jobs')
            .set({ state: 'running', claimed_at: this.core.nowIso() })
            .where('lease_id', '=', leaseId)
            .where('state', '=', 'assigned'),
        )
      ).changes > 0
    );
  }

  /**
   * Moves the stored expiry of current leases to `leaseMs` from now by the store's clock, in its own transaction
   * (a restarted coordinator reads it). Not a change of the graph: no new revision, so heartbeats wake neither
   * the engine nor the window.
   */
  async extend(leaseIds: readonly string[], leaseMs: number): Promise<void> {
    const update = (id: string) =>
      this.core.build
        .updateTable('daemon_jobs')
        .set({ expires_at: this.core.fn.later(leaseMs) })
        .where('lease_id', '=', id)
        .where('state', 'in', CURRENT);
    await this.core.conn.write(async () => {
      for (const id of leaseIds) await this.core.send(update(id));
    });
  }

  /** Ends a current lease; false when it was no longer current (someone else ended it first). */
  async end(leaseId: string, state: Exclude<DaemonJobState, 'assigned' | 'running'>, outcome: string): Promise<boolean> {
    return (
      (
        await this.core.run(
          this.core.build
            .updateTable('daemon_jobs')
            .set({ state, ended_at: this.core.nowIso(), outcome })
            .where('lease_id', '=', leaseId)
            .where('state', 'in', CURRENT),
        )
      ).changes > 0
    );
  }
}
