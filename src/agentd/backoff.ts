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

  next(): number {
    const base = Math.min(this.maxMs, this.firstMs * 2 ** this.attempt);
    this.attempt++;
    const jitter = 1 + (this.random() * 2 - 1) * 0.2;
    return Math.round(Math.min(this.maxMs, base * jitter));
  }

  reset(): void {
    this.attempt = 0;
  }
}
