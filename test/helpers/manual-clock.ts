import type { Clock } from '../../src/core/timing/clock';

/**
 * A Clock that moves only when the test says (`advance`): the timers due by then fire in the order of their times,
 * each with the clock at its own time. For a test of what happens once a lease or a timeout runs out, not of real time.
 */
export class ManualClock implements Clock {
  private at: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fire: () => void }>();

  constructor(start = Date.now()) {
    this.at = start;
  }

  now(): number {
    return this.at;
  }

  after(ms: number, fire: () => void): () => void {
    const id = this.seq++;
    this.timers.set(id, { at: this.at + Math.max(0, ms), fire });
    return () => this.timers.delete(id);
  }

  /** The times of the timers armed and not yet fired, soonest first. */
  pending(): number[] {
    return [...this.timers.values()].map((t) => t.at).sort((a, b) => a - b);
  }

  /** Moves the clock `ms` on, firing every timer due by then (one a timer arms meanwhile too, if it is due). */
  advance(ms: number): void {
    const to = this.at + ms;
    for (;;) {
      let next: [number, { at: number; fire: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= to && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.at = Math.max(this.at, next[1].at);
      next[1].fire();
    }
    this.at = to;
  }
}
