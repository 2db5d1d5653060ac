import { useCallback, useEffect, useRef, useState } from 'react';
import { useEvents } from '../api/backend-context';
import { errorMessage } from '../api/op-error';
import { isUnreachable, UNREACHABLE_READ_TEXT } from '../api/connection';
import { usePendingLoad } from './pending-loads';

export interface OpQuery<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => Promise<void>;
}

interface QueryOptions {
  /** Reload when the store changes (debounced). */
  onChange?: boolean;
  /** Also reload on a timer, for data no change event covers (service status). */
  intervalMs?: number;
}

const CHANGE_DEBOUNCE_MS = 250;

/** Loads a query op for a page and keeps it current; `load` must be stable (useCallback). */
export function useOpQuery<T>(load: () => Promise<T>, options: QueryOptions = {}): OpQuery<T> {
  const events = useEvents();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const alive = useRef(true);
  const loaded = useRef(false);
  usePendingLoad(loading);

  // One load at a time: a load slower than the timer or the changes (a big repository's worktrees on a busy machine)
  // would otherwise start the next beside it, and they would pile up. A reload asked for meanwhile runs once after
  // it, and whoever asked waits for that one, so what they changed is in what they get.
  const inFlight = useRef<Promise<void> | null>(null);
  const again = useRef(false);

  const loadOnce = useCallback(async () => {
    try {
      const result = await load();
      if (!alive.current) return;
      loaded.current = true;
      setData(result);
      setError(null);
    } catch (failure) {
      if (!alive.current) return;
      // What was loaded stays while the coordinator does not answer: the notice at the top says it may be old.
      if (!isUnreachable(failure)) setError(errorMessage(failure));
      else if (!loaded.current) setError(UNREACHABLE_READ_TEXT);
    } finally {
      if (alive.current) setLoading(false);
    }
  }, [load]);

  // The loop runs the newest load: a page whose parameters changed while a load was out reloads with the new ones.
  const latest = useRef(loadOnce);
  latest.current = loadOnce;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new load makes a new reload, so that the effect below loads with it.
  const reload = useCallback((): Promise<void> => {
    if (inFlight.current) {
      again.current = true;
      return inFlight.current;
    }
    const run = (async () => {
      do {
        again.current = false;
        await latest.current();
      } while (again.current && alive.current);
    })().finally(() => {
      inFlight.current = null;
    });
    inFlight.current = run;
    return run;
  }, [loadOnce]);

  useEffect(() => {
    alive.current = true;
    void reload();
    return () => {
      alive.current = false;
    };
  }, [reload]);

  const { onChange = false, intervalMs } = options;
  useEffect(() => {
    if (!onChange) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = events.onChange(() => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), CHANGE_DEBOUNCE_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [events, onChange, reload]);

  useEffect(() => {
    if (!intervalMs) return;
    const timer = setInterval(() => void reload(), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, reload]);

  return { data, error, loading, reload };
}
