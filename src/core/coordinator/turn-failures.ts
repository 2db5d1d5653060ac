/**
 * Turns in a row that could not commit, for the daemon's log: a lock held for long fails every
 * retry alike, so a reason is logged only when it differs from the last, and the recovery once.
 */
export class TurnFailures {
  private count = 0;
  private lastReason: string | null = null;

  /** A turn failed: the line to log, or null when it failed for the reason logged last. */
  failed(reason: string): string | null {
    this.count++;
    const fresh = reason !== this.lastReason;
    this.lastReason = reason;
    return fresh ? `coordinator turn failed: ${reason}` : null;
  }

  /** A turn committed: the line to log after failures, else null. */
  committed(): string | null {
    if (this.count === 0) return null;
    const line = `coordinator turns commit again (${this.count} in a row could not)`;
    this.count = 0;
    this.lastReason = null;
    return line;
  }
}
