import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { LeaseMember } from '../../shared/service-types';
import { commitChannel, PgConnection } from '../store/postgres/pg-connection';
import type { Fence } from '../store/postgres/pg-fence';
import type { PgTarget } from '../store/postgres/store-url';
import { processAlive } from '../processes/process-group';
import { LEASE_SQL } from './lease-sql';

/** How long a lease lasts without a renewal, by the database's clock. */
const LEASE_TTL_MS = 5_000;
/** How long after its lease lapsed a coordinator is declared lost, and its runs taken over. */
const LOST_AFTER_MS = 15_000;
/**
 * How long before its lease could lapse a coordinator stops claiming, by its own clock: a renewal's
 * answer may come late, and a claim's transaction takes a moment to commit.
 */
const CLAIM_MARGIN_MS = 2_000;
/**
 * How soon a coordinator already due to be declared lost, yet not declared, is looked at again: a few looks a second
 * while another sweeper holds its row, and no more than this late where a sweep missed its moment by a hair.
 */
const PAST_DUE_LOOK_MS = 200;
/** How long a sweep or a join waits for a lock before trying again at the next renewal. */
const LEASE_LOCK_WAIT_MS = 3_000;

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
  /** How many runs it would hold now (its max_agents, 0 while paused), written with each renewal: the team's cap is shared by these. */
  capacity?: () => number;
  /** The agent daemons connected to it now, as JSON (agent-daemons/team-daemons.ts), written with each renewal. */
  daemons?: () => string;
}

/** A row of another coordinator's agent daemons (LEASE_SQL.othersDaemons). */
export interface DaemonsRow {
  id: string;
  host: string;
  folder: string;
  agent_daemons: string;
}

interface MemberRow {
  id: string;
  role: 'holder' | 'standby' | 'lost';
  epoch: number;
  host: string;
  folder: string;
  pid: number;
  url: string | null;
  started_at: number;
  since: number | null;
  renewed_at: number;
  expires_in_ms: number;
  released: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The project's coordinators as its lease table has them, active ones first: read on any connection to its store. */
export async function leaseMembers(conn: PgConnection): Promise<LeaseMember[]> {
  return (await conn.pgQuery<MemberRow>(LEASE_SQL.members)).map((row) => ({
    id: row.id,
    // Stopped cleanly (`wg service stop`), whether or not the sweep has since taken over runs it left running.
    role: row.released ? 'stopped' : row.role === 'holder' ? 'active' : 'lost',
    epoch: row.epoch,
    host: row.host,
    folder: row.folder,
    pid: row.pid,
    url: row.url,
    started_at: iso(row.started_at),
    since: row.since === null ? null : iso(row.since),
    renewed_at: iso(row.renewed_at),
    expires_in_ms: row.expires_in_ms,
    ...(row.role === 'holder' && !row.released && row.host === hostname() && !processAlive(row.pid) ? { gone: true } : {}),
  }));
}

/**
 * One coordinator's lease on a team's graph, where every coordinator is active: a row of the
 * `coordinators` table with an epoch of its own, renewed every RENEW_EVERY_MS (lease-keeper.ts) and judged by the
 * database's clock. It claims work only while its lease cannot have lapsed by its own (monotonic) clock.
 * Every coordinator also sweeps: one whose lease lapsed LOST_AFTER_MS ago is declared lost at the next
 * epoch of its own, so each of its later writes fails its fence (the check of its id and epoch each write
 * makes after the project's lock); its runs are then taken over in a turn (lost-runs.ts). Statements run
 * on a connection of their own, outside the project's lock, so a renewal never waits for a write.
 */
export class CoordinatorLease {
  /** The epoch this coordinator is active at. */
  epoch: number | null = null;
  /** When (performance.now()) the last renewal that succeeded was sent: its lease runs at least until that plus the ttl. */
  private renewedAt = Number.NEGATIVE_INFINITY;
  /**
   * The capacities of the coordinators whose lease had not lapsed, as of the last join or renewal (null: a
   * coordinator of an older version, which says none). The team's cap is shared by these (deciding/team-share.ts).
   */
  capacities: (number | null)[] = [];
  /**
   * When (by its own clock) the first of the other coordinators whose lease runs out by then is due to be declared
   * lost, as of the last look at the leases (null: none is): their leases' ends and the grace, by the database's clock.
   */
  private lossDueAt: number | null = null;
  /**
   * When (by its own clock) it renewed after a lapse of its own lease by the database's clock (the server away, this
   * process frozen): until the grace has passed from then it declares no other coordinator lost. Cut off by the same
   * outage, the others were reconnecting as it was, and the first one back declared every other lost (a database
   * restart of 20 s left the team one coordinator).
   */
  private backAt = Number.NEGATIVE_INFINITY;

  private constructor(
    private readonly target: PgTarget,
    private readonly conn: PgConnection,
    readonly me: CoordinatorIdentity,
    readonly ttlMs: number,
    private readonly clock: () => number,
  ) {}

  /**
   * A coordinator's lease, on a connection of its own, outside the project's lock, so that a renewal never waits
   * for a write (nor for a turn's round trips).
   */
  static async open(
    target: PgTarget,
    me: CoordinatorIdentity,
    ttlMs = LEASE_TTL_MS,
    clock: () => number = () => performance.now(),
  ): Promise<CoordinatorLease> {
    return new CoordinatorLease(target, await PgConnection.open(target, LEASE_LOCK_WAIT_MS, 'wg lease'), me, ttlMs, clock);
  }

  /**
   * Writes this coordinator's row, active at a fresh epoch. A coordinator restarted in its folder takes its
   * row back (its runs still name it), whatever the row said: the earlier process is gone (this one holds the
   * folder's lock), and the fresh epoch fences anything it still had under way.
   */
  async join(): Promise<number> {
    const { id, host, folder, pid, url, outputKey } = this.me;
    const sent = this.clock();
    const epoch = await this.conn.withoutProjectLock(async () => {
      const next = (await this.conn.pgQuery<{ epoch: number }>(LEASE_SQL.nextEpoch))[0]?.epoch ?? 1;
      await this.conn.pgQuery(LEASE_SQL.join, [
        id,
        host,
        folder,
        pid,
        this.ttlMs,
        next,
        url ?? null,
        outputKey ?? null,
        this.capacity(),
        this.me.daemons?.() ?? null,
      ]);
      return next;
    });
    this.epoch = epoch;
    this.renewedAt = sent;
    await this.readHolders();
    // Said on the project's channel (a word, not a revision): a follow of its runs' output elsewhere resumes now.
    await this.conn.pgQuery('SELECT pg_notify($1, $2)', [commitChannel(this.target.schema), 'joined']);
    return epoch;
  }

  /** A renewal: false when its lease is no longer its own (declared lost: it is fenced). */
  async renew(): Promise<boolean> {
    if (this.epoch === null) return false;
    const sent = this.clock();
    const rows = await this.conn.pgQuery<{ lapsed: number | string }>(LEASE_SQL.renew, [
      this.me.id,
      this.epoch,
      this.ttlMs,
      this.capacity(),
      this.me.daemons?.() ?? null,
    ]);
    const renewed = rows.length > 0;
    if (renewed) {
      // A lapse by the database's clock too, not by this process's alone. Its own clock counts from when the last
      // renewal was sent, which reached the database later (a connection made again first, a slow network, a busy
      // event loop before the socket was written) and so ran later there: taken for a lapse, it held off a dead
      // coordinator's takeover a whole grace more.
      if (sent - this.renewedAt > this.ttlMs && Number(rows[0]?.lapsed) === 1) this.backAt = sent;
      this.renewedAt = sent;
      await this.readHolders();
    }
    return renewed;
  }

  /** The active coordinators' capacities, and when the next of the others is due to be declared lost. */
  private async readHolders(graceMs = LOST_AFTER_MS): Promise<void> {
    const rows = await this.conn.pgQuery<{ id: string; capacity: number | null; expires_in_ms: number | string }>(LEASE_SQL.holders);
    // The answer's times are the server's as it ran the query: measured from its arrival here, a loss is aimed late, never early.
    const seen = this.clock();
    const left = rows.map((row) => ({ ...row, expires_in_ms: Number(row.expires_in_ms) }));
    this.capacities = left.filter((row) => row.expires_in_ms > 0).map((row) => row.capacity);
    // A due already past is looked at again shortly, not at the next renewal: its moment fell between a sweep's
    // look for lapses and this one (the sweep missed it by a hair), or another sweeper holds its row and declares it.
    const dues = left.filter((row) => row.id !== this.me.id).map((row) => Math.max(row.expires_in_ms + graceMs, PAST_DUE_LOOK_MS));
    // Back from a lapse of its own, it judges no one before the others had the same grace.
    const judgesIn = this.backAt + graceMs - seen;
    this.lossDueAt = dues.length > 0 ? seen + Math.max(Math.min(...dues), judgesIn) : null;
  }

  /**
   * How long until the next of the other coordinators is due to be declared lost, by the database's clock as of the
   * last look at the leases (each renewal, each sweep); null when none is.
   */
  nextLossInMs(): number | null {
    return this.lossDueAt === null ? null : Math.max(0, this.lossDueAt - this.clock());
  }

  private capacity(): number | null {
    return this.me.capacity?.() ?? null;
  }

  /** How long until its lease could lapse, by its own clock (0: it may have; never renewed: 0). */
  leftMs(): number {
    return this.epoch === null ? 0 : Math.max(0, this.ttlMs - (this.clock() - this.renewedAt));
  }

  /** Whether it may claim now: its lease cannot lapse for a while yet, by its own clock. */
  mayClaim(): boolean {
    return this.epoch !== null && this.clock() - this.renewedAt < this.ttlMs - CLAIM_MARGIN_MS;
  }

  /**
   * Declares lost every other coordinator whose lease lapsed `graceMs` ago (rows another sweeper holds
   * are skipped; none for `graceMs` after a lapse of its own lease, see backAt), and says so on the project's channel: every coordinator then takes a turn, in which
   * the lost ones' runs are taken over. Returns their ids.
   */
  async sweep(graceMs = LOST_AFTER_MS): Promise<string[]> {
    const judges = this.clock() - this.backAt >= graceMs;
    const lost = await this.conn.withoutProjectLock(async () => {
      const ids = judges ? (await this.conn.pgQuery<{ id: string }>(LEASE_SQL.lapsed, [this.me.id, graceMs])).map((row) => row.id) : [];
      if (ids.length > 0) await this.conn.pgQuery(LEASE_SQL.declareLost, [ids]);
      await this.conn.pgQuery(LEASE_SQL.forget);
      return ids;
    });
    await this.readHolders(graceMs);
    if (lost.length > 0) await this.conn.pgQuery('SELECT pg_notify($1, $2)', [commitChannel(this.target.schema), 'lost']);
    return lost;
  }

  /** The check each of its writes makes (PgConnection.setFence). */
  fence(): Fence {
    return {
      check: { text: LEASE_SQL.fence, values: [this.me.id, this.epoch ?? -1], name: 'wg_fence' },
      refusal: `this coordinator's lease lapsed and it was declared lost (epoch ${this.epoch ?? 'none'}): its runs were taken over; nothing was written`,
    };
  }

  /** Its agent daemons written now (one connected or left), not at the next renewal: the others show them at once. */
  async publishDaemons(): Promise<void> {
    if (this.epoch === null || !this.me.daemons) return;
    await this.conn.pgQuery(LEASE_SQL.daemons, [this.me.id, this.epoch, this.me.daemons()]);
  }

  /** The agent daemons connected to the project's other coordinators whose lease holds. */
  async othersDaemons(): Promise<DaemonsRow[]> {
    return this.conn.pgQuery<DaemonsRow>(LEASE_SQL.othersDaemons, [this.me.id]);
  }

  /** Every coordinator of the project now. */
  async members(): Promise<LeaseMember[]> {
    return leaseMembers(this.conn);
  }

  /** A clean stop: its lease ends now; runs it left running are taken over once the sweep's grace has passed. */
  async leave(): Promise<void> {
    if (this.epoch !== null) await this.conn.pgQuery(LEASE_SQL.release, [this.me.id, this.epoch]);
    this.epoch = null;
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}
