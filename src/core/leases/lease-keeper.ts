import type { LeaseStatus } from '../../shared/service-types';
import { plainFailure } from '../../shared/plain-failure';
import { errorText } from '../../shared/errors';
import { type CoordinatorLease, RENEW_EVERY_MS } from './coordinator-lease';

export interface LeaseKeeperEvents {
  /** This coordinator holds the lease now, at `epoch`: it may start coordinating. */
  onHolder(epoch: number): void;
  /** Another coordinator took the lease over: this one must stop, having written nothing more. */
  onFenced(): void;
  info(message: string): void;
  warn(message: string): void;
}

/**
 * The lease's timers: the holder renews every RENEW_EVERY_MS; a standby renews its place as often and,
 * when the holder's lease has lapsed by the database's clock, takes it over (at once when the holder
 * steps down: a poke). A renewal that fails (the server restarting) is tried again at the next one;
 * the holder's writes are fenced meanwhile by the lease itself, not by this timer.
 */
export class LeaseKeeper {
  private role: LeaseStatus['role'] = 'standby';
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private lastProblem = '';

  constructor(
    readonly lease: CoordinatorLease,
    private readonly events: LeaseKeeperEvents,
  ) {}

  get current(): LeaseStatus['role'] {
    return this.role;
  }

  /** Joins the project's coordinators and takes the lease if it is free; else waits for it. */
  start(): void {
    this.lease.join();
    this.tick();
  }

  /** Something may have changed (a holder stepped down): look now. */
  poke(): void {
    if (this.role === 'standby' && !this.stopped) this.schedule(0);
  }

  status(): LeaseStatus {
    const members = this.lease.members();
    return {
      me: this.lease.me.id,
      role: this.role,
      holder: members.find((m) => m.role === 'holder') ?? null,
      standbys: members.filter((m) => m.role === 'standby'),
    };
  }

  /** Stops renewing; `leave` also steps down (a clean stop), so a standby takes over at once. */
  stop(options: { leave: boolean }): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (options.leave && this.role !== 'fenced') {
      try {
        this.lease.leave();
      } catch (error) {
        this.events.warn(`could not step down from the coordinator lease (${this.words(error)}); a standby takes over when it lapses`);
      }
    }
    this.lease.close();
  }

  private tick(): void {
    this.timer = null;
    if (this.stopped) return;
    let next = RENEW_EVERY_MS;
    let tookEpoch: number | null = null;
    try {
      if (this.role === 'holder') {
        if (!this.lease.renewHolder()) {
          this.fenced();
          return;
        }
      } else if (this.role === 'standby') {
        const leftMs = this.lease.renewStandby();
        if (leftMs === 0) {
          const outcome = this.lease.take();
          if (outcome.taken) {
            this.role = 'holder';
            tookEpoch = outcome.epoch;
          } else next = Math.min(next, outcome.leftMs + 50);
        } else next = Math.min(next, leftMs + 50);
      }
      if (this.lastProblem) this.events.info('the coordinator lease is renewed again');
      this.lastProblem = '';
    } catch (error) {
      const words = this.words(error);
      if (words !== this.lastProblem) this.events.warn(`could not renew the coordinator lease (${words}); trying again`);
      this.lastProblem = words;
    }
    if (this.role !== 'fenced') this.schedule(next);
    // Outside the renewal's failures: a coordinator that cannot start coordinating fails as a start does.
    if (tookEpoch !== null) this.events.onHolder(tookEpoch);
  }

  private fenced(): void {
    this.role = 'fenced';
    this.events.onFenced();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), ms);
  }

  private words(error: unknown): string {
    return plainFailure(error) ?? errorText(error);
  }
}
