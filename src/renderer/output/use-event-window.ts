import { useEffect, useState, useSyncExternalStore } from 'react';
import { useClient, useEvents } from '../api/backend-context';
import { EventWindow } from './event-window';

/** Output events can arrive hundreds of times a second; the row count follows at most this often. */
const TOTAL_THROTTLE_MS = 200;
/** While the agent works, also ask for the total now and then, in case no event stream is available. */
const POLL_MS = 2000;

const noop = () => () => undefined;

/** An EventWindow over one agent's output, kept up to date while the run grows. */
export function useEventWindow(agentId: string | null, alive: boolean): EventWindow | null {
  const client = useClient();
  const events = useEvents();
  const [window, setWindow] = useState<EventWindow | null>(null);

  useEffect(() => {
    if (!agentId) {
      setWindow(null);
      return;
    }
    const created = new EventWindow((offset, limit) => client['run:events']({ agent: agentId, offset, limit }));
    setWindow(created);
    void created.start();
    return () => created.dispose();
  }, [client, agentId]);

  useEffect(() => {
    if (!window || !agentId) return;
    let latest: number | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = events.onOutput((event) => {
      if (event.agent_id !== agentId) return;
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

  useEffect(() => {
    if (!window || !agentId || !alive) return;
    const timer = setInterval(() => {
      client['run:events']({ agent: agentId, offset: Math.max(0, window.total - 1), limit: 1 }).then(
        (page) => window.setTotal(page.total),
        () => undefined,
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [client, window, agentId, alive]);

  useSyncExternalStore(window ? (listener) => window.subscribe(listener) : noop, () => window?.version ?? 0);
  return window;
}
