import { useSyncExternalStore } from 'react';

/**
 * One shared timer per interval for everything that shows a time that keeps moving (elapsed
 * times on running cards, "3 min ago"): a thousand cards cost one setInterval, not a thousand.
 */
interface Clock {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
  /** One function per clock: a new one each render would make React subscribe again each render. */
  subscribe: (listener: () => void) => () => void;
  read: () => number;
}

const clocks = new Map<number, Clock>();

function clock(intervalMs: number): Clock {
  const existing = clocks.get(intervalMs);
  if (existing) return existing;
  const entry: Clock = {
    now: Date.now(),
    listeners: new Set(),
    timer: null,
    subscribe: (listener) => {
      entry.listeners.add(listener);
      if (!entry.timer) {
        // Idle since its last tick: read the time now (the first render already used it).
        entry.now = Date.now();
        entry.timer = setInterval(() => {
          entry.now = Date.now();
          for (const l of entry.listeners) l();
        }, intervalMs);
      }
      return () => {
        entry.listeners.delete(listener);
        if (entry.listeners.size === 0 && entry.timer) {
          clearInterval(entry.timer);
          entry.timer = null;
        }
      };
    },
    read: () => entry.now,
  };
  clocks.set(intervalMs, entry);
  return entry;
}

/** The current time in ms, updated every `intervalMs` while the component is mounted. */
export function useClock(intervalMs = 1000): number {
  const entry = clock(intervalMs);
  return useSyncExternalStore(entry.subscribe, entry.read);
}
