import type { LeaseStatus } from '../../shared/service-types';
import { errorText } from '../../shared/errors';
import type { DatabaseOutage } from '../database-outage/database-outage';
import { inBackground } from '../engine-log';
import type { CoordinatorIdentity, CoordinatorLease, DaemonsRow } from '../leases/coordinator-lease';
import { LeaseKeeper } from '../leases/lease-keeper';
import type { PgConnection } from '../store/postgres/pg-connection';
import type { ServiceLog } from './service-log';

/** This coordinator on a team's graph: who it is, and the key the others fetch its runs' output with. */
export type TeamIdentity = CoordinatorIdentity & { outputKey: string };

export interface TeamLeaseJoin {
  /** Where the others reach its API. */
  url: string;
  /** Its capacity as of each renewal (0 while paused). */
  capacity: () => number;
  /** Its agent daemons, as its row carries them. */
  daemons: () => string;
  /** Its lease lapsed and it was declared lost: it stops, having written nothing more. */
  onFenced: () => void;
  onRenewed: () => void;
  /** Coordinators declared lost: their runs are taken over. */
  onLost: () => void;
}

/**
 * A coordinator's lease on a team's graph (a graph of one coordinator has none, and these answer as if it always
 * held). Built before the parts that ask whether it may claim; it joins the project's coordinators once the API
 * listens, since its row says where the others reach it.
 */
export class TeamLease {
  private lease: CoordinatorLease | null = null;
  private keeper: LeaseKeeper | null = null;

  constructor(
    private readonly log: ServiceLog,
    private readonly outage: DatabaseOutage,
  ) {}

  mayClaim(): boolean {
    return this.keeper?.mayClaim() ?? true;
  }

  leaseLeftMs(): number {
    return this.keeper?.leaseLeftMs() ?? Number.POSITIVE_INFINITY;
  }

  capacities(): (number | null)[] {
    return this.keeper?.capacities() ?? [];
  }

  /** The other coordinators' agent daemons (none before it joined). */
  async othersDaemons(): Promise<DaemonsRow[]> {
    return this.lease ? this.lease.othersDaemons() : [];
  }

  /** The daemons connected here, written in its row (once it has one). */
  publishDaemons(): void {
    this.lease?.publishDaemons().catch((error: unknown) => {
      // Written again with the next renewal; a database away is said once, by the outage.
      if (!this.outage.noted(error)) this.log.warn(`could not write the agent daemons connected here: ${errorText(error)}`);
    });
  }

  /** What `wg service status` shows of it. */
  async status(): Promise<{ lease?: LeaseStatus }> {
    if (!this.keeper) return {};
    try {
      return { lease: await this.keeper.status() };
    } catch (error) {
      // A database away is said once, by the outage, and shown in the status: not again at each look.
      if (!this.outage.noted(error)) this.log.warn(`could not read the coordinator lease: ${errorText(error)}`);
      return {};
    }
  }

  /**
   * A team's graph: active at once, beside the project's other coordinators, each with a lease of its own;
   * its row says where the others fetch its runs' output.
   */
  async join(conn: PgConnection, identity: TeamIdentity, o: TeamLeaseJoin): Promise<void> {
    const { log, outage } = this;
    // Loaded here, for a team's graph only: the lease's module loads the PostgreSQL driver.
    const { CoordinatorLease } = await import('../leases/coordinator-lease');
    const lease = await CoordinatorLease.open(conn.target, { ...identity, url: o.url, capacity: o.capacity, daemons: o.daemons });
    this.lease = lease;
    this.keeper = new LeaseKeeper(lease, {
      onFenced: o.onFenced,
      onRenewed: o.onRenewed,
      onLost: (ids) => {
        log.warn(`declared ${ids.length} coordinator(s) lost (their lease lapsed): taking over their runs`);
        o.onLost();
      },
      info: (message) => log.info(message),
      warn: (message) => log.warn(message),
      unreachable: (error) => outage.noted(error),
      // What waited for the database is done beside the renewals (its work may take a while): each says what it meets.
      reached: () => inBackground(outage.reached(), (m) => log.error(m), 'what waited for the database'),
    });
    const epoch = await this.keeper.start();
    conn.setFence(lease.fence());
    const others = (await lease.members()).filter((m) => m.role === 'active' && m.id !== identity.id).length;
    log.info(`active on the project's graph at epoch ${epoch}, beside ${others} other coordinator(s)`);
  }

  async stop(): Promise<void> {
    await this.keeper?.stop({ leave: true });
  }
}
