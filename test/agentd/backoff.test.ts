import { describe, expect, it } from 'vitest';
import { Backoff, holdingCap } from '../../src/agentd/backoff';

/**
 * An agent daemon's reconnect delays. While it holds jobs, a coordinator back from an outage gives their
 * leases one stall timeout from its start: a delay that had doubled to 16 s (stall timeout 6 s) brought the
 * daemon back too late, and its running job was run again elsewhere.
 */
const middle = () => 0.5;

describe('reconnect delays', () => {
  it('double from 1 s to 30 s without jobs', () => {
    const backoff = new Backoff(1000, 30_000, middle);
    const delays = Array.from({ length: 7 }, () => backoff.next(holdingCap(false, 6000)));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('stay at about a third of the stall timeout while it holds jobs, jitter kept', () => {
    const cap = holdingCap(true, 6000);
    expect(cap).toBe(2000);
    const backoff = new Backoff(1000, 30_000, middle);
    expect(Array.from({ length: 6 }, () => backoff.next(cap))).toEqual([1000, 2000, 2000, 2000, 2000, 2000]);
    // ±20%: daemons that lost the coordinator together still come back spread out.
    expect(new Backoff(1000, 30_000, () => 0).next(cap)).toBe(800);
    const high = new Backoff(1000, 30_000, () => 1);
    for (let i = 0; i < 5; i++) high.next(cap);
    expect(high.next(cap)).toBe(2400);
  });

  it('grow on from where they were once the jobs are gone, and start over after a good connection', () => {
    const backoff = new Backoff(1000, 30_000, middle);
    for (let i = 0; i < 4; i++) backoff.next(holdingCap(true, 6000));
    expect(backoff.next()).toBe(16_000);
    backoff.reset();
    expect(backoff.next()).toBe(1000);
  });

  it('no cap before the coordinator said its stall timeout, and never a busy loop with a tiny one', () => {
    expect(holdingCap(true, null)).toBe(Number.POSITIVE_INFINITY);
    expect(holdingCap(true, 300)).toBe(250);
  });
});
