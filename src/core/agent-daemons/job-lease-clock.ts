import { type Clock, realClock } from '../timing/clock';

/**
 * One timer per lease deadline: a lease whose daemon stays silent past the stall timeout expires by
 * its own timer (no loop looks at leases). An extension re-arms the timer; `expired` tells whether a
 * deadline has passed even if its timer has not fired yet (a busy event loop), so a message that
 * arrives after its lease's deadline never counts. Deadlines are read and armed on `clock`, which the
 * agent-daemon service shares (`now`), so a test moves every one of them at once.
 */
export class JobLeaseClock {
  private readonly timers = new Map<string, { at: number; cancel: () => void }>();

  constructor(
    private readonly onExpire: (leaseId: string) => void,
    private readonly clock: Clock = realClock,
  ) {}

  /** The time deadlines are measured on (epoch ms). */
  now(): number {
    return this.clock.now();
  }

  arm(leaseId: string, atMs: number): void {
    this.timers.get(leaseId)?.cancel();
    // A few ms late rather than early, so the deadline has surely passed when it fires.
    const cancel = this.clock.after(Math.max(0, atMs - this.clock.now()) + 5, () => {
      this.timers.delete(leaseId);
      this.onExpire(leaseId);
    });
    this.timers.set(leaseId, { at: atMs, cancel });
  }

  deadline(leaseId: string): number | null {
    return this.timers.get(leaseId)?.at ?? null;
  }

  expired(leaseId: string): boolean {
    const at = this.deadline(leaseId);
    return at !== null && this.clock.now() >= at;
  }

  disarm(leaseId: string): void {
    this.timers.get(leaseId)?.cancel();
    this.timers.delete(leaseId);
  }

  get size(): number {
    return this.timers.size;
  }

  clear(): void {
    for (const { cancel } of this.timers.values()) cancel();
    this.timers.clear();
  }
}
