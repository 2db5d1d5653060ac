/** A line for the daemon's log, at its level. */
export interface TurnNote {
  level: 'info' | 'error';
  line: string;
}

/**
 * Turns in a row that could not commit, for the daemon's log: a lock held for long fails every
 * retry alike, so a reason is logged only when it differs from the last, and the recovery once.
 * A turn that gave way to another writer (contention: its wait for the project's write turn ran
 * out) is how coordinators sharing a project take turns, not a fault: said at info, with how many
 * turns did so, and no recovery line after a single one. Every other failure is an error.
 */
export class TurnFailures {
  private count = 0;
  /** Of the turns in a row that could not commit, those that failed for a fault (not contention). */
  private faults = 0;
  /** Every turn that gave way to another writer since the coordinator started. */
  private gaveWay = 0;
  private lastReason: string | null = null;

  /** A turn failed: the line to log, or null when it failed for the reason logged last. */
  failed(reason: string, contention = false): TurnNote | null {
    this.count++;
    if (contention) this.gaveWay++;
    else this.faults++;
    const fresh = reason !== this.lastReason;
    this.lastReason = reason;
    if (!fresh) return null;
    return contention
      ? { level: 'info', line: `coordinator turn gave way to another writer and is taken again (${this.gaveWay} so far): ${reason}` }
      : { level: 'error', line: `coordinator turn failed: ${reason}` };
  }

  /** A turn committed: the line to log (at info) after failures, else null. */
  committed(): string | null {
    if (this.count === 0) return null;
    const { count, faults } = this;
    this.count = 0;
    this.faults = 0;
    this.lastReason = null;
    if (faults > 0) return `coordinator turns commit again (${count} in a row could not)`;
    return count > 1 ? `coordinator turns commit again (${count} in a row gave way to other writers)` : null;
  }
}
