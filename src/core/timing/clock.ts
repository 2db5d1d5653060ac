/**
 * The time a part of the core reads and the timers it arms, passed in: the real one by default, a manual one in a
 * test (test/helpers/manual-clock.ts), so a lease or a stall timeout runs out when the test moves the clock, not after
 * seconds of waiting, and timers are no global state a test has to fake.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fire` once `ms` from now; the timer never holds the process open. Returns its cancel. */
  after(ms: number, fire: () => void): () => void;
}

/** Date.now and setTimeout (unref'd). */
export const realClock: Clock = {
  now: () => Date.now(),
  after(ms, fire) {
    const timer = setTimeout(fire, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
