import type { LeaseStatus } from '../../shared/service-types';
import { plainFailure } from '../../shared/plain-failure';
import { errorText } from '../../shared/errors';
import type { CoordinatorLease } from './coordinator-lease';

/**
 * How often each coordinator renews its lease. Here, not beside the lease: every coordinator loads its keeper, and the
 * lease's module loads the PostgreSQL driver, which only a team's graph needs.
 */
const RENEW_EVERY_MS = 2_000;

/** How long after a coordinator is due to be declared lost the sweep aimed at it runs. */
const LOSS_SLACK_MS = 5;

export interface LeaseKeeperEvents {
  /** Its lease was found declared lost: this coordinator must stop, having written nothing more. */
  onFenced(): void;
  /** Its lease was renewed: it may claim and start runs again. */
  onRenewed?(): void;
  /** Other coordinators were declared lost: their runs are to be taken over (a turn). */
  onLost(ids: string[]): void;
  info(message: string): void;
  warn(message: string): void;
  /**
   * A renewal or sweep met a database that cannot be reached: true when that was said and is waited out elsewhere
   * (the coordinator's outage), so the keeper says nothing of its own. It tries again at the next renewal all the same.
   */
  unreachable?(error: unknown): boolean;
  /** A renewal reached the database: an outage, if there was one, is over (what waited for it is done meanwhile). */
  reached?(): void;
}

/**
 * The lease's timers: every RENEW_EVERY_MS this coordinator renews its own lease and sweeps for lost ones, and
 * another is aimed, at each look at the leases, at the moment the next of the other coordinators is due to be
 * declared lost (its lease's end and the grace, by the database's clock), where it sweeps at once: a dead
 * coordinator's runs are taken over then, not at the renewal after. A renewal that fails (the server restarting)
 * is tried again at the next one; meanwhile the coordinator stops claiming once its lease could lapse
 * (CoordinatorLease.mayClaim), and its writes are fenced by the lease itself, not by this timer.
 */
export class LeaseKeeper {
  private role: LeaseStatus['role'] = 'active';
  private timer: NodeJS.Timeout | null = null;
  private lossTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private lastProblem = '';

  constructor(
    readonly lease: CoordinatorLease,
    private readonly events: LeaseKeeperEvents,
  ) {}

  get current(): LeaseStatus['role'] {
    return this.role;
  }

  /** Joins the project's coordinators, active at a fresh epoch, and keeps renewing. */
  async start(): Promise<number> {
    const epoch = await this.lease.join();
    this.schedule(RENEW_EVERY_MS);
    this.aimAtLoss();
    return epoch;
  }

  /** The capacities of the project's live coordinators, as of the last renewal (CoordinatorLease.capacities). */
  capacities(): (number | null)[] {
    return this.lease.capacities;
  }

  /** How long until this coordinator's lease could lapse, by its own clock (0 once it may have, or it is not active). */
  leaseLeftMs(): number {
    return this.role === 'active' ? this.lease.leftMs() : 0;
  }

  /** Whether this coordinator may claim work now. */
  mayClaim(): boolean {
    return this.role === 'active' && this.lease.mayClaim();
  }

  async status(): Promise<LeaseStatus> {
    return { me: this.lease.me.id, role: this.role, coordinators: await this.lease.members() };
  }

  /** Stops renewing; `leave` also ends its lease now (a clean stop). */
  async stop(options: { leave: boolean }): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.lossTimer) clearTimeout(this.lossTimer);
    this.lossTimer = null;
    if (options.leave && this.role !== 'fenced') {
      try {
        await this.lease.leave();
      } catch (error) {
        this.events.warn(`could not end this coordinator's lease (${this.words(error)}); it lapses by itself`);
      }
    }
    await this.lease.close();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    let lost: string[] = [];
    let renewed = false;
    try {
      if (!(await this.lease.renew())) {
        this.role = 'fenced';
        this.events.onFenced();
        return;
      }
      renewed = true;
      lost = await this.lease.sweep();
      if (this.lastProblem) this.events.info('the coordinator lease is renewed again');
      this.lastProblem = '';
    } catch (error) {
      if (!this.events.unreachable?.(error)) {
        const words = this.words(error);
        if (words !== this.lastProblem) this.events.warn(`could not renew the coordinator lease (${words}); trying again`);
        this.lastProblem = words;
      }
    }
    this.schedule(RENEW_EVERY_MS);
    this.aimAtLoss();
    if (renewed) this.events.onRenewed?.();
    if (lost.length > 0) this.events.onLost(lost);
    if (renewed) this.events.reached?.();
  }

  /** The sweep of a coordinator whose grace is just over. A failure is left to the next renewal's sweep. */
  private async sweepNow(): Promise<void> {
    this.lossTimer = null;
    if (this.stopped || this.role !== 'active') return;
    let lost: string[] = [];
    try {
      lost = await this.lease.sweep();
    } catch (error) {
      // Left to the next renewal's sweep; a database away is said once, by the outage.
      this.events.unreachable?.(error);
      return;
    }
    this.aimAtLoss();
    if (lost.length > 0) this.events.onLost(lost);
  }

  /** Aims the loss timer at the next coordinator due to be declared lost, as the last look at the leases saw them. */
  private aimAtLoss(): void {
    if (this.lossTimer) clearTimeout(this.lossTimer);
    this.lossTimer = null;
    const due = this.lease.nextLossInMs();
    if (this.stopped || due === null) return;
    // Just past the moment: the sweep's test of a lapse is strict, in whole ms.
    // sweepNow and tick catch what they meet themselves.
    this.lossTimer = setTimeout(() => void this.sweepNow(), due + LOSS_SLACK_MS);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private words(error: unknown): string {
    return plainFailure(error) ?? errorText(error);
  }
}
