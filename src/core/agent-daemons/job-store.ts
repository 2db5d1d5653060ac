import { randomBytes } from 'node:crypto';
import type { RemoteJob, RemoteJobState } from '../../shared/remote-types';
import { STORE_TIME } from '../store/dialect';
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

const COLUMNS = 'lease_id, agent_id, task_id, token_name, daemon_host, repo, role, state, created_at, ended_at, outcome';

/**
 * Every active job with whether its run is over on the coordinator's side. A run that settled its
 * own task (`wg done`, `wg fail` relayed from the job) still works and holds it: its job runs on to
 * its end, as a local process does.
 */
const ACTIVE_WITH_ORPHANS = `SELECT ${COLUMNS.split(', ')
  .map((c) => `j.${c}`)
  .join(', ')},
    (a.state IS DISTINCT FROM 'working' OR t.status NOT IN ('in-progress', 'done', 'failed', 'pending-eval') OR t.assigned IS DISTINCT FROM j.agent_id) AS orphan
  FROM remote_jobs j INDEXED BY remote_jobs_active
  LEFT JOIN agents a ON a.id = j.agent_id LEFT JOIN tasks t ON t.id = j.task_id
  WHERE j.state IN ('assigned', 'running')`;

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
    await this.core
      .sql(
        `INSERT INTO remote_jobs (lease_id, agent_id, task_id, token_name, daemon_host, repo, role, state, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'assigned', ?, ${this.time.later})`,
      )
      .send(leaseId, job.agent_id, job.task_id, job.token_name, job.daemon_host, job.repo, job.role, this.core.nowIso(), job.lease_ms);
    return leaseId;
  }

  /**
   * The stored expiry of a lease is another coordinator's word when one takes the job over: written and read by the
   * store's clock, so a machine whose clock is off neither cuts the job short nor keeps a dead one alive.
   */
  private get time() {
    return STORE_TIME[this.core.kind];
  }

  /** The job whose lease this is, while the lease is current. */
  async active(leaseId: string): Promise<RemoteJob | undefined> {
    return this.core
      .sql<RemoteJob>(`SELECT ${COLUMNS} FROM remote_jobs WHERE lease_id = ? AND state IN ('assigned', 'running')`)
      .get(leaseId);
  }

  /**
   * How long until the lease runs out as last stored (ms, by the store's clock; negative once it has), while it is
   * current: a coordinator that takes the job over honours it. Null when none is current or its time is unreadable.
   */
  async storedRemainingMs(leaseId: string): Promise<number | null> {
    const row = await this.core
      .sql<{ left_ms: number | null }>(
        `SELECT ${this.time.msUntil('expires_at')} AS left_ms FROM remote_jobs WHERE lease_id = ? AND state IN ('assigned', 'running')`,
      )
      .get(leaseId);
    const left = row?.left_ms === null || row?.left_ms === undefined ? Number.NaN : Number(row.left_ms);
    return Number.isFinite(left) ? left : null;
  }

  async find(leaseId: string): Promise<RemoteJob | undefined> {
    return this.core.sql<RemoteJob>(`SELECT ${COLUMNS} FROM remote_jobs WHERE lease_id = ?`).get(leaseId);
  }

  async allActive(): Promise<RemoteJob[]> {
    return this.core
      .sql<RemoteJob>(
        `SELECT ${COLUMNS} FROM remote_jobs INDEXED BY remote_jobs_active WHERE state IN ('assigned', 'running') ORDER BY created_at`,
      )
      .all();
  }

  async recent(limit: number): Promise<RemoteJob[]> {
    return this.core
      .sql<RemoteJob>(`SELECT ${COLUMNS} FROM remote_jobs WHERE ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT ?`)
      .all(limit);
  }

  /**
   * Active jobs whose run is over on the coordinator's side (killed, finished by hand, its task
   * abandoned or taken by another run): their daemons must stop them.
   */
  async orphaned(): Promise<RemoteJob[]> {
    if (this.noneActive) return [];
    // Every active job, orphaned or not: none at all is worth knowing too.
    const rows = await this.core.sql<RemoteJob & { orphan: 0 | 1 }>(ACTIVE_WITH_ORPHANS).all();
    this.noneActive = rows.length === 0 && !this.core.conn.inTransaction;
    return rows.filter((row) => row.orphan === 1).map(({ orphan: _orphan, ...job }) => job);
  }

  /**
   * Active jobs whose daemon's token no longer holds: revoked, or issued again since the job was sent (its daemon had
   * the old one). Their daemon is refused at its next connect, so no word will come from it about them.
   */
  async ofRevokedTokens(): Promise<RemoteJob[]> {
    if (this.noneActive) return [];
    return this.core
      .sql<RemoteJob>(
        `SELECT ${COLUMNS.split(', ')
          .map((c) => `j.${c}`)
          .join(', ')} FROM remote_jobs j INDEXED BY remote_jobs_active LEFT JOIN agent_tokens t ON t.name = j.token_name
         WHERE j.state IN ('assigned', 'running') AND (t.name IS NULL OR t.revoked_at IS NOT NULL OR t.created_at > j.created_at)`,
      )
      .all();
  }

  /**
   * The daemon took the job: assigned becomes running, in one statement (its own transaction). Like
   * an extension, not a change of the graph: no new revision, so nothing else wakes for it.
   */
  async claimed(leaseId: string): Promise<boolean> {
    return (
      (
        await this.core
          .sql("UPDATE remote_jobs SET state = 'running', claimed_at = ? WHERE lease_id = ? AND state = 'assigned'")
          .run(this.core.nowIso(), leaseId)
      ).changes > 0
    );
  }

  /**
   * Moves the stored expiry of current leases to `leaseMs` from now by the store's clock, in its own transaction
   * (a restarted coordinator reads it). Not a change of the graph: no new revision, so heartbeats wake neither
   * the engine nor the window.
   */
  async extend(leaseIds: readonly string[], leaseMs: number): Promise<void> {
    const update = this.core.sql(
      `UPDATE remote_jobs SET expires_at = ${this.time.later} WHERE lease_id = ? AND state IN ('assigned', 'running')`,
    );
    await this.core.conn.write(async () => {
      for (const id of leaseIds) await update.send(leaseMs, id);
    });
  }

  /** Ends a current lease; false when it was no longer current (someone else ended it first). */
  async end(leaseId: string, state: Exclude<RemoteJobState, 'assigned' | 'running'>, outcome: string): Promise<boolean> {
    return (
      (
        await this.core
          .sql("UPDATE remote_jobs SET state = ?, ended_at = ?, outcome = ? WHERE lease_id = ? AND state IN ('assigned', 'running')")
          .run(state, this.core.nowIso(), outcome, leaseId)
      ).changes > 0
    );
  }
}
