import { chmodSync, lstatSync, mkdirSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { WgError } from '../../shared/errors';

/**
 * The unix socket carries the API token in every request, so it must be the user's own: it lives
 * in a folder only the user can enter (the project's `.workgraph/service`, or for a long project
 * path `<temp>/wg-<uid>/`), and a client checks who owns the socket before it sends anything.
 * Without this, another local user could create the socket first (in the shared temp folder) and
 * receive the token from every `wg` call. Windows has no unix sockets here: nothing to check.
 */
const uid = (): number | null => (typeof process.getuid === 'function' ? process.getuid() : null);

/** The daemon's side: makes the socket's folder (0700) or checks it is the user's, and takes it private. */
export function ensureSocketFolder(socket: string): void {
  const me = uid();
  if (me === null) return;
  const dir = dirname(socket);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink() || !stat.isDirectory())
    throw new WgError('unavailable', `the socket folder ${dir} is not a plain folder; remove it and start again`);
  if (stat.uid !== me)
    throw new WgError('unavailable', `the socket folder ${dir} belongs to another user (uid ${stat.uid}); remove it and start again`);
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/**
 * The client's side: why this socket must not be sent the token, or null when it may. A socket
 * that is not there is no danger (the coordinator is not running); the caller's connect fails.
 */
export function socketProblem(socket: string): string | null {
  const me = uid();
  if (me === null) return null;
  let stat: Stats;
  try {
    stat = lstatSync(socket);
  } catch {
    return null;
  }
  if (!stat.isSocket()) return `${socket} is not a socket`;
  if (stat.uid !== me) return `the coordinator socket ${socket} belongs to another user (uid ${stat.uid})`;
  const folder = lstatSync(dirname(socket));
  if (folder.uid !== me || (folder.mode & 0o022) !== 0)
    return `the folder of the coordinator socket ${socket} can be changed by other users`;
  return null;
}

/** Throws (one clear line) instead of sending the token to a socket that is not the user's own. */
export function requireSafeSocket(socket: string): void {
  const problem = socketProblem(socket);
  if (problem) throw new WgError('unauthorized', `refusing to send the API token: ${problem}`);
}
