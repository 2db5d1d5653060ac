import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import type { ProjectPaths } from '../project';
import { socketProblem } from './socket-safety';

/**
 * The nudge a `wg` change gives a running daemon, over a raw socket: every agent's `wg log` and
 * `wg done` sends one, and loading node:http alone costs a start more than all of this.
 */

export const CHANGED_PATH = '/api/internal/changed';

export function readToken(paths: Pick<ProjectPaths, 'tokenFile'>): string | null {
  return existsSync(paths.tokenFile) ? readFileSync(paths.tokenFile, 'utf8').trim() : null;
}

/**
 * Tells a running daemon the store changed so it dispatches at once; silent when none runs.
 * Every CLI mutation ends with this, so it is a bare HTTP request on a raw socket: a fresh
 * process would spend longer warming up Node's HTTP client than the daemon needs to act.
 */
export async function pokeCoordinator(paths: ProjectPaths): Promise<void> {
  // Not the user's own socket: no token goes there (the poll interval is the safety net).
  if (!existsSync(paths.socket) || socketProblem(paths.socket) !== null) return;
  const token = readToken(paths);
  const request = [
    `POST ${CHANGED_PATH} HTTP/1.1`,
    'Host: localhost',
    ...(token ? [`Authorization: Bearer ${token}`] : []),
    'Content-Length: 0',
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  await new Promise<void>((resolve) => {
    const socket = createConnection(paths.socket, () => socket.write(request));
    // A stale socket or a busy daemon: the poll interval is the safety net.
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(1000, done);
    socket.on('data', done);
    socket.on('error', done);
    socket.on('close', done);
  });
}
