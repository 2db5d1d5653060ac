import { EVENTS_PATH, type ChangeEvent, type OutputEvent, watchPath } from '../../shared/api-contract';
import type { WgEvents } from './backend';
import type { ConnectionWatch } from './connection';

type Listener<T> = (event: T) => void;

/** A stream the daemon refused (an HTTP error: EventSource then gives up for good) is opened again after this. */
export const REOPEN_MS = 3000;
/** EventSource.CLOSED, read without the global (absent where a test hands its own stream). */
const CLOSED = 2;

/**
 * The daemon's server-sent events. One EventSource is opened on the first subscription and
 * closed with the last one; EventSource reconnects by itself after a network drop, and one the
 * daemon answered with an error is opened again here. The stream's state is told to `connection`.
 */
export function createSseEvents(
  baseUrl: string,
  token: string,
  open = (url: string) => new EventSource(url),
  connection?: ConnectionWatch,
): WgEvents {
  const change = new Set<Listener<ChangeEvent>>();
  const output = new Set<Listener<OutputEvent>>();
  let source: EventSource | null = null;
  let reopen: ReturnType<typeof setTimeout> | undefined;

  const connect = () => {
    if (source) return;
    const opened = open(`${baseUrl}${EVENTS_PATH}?token=${encodeURIComponent(token)}`);
    source = opened;
    opened.addEventListener('open', () => connection?.answered());
    opened.addEventListener('error', () => {
      connection?.streamBroke();
      if (opened.readyState !== CLOSED || source !== opened) return;
      opened.close();
      source = null;
      clearTimeout(reopen);
      reopen = setTimeout(() => {
        if (change.size + output.size > 0) connect();
      }, REOPEN_MS);
    });
    opened.addEventListener('change', (message) => {
      const event = parseChange(message);
      if (event) for (const listener of change) listener(event);
    });
    opened.addEventListener('output', (message) => {
      const event = parseOutput(message);
      if (event) for (const listener of output) listener(event);
    });
  };
  const disconnectIfIdle = () => {
    if (change.size + output.size > 0) return;
    clearTimeout(reopen);
    if (!source) return;
    source.close();
    source = null;
  };
  const subscribe = <T>(set: Set<Listener<T>>, listener: Listener<T>) => {
    set.add(listener);
    connect();
    return () => {
      set.delete(listener);
      disconnectIfIdle();
    };
  };

  // A stream of its own for each run a window shows: while it is open, the daemon follows that run wherever it runs.
  const watchOutput = (agentId: string, listener: Listener<OutputEvent>) => {
    const watched = open(`${baseUrl}${watchPath(agentId)}&token=${encodeURIComponent(token)}`);
    watched.addEventListener('output', (message) => {
      const event = parseOutput(message);
      if (event?.agent_id === agentId) listener(event);
    });
    return () => watched.close();
  };

  return {
    onChange: (listener) => subscribe(change, listener),
    onOutput: (listener) => subscribe(output, listener),
    watchOutput,
  };
}

function dataOf(message: Event): unknown {
  if (!(message instanceof MessageEvent) || typeof message.data !== 'string') return null;
  try {
    return JSON.parse(message.data) as unknown;
  } catch {
    return null;
  }
}

function parseChange(message: Event): ChangeEvent | null {
  const data = dataOf(message);
  if (typeof data === 'object' && data !== null && 'rev' in data && typeof data.rev === 'number') return { rev: data.rev };
  return null;
}

function parseOutput(message: Event): OutputEvent | null {
  const data = dataOf(message);
  if (
    typeof data === 'object' &&
    data !== null &&
    'agent_id' in data &&
    typeof data.agent_id === 'string' &&
    'total' in data &&
    typeof data.total === 'number'
  ) {
    const away = 'away' in data && typeof data.away === 'string' ? { away: data.away } : {};
    return { agent_id: data.agent_id, total: data.total, ...away };
  }
  return null;
}
