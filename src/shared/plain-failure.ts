/**
 * A failure from below (the file system, SQLite) in plain words, or null for one not known here. The
 * CLI, the HTTP API and the window all show a person these instead of the library's own text.
 */
export function plainFailure(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, path, message } = error as { code?: unknown; path?: unknown; message?: unknown };
  const where = typeof path === 'string' ? `: ${path}` : '';
  // A table, column or index this app's migrations made is gone: graph.db was changed by another program (or by hand).
  const missing = code === 'SQLITE_ERROR' && typeof message === 'string' ? /^no such (table|column|index): (\S+)/.exec(message) : null;
  if (missing)
    return `the project's database lacks its ${missing[1]} ${missing[2]}: graph.db was changed by another program; restore it from a copy`;
  // One of this app's own lazily loaded parts (a bundle's `./name-HASH.cjs`) is gone: an update or a rebuild replaced
  // the app's files under a process that was already running, the coordinator above all, which loads parts as asked.
  if (code === 'MODULE_NOT_FOUND' && typeof message === 'string' && /^Cannot find module '\.{1,2}\/[^']+\.c?js'/.test(message))
    return "this app's files were replaced (an update or a rebuild) while it ran: restart it (for the coordinator: wg service restart)";
  // Node refuses a path holding a NUL character before the file system sees it.
  if (code === 'ERR_INVALID_ARG_VALUE' && typeof message === 'string' && message.includes('null bytes'))
    return 'a path cannot hold a NUL character';
  switch (code) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return "the project's database stayed locked by another process for too long; try again";
    case 'SQLITE_CORRUPT':
      return "the project's database is damaged; 'wg check --db' says how to recover";
    case 'SQLITE_FULL':
    // SQLite's word when it cannot grow graph.db-shm, which a full disk is nearly always the cause of.
    case 'SQLITE_IOERR_SHMSIZE':
    case 'ENOSPC':
      return `the disk is full${where}`;
    case 'SQLITE_READONLY':
    case 'EROFS':
      return `the project cannot be written (read-only)${where}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied${where}`;
    case 'ENOENT':
      return `no such file or folder${where}`;
    case 'EISDIR':
      return `a folder, not a file${where}`;
    case 'ENOTDIR':
      return `a part of the path is a file, not a folder${where}`;
    case 'EEXIST':
      return `something is already there${where}`;
    case 'ELOOP':
      return `the path loops through symbolic links${where}`;
    case 'ENAMETOOLONG':
      return `the name is too long${where}`;
    // Opened as an output path: a socket (a child's standard output is one, where /dev/stdout leads), an absent device.
    case 'ENXIO':
      return `nothing can be written there (a socket, or a device that is not present)${where}`;
    case 'EPIPE':
      return `its reader closed it before the end${where}`;
    default:
      return null;
  }
}

/** File system failures that come of the path a caller gave (a file where a folder is asked for), not of this machine. */
const CALLERS_PATH = new Set(['ENOENT', 'EISDIR', 'ENOTDIR', 'EEXIST', 'ELOOP', 'ENAMETOOLONG', 'ERR_INVALID_ARG_VALUE']);

/** The failure is of a path the caller gave: over HTTP a 400 (the request was wrong), not a 500. */
export function isCallersPath(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && CALLERS_PATH.has(code) && plainFailure(error) !== null;
}

/** Why a file could not be read, in words, for "cannot read PATH: …" (the path is said once, by the caller). */
export function whyUnreadable(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return plainFailure({ code }) ?? 'it could not be read';
}
