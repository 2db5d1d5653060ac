import type { LeaseMember } from '../../shared/service-types';
import { commitChannel, PgConnection } from '../store/postgres/pg-connection';
import type { Fence } from '../store/postgres/pg-fence';
import type { PgTarget } from '../store/postgres/store-url';
import { LEASE_SQL } from './lease-sql';

/** How long a lease (or a standby's place) lasts without a renewal, by the database's clock. */
const LEASE_TTL_MS = 10_000;
/** How often the holder and each standby renew. */
export const RENEW_EVERY_MS = 2_000;
/** How long a takeover waits for a write under way before trying again at the next renewal. */
const TAKEOVER_LOCK_WAIT_MS = 3_000;

/** Who a coordinator is: the id of its folder (the same across its restarts there), and where it runs. */
export interface CoordinatorIdentity {
  id: string;
  host: string;
  folder: string;
  pid: number;
  /** Its API's address, where the project's other coordinators fetch its runs' output. */
  url?: string;
  /** The key that opens only that (src/core/peers/output-key.ts). */
  outputKey?: string;
}

export type TakeOutcome = { taken: true; epoch: number } | { taken: false; leftMs: number; holder: string };

interface MemberRow {
  id: string;
  role: 'holder' | 'standby';
  epoch: number;
  host: string;
  folder: string;
  pid: number;
  started_at: number;
  since: number | null;
  renewed_at: number;
  expires_in_ms: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The project's coordinators as its lease table has them, the holder first: read on any connection to its store. */
export function leaseMembers(conn: PgConnection): LeaseMember[] {
  return conn.pgQuery<MemberRow>(LEASE_SQL.members).map((row) => ({
    id: row.id,
    role: row.role,
    epoch: row.epoch,
    host: row.host,
    folder: row.folder,
    pid: row.pid,
    started_at: iso(row.started_at),
    since: row.since === null ? null : iso(row.since),
    renewed_at: iso(row.renewed_at),
    expires_in_ms: row.expires_in_ms,
  }));
}

/**
 * A team's graph is coordinated by one coordinator at a time: the holder of the project's lease, a
 * row of the `coordinators` table with an epoch, renewed every RENEW_EVERY_MS and judged by the
 * database's clock. Every other coordinator of the project has a row too, as a standby; when the
 * holder's lease lapses, a standby takes it over with the next epoch, in the project's write turn, and
 * the old holder's every later write fails its fence (the check of its id and epoch each of its writes
 * makes after the project's lock). Statements run on a connection of their own, outside the project's
 * lock, so a renewal never waits for a write.
 */
export class CoordinatorLease {
  private readonly conn: PgConnection;
  /** The epoch this coordinator holds at, while it holds. */
  epoch: number | null = null;

  constructor(
    private readonly target: PgTarget,
    readonly me: CoordinatorIdentity,
    readonly ttlMs = LEASE_TTL_MS,
  ) {
    this.conn = new PgConnection(target, TAKEOVER_LOCK_WAIT_MS);
  }

  /** Writes this coordinator's row: a standby's, or, if the holder's row is its own folder's, that row as it was. */
  join(): void {
    const { id, host, folder, pid, url, outputKey } = this.me;
    this.conn.pgQuery(LEASE_SQL.join, [id, host, folder, pid, this.ttlMs, url ?? null, outputKey ?? null]);
  }

  /**
   * Takes the lease if nobody holds it, its holder's lapsed, or it is this folder's own (a coordinator
   * here before this one, which is gone: this process holds the folder's lock), with the next epoch.
   */
  take(): TakeOutcome {
    return this.conn.withoutProjectLock((): TakeOutcome => {
      this.conn.pgQuery(LEASE_SQL.projectLock);
      const [holder] = this.conn.pgQuery<{ id: string; epoch: number; left_ms: number }>(LEASE_SQL.holder);
      if (holder && holder.id !== this.me.id && holder.left_ms > 0) return { taken: false, leftMs: holder.left_ms, holder: holder.id };
      const epoch = this.conn.pgQuery<{ epoch: number }>(LEASE_SQL.nextEpoch)[0]?.epoch ?? 1;
      this.conn.pgQuery(LEASE_SQL.demote, [this.me.id]);
      const promoted = this.conn.pgQuery(LEASE_SQL.promote, [this.me.id, epoch, this.me.pid, this.ttlMs]);
      if (promoted.length === 0) {
        // Its row was swept meanwhile (a long pause): written again, then promoted.
        this.join();
        this.conn.pgQuery(LEASE_SQL.promote, [this.me.id, epoch, this.me.pid, this.ttlMs]);
      }
      this.conn.pgQuery(LEASE_SQL.sweep);
      this.epoch = epoch;
      return { taken: true, epoch };
    });
  }

  /** The holder's renewal: false when its lease is no longer its own (taken over: it is fenced). */
  renewHolder(): boolean {
    if (this.epoch === null) return false;
    return this.conn.pgQuery(LEASE_SQL.renewHolder, [this.me.id, this.epoch, this.ttlMs]).length > 0;
  }

  /** A standby's renewal (its row written again if it was swept); then how long the holder's lease has left (0: none, or lapsed). */
  renewStandby(): number {
    if (this.conn.pgQuery(LEASE_SQL.renewStandby, [this.me.id, this.ttlMs]).length === 0) this.join();
    const [holder] = this.conn.pgQuery<{ left_ms: number }>(LEASE_SQL.holderLeft);
    return holder ? Math.max(0, holder.left_ms) : 0;
  }

  /** The check each of the holder's writes makes (PgConnection.setFence). */
  fence(): Fence {
    return {
      check: { text: LEASE_SQL.fence, values: [this.me.id, this.epoch ?? -1], name: 'wg_fence' },
      refusal: `this coordinator no longer holds the project's lease (epoch ${this.epoch ?? 'none'}): another one took over; nothing was written`,
    };
  }

  /** Every coordinator of the project now: the holder first, then the standbys. */
  members(): LeaseMember[] {
    return leaseMembers(this.conn);
  }

  /** Steps down (a stop): the holder's lease ends now, so a standby takes over at once; a standby's row goes. */
  leave(): void {
    if (this.epoch !== null) this.conn.pgQuery(LEASE_SQL.release, [this.me.id, this.epoch]);
    this.conn.pgQuery(LEASE_SQL.leave, [this.me.id]);
    this.epoch = null;
    // Heard by the standbys on the project's commit channel: they look at the lease now.
    this.conn.pgQuery('SELECT pg_notify($1, $2)', [commitChannel(this.target.schema), 'lease']);
  }

  close(): void {
    this.conn.close();
  }
}
