import { useEffect, useState, useSyncExternalStore } from 'react';
import { useClient, useEvents } from '../api/backend-context';
import { usePendingLoad } from '../hooks/pending-loads';
import { EventWindow } from './event-window';

/** Output events can arrive hundreds of times a second; the row count follows at most this often. */
const TOTAL_THROTTLE_MS = 200;

const noop = () => () => undefined;

/**
 * An EventWindow over one agent's output, kept up to date while the run grows: by the run's own output
 * events, wherever it runs (on a team's graph the coordinator follows another coordinator's run while it is watched).
 */
export function useEventWindow(agentId: string | null): EventWindow | null {
  const client = useClient();
  const events = useEvents();
  const [window, setWindow] = useState<EventWindow | null>(null);
  // The window whose first page is still on its way: the page around it is busy meanwhile.
  const [starting, setStarting] = useState<EventWindow | null>(null);
  usePendingLoad(starting !== null && starting === window);

  useEffect(() => {
    if (!agentId) {
      setWindow(null);
      return;
    }
    const created = new EventWindow((offset, limit) => client['run:events']({ agent: agentId, offset, limit }));
    setWindow(created);
    setStarting(created);
    void created.start().finally(() => setStarting((now) => (now === created ? null : now)));
    return () => created.dispose();
  }, [client, agentId]);

  useEffect(() => {
    if (!window || !agentId) return;
    let latest: number | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = events.watchOutput(agentId, (event) => {
      window.setAway(event.away ?? null);
      latest = event.total;
      timer ??= setTimeout(() => {
        timer = undefined;
        if (latest !== null) window.setTotal(latest);
      }, TOTAL_THROTTLE_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [events, window, agentId]);

  useSyncExternalStore(window ? (listener) => window.subscribe(listener) : noop, () => window?.version ?? 0);
  return window;
}
