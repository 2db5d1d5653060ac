/**
 * One timer per lease deadline: a lease whose daemon stays silent past the stall timeout expires by
 * its own timer (no loop looks at leases). An extension re-arms the timer; `expired` tells whether a
 * deadline has passed even if its timer has not fired yet (a busy event loop), so a message that
 * arrives after its lease's deadline never counts.
 */
export class LeaseClock {
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly onExpire: (leaseId: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  arm(leaseId: string, atMs: number): void {
    const existing = this.timers.get(leaseId);
    if (existing) clearTimeout(existing.timer);
    // A few ms late rather than early, so the deadline has surely passed when it fires.
    const timer = setTimeout(
      () => {
        this.timers.delete(leaseId);
        this.onExpire(leaseId);
      },
      Math.max(0, atMs - this.now()) + 5,
    );
    timer.unref();
    this.timers.set(leaseId, { at: atMs, timer });
  }

  deadline(leaseId: string): number | null {
    return this.timers.get(leaseId)?.at ?? null;
  }

  expired(leaseId: string): boolean {
    const at = this.deadline(leaseId);
    return at !== null && this.now() >= at;
  }

  disarm(leaseId: string): void {
    const existing = this.timers.get(leaseId);
    if (existing) clearTimeout(existing.timer);
    this.timers.delete(leaseId);
  }

  get size(): number {
    return this.timers.size;
  }

  clear(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
