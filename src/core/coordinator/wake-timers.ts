/** setTimeout's limit is ~24.8 days; nothing here needs to sleep longer than a day before re-checking. */
const MAX_SLEEP_MS = 86_400_000;

/**
 * The coordinator's only timers: the poll_interval safety net, the nearest agent deadline and the
 * next scheduled task. Each calls `wake`; none keeps the process alive on its own.
 */
export class WakeTimers {
  private safety: NodeJS.Timeout | null = null;
  private safetySeconds = 0;
  private deadline: { at: number; timer: NodeJS.Timeout } | null = null;
  private scheduled: { at: number; timer: NodeJS.Timeout } | null = null;

  constructor(private readonly wake: () => void) {}

  setSafetyInterval(seconds: number): void {
    if (this.safety && seconds === this.safetySeconds) return;
    if (this.safety) clearInterval(this.safety);
    this.safetySeconds = seconds;
    this.safety = setInterval(this.wake, Math.min(seconds * 1000, MAX_SLEEP_MS));
    this.safety.unref();
  }

  setDeadline(at: number | null): void {
    this.deadline = this.arm(this.deadline, at);
  }

  /** A new deadline (a run just started) that must not wait for the next tick to be armed. */
  deadlineNoLaterThan(at: number): void {
    if (!this.deadline || at < this.deadline.at) this.deadline = this.arm(this.deadline, at);
  }

  /** The next scheduled task's time (ISO), as nextScheduledAt reads it; null: none. */
  setScheduledAt(next: string | null): void {
    this.scheduled = this.arm(this.scheduled, next === null ? null : Date.parse(next));
  }

  clear(): void {
    if (this.safety) clearInterval(this.safety);
    this.safety = null;
    this.deadline = this.arm(this.deadline, null);
    this.scheduled = this.arm(this.scheduled, null);
  }

  private arm(current: { at: number; timer: NodeJS.Timeout } | null, at: number | null): { at: number; timer: NodeJS.Timeout } | null {
    if (current && current.at === at) return current;
    if (current) clearTimeout(current.timer);
    if (at === null) return null;
    // A few ms late rather than early, so the deadline has surely passed when we look.
    const timer = setTimeout(this.wake, Math.min(Math.max(0, at - Date.now()) + 5, MAX_SLEEP_MS));
    timer.unref();
    return { at, timer };
  }
}
