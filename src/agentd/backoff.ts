/**
 * Reconnect delays after a drop: 1 s doubling to 30 s, each with up to ±20% jitter so daemons that
 * lost the coordinator together do not all knock again in the same instant. `reset` after a good connection.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly firstMs = 1000,
    private readonly maxMs = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * The next delay. `capMs` bounds it for this attempt only (the jitter stays, around the cap): a daemon
   * holding jobs must be back within their lease, however long the coordinator has been away.
   */
  next(capMs = Number.POSITIVE_INFINITY): number {
    const base = Math.min(this.maxMs, capMs, this.firstMs * 2 ** this.attempt);
    this.attempt++;
    const jitter = 1 + (this.random() * 2 - 1) * 0.2;
    return Math.round(Math.min(this.maxMs, base * jitter));
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** Never closer together than this, however short the stall timeout: a refused connection comes back at once. */
const MIN_HOLDING_DELAY_MS = 250;

/**
 * The cap on a reconnect delay while the daemon holds jobs: a third of the coordinator's stall timeout
 * (as a heartbeat's interval is), so a coordinator back from any outage sees the daemon again well
 * before the jobs' leases (one stall timeout from its start) run out. None without jobs, or before
 * the coordinator said its stall timeout (auth.ok).
 */
export function holdingCap(holdsJobs: boolean, stallTimeoutMs: number | null): number {
  if (!holdsJobs || stallTimeoutMs === null) return Number.POSITIVE_INFINITY;
  return Math.max(MIN_HOLDING_DELAY_MS, stallTimeoutMs / 3);
}
