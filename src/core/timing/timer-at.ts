/**
 * Node's timers hold at most 2^31-1 ms (~24.8 days): a longer delay fires after 1 ms with a
 * TimeoutOverflowWarning (a far-future quota date would wake at once). A time further than that
 * is reached in hops of the longest delay, so it fires when it is due, never early.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface TimerAt {
  cancel(): void;
}

/** Calls `fire` at `atMs` (epoch ms; at once if past). `unref`: the timer does not hold the process open. */
export function timerAt(atMs: number, fire: () => void, options: { unref?: boolean; now?: () => number } = {}): TimerAt {
  const now = options.now ?? Date.now;
  let handle: NodeJS.Timeout | null = null;
  const arm = () => {
    const left = Math.max(0, atMs - now());
    handle = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(fire, left);
    if (options.unref) handle.unref();
  };
  arm();
  return {
    cancel: () => {
      if (handle) clearTimeout(handle);
    },
  };
}
