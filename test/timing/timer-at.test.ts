import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, timerAt } from '../../src/core/timing/timer-at';

/** A far-future time (a quota reset months away) fires when it is due, not after 1 ms (issue 27, item 6). */
afterEach(() => {
  vi.useRealTimers();
});

describe('timerAt', () => {
  it('does not fire early nor warn for a time past what one Node timer holds', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const fire = vi.fn();
    const timer = timerAt(Date.now() + 100 * 86_400_000, fire, { unref: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    timer.cancel();
    process.off('warning', onWarning);
    expect(fire).not.toHaveBeenCalled();
    expect(warnings.map((w) => w.name)).not.toContain('TimeoutOverflowWarning');
  });

  it('fires at the time, in hops of the longest delay', () => {
    vi.useFakeTimers({ now: 0 });
    const fire = vi.fn();
    const at = 2.5 * MAX_TIMER_MS;
    timerAt(at, fire);
    vi.advanceTimersByTime(2 * MAX_TIMER_MS);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(at - 2 * MAX_TIMER_MS - 1);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('fires at once for a time already past', () => {
    vi.useFakeTimers({ now: 1000 });
    const fire = vi.fn();
    timerAt(10, fire);
    vi.advanceTimersByTime(0);
    expect(fire).toHaveBeenCalledTimes(1);
  });
});
