import { request, type ClientRequest } from 'node:http';
import { EVENTS_PATH } from '../../shared/api-contract';
import type { ProjectPaths } from '../project';
import { readToken } from '../connecting/coordinator-poke';
import { requireSafeSocket } from '../connecting/socket-safety';

/*
 * The running coordinator's change notifications: its server-sent event stream (the one the window
 * uses), read over the daemon's unix socket. Each `change` event says the store's revision moved.
 */

export interface CoordinatorChanges {
  close(): void;
}

/** Each complete event of a server-sent event text: its name and data (comments and retries skipped). */
export function parseEvents(text: string): { events: Array<{ event: string; data: string }>; rest: string } {
  const events: Array<{ event: string; data: string }> = [];
  const blocks = text.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/**
 * Subscribes to the daemon's changes; resolves null when no daemon answers (none runs, or its socket is
 * not the user's own), else once the stream is open. `ended`: the stream closed (the daemon stopped).
 */
export function subscribeCoordinatorChanges(
  paths: ProjectPaths,
  onChange: (rev: number) => void,
  ended: () => void,
): Promise<CoordinatorChanges | null> {
  try {
    requireSafeSocket(paths.socket);
  } catch {
    return Promise.resolve(null);
  }
  const token = readToken(paths);
  if (token === null) return Promise.resolve(null);
  return new Promise((resolve) => {
    let opened = false;
    let req: ClientRequest | null = null;
    req = request(
      { socketPath: paths.socket, method: 'GET', path: EVENTS_PATH, headers: { host: 'localhost', authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          resolve(null);
          return;
        }
        opened = true;
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          const { events, rest } = parseEvents(buffer + chunk);
          buffer = rest;
          for (const e of events) {
            if (e.event !== 'change') continue;
            try {
              const rev = (JSON.parse(e.data) as { rev?: unknown }).rev;
              if (typeof rev === 'number') onChange(rev);
            } catch {
              // not a change event this client knows
            }
          }
        });
        res.on('close', ended);
        resolve({ close: () => req?.destroy() });
      },
    );
    req.on('error', () => {
      if (opened) ended();
      else resolve(null);
    });
    req.end();
  });
}
