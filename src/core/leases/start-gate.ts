interface HeldStart {
  start: () => void;
  dropped: () => void;
}

/**
 * The one rule for what a coordinator starts after a claim of its committed: a run's process, an http launch, a
 * job sent to an agent daemon, the assigner's, evaluator's or triage's run. On a team's graph it starts only while
 * the coordinator's lease cannot have lapsed: one frozen between the claim's commit and the start (SIGSTOP, a pause
 * of the machine) may have been declared lost meanwhile, and what it claimed taken over and run by another. A start
 * asked for then is held, and made at the next renewal of the lease; once the coordinator is fenced or stops, never.
 */
export class StartGate {
  private held: HeldStart[] = [];
  private closed = false;

  /**
   * `leaseHolds`: whether the coordinator's lease cannot have lapsed now (always, on a graph of one coordinator);
   * `leaseLeftMs`: how long until it could lapse, by the coordinator's own clock (no lease: never).
   */
  constructor(
    private readonly leaseHolds: () => boolean,
    private readonly leaseLeftMs: () => number = () => Number.POSITIVE_INFINITY,
  ) {}

  /** Whether a start may happen now. */
  mayStart(): boolean {
    return !this.closed && this.leaseHolds();
  }

  /**
   * How long a start that may happen now may still begin: until the lease could lapse (0: it may not start now).
   * A local run's wrapper is told so and does not run its command past it: a coordinator frozen between this
   * check and the fork (SIGSTOP) forks on waking, when the run may have been taken over and run by another.
   */
  startWindowMs(): number {
    return this.mayStart() ? this.leaseLeftMs() : 0;
  }

  /** Starts now when it may, else holds `start` for the next renewal (`dropped` if it never comes). Whether it started now. */
  start(start: () => void, dropped: () => void = () => {}): boolean {
    if (this.mayStart()) {
      start();
      return true;
    }
    this.hold(start, dropped);
    return false;
  }

  /** Holds a start found not to be allowed (mayStart) until the next renewal. */
  hold(start: () => void, dropped: () => void = () => {}): void {
    if (this.closed) dropped();
    else this.held.push({ start, dropped });
  }

  /** How many starts wait for a renewal. */
  get waiting(): number {
    return this.held.length;
  }

  /** The lease was renewed: the held starts are made (each asks again whatever it needs). */
  renewed(): void {
    if (this.held.length === 0 || !this.mayStart()) return;
    for (const held of this.held.splice(0)) held.start();
  }

  /** The coordinator was fenced or stops: nothing held starts, and nothing more will. */
  close(): void {
    this.closed = true;
    for (const held of this.held.splice(0)) held.dropped();
  }
}
