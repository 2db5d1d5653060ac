import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { WgError } from '../../shared/errors';
import { knownDamage, recordDamage, recoveryAdvice } from './db-damage';

const MAGIC = 'SQLite format 3\0';

/** The one line a person sees about a graph.db that cannot be used; the file is never touched. */
export function unusableDatabase(path: string, why: string): WgError {
  // 503 over HTTP: the service cannot use its own storage; nothing in the request was wrong.
  return new WgError('unavailable', `${path} ${why}; it was left as it is (${recoveryAdvice(path)})`);
}

/**
 * SQLite met damage in a file (SQLITE_CORRUPT while working on it): remembered for every later opening
 * (`remember`: not in another user's folder, where nothing is written), and the one line. `saved`: the
 * operation had already committed its change when it met the damage (reading back what it wrote): the
 * line says so, rather than that the file was left as it was.
 */
export function damagedDatabase(path: string, detail = 'SQLite reported a malformed page', remember = true, saved = false): WgError {
  if (remember) recordDamage(path, detail);
  if (!saved) return unusableDatabase(path, `is damaged (${detail})`);
  const after = remember ? '; no wg writes to it again until it is dealt with' : '';
  return new WgError(
    'unavailable',
    `${path} is damaged (${detail}); the change was saved before the damage was met${after} (${recoveryAdvice(path)})`,
  );
}

/** A file found damaged before (db-damage.ts) is refused until a person deals with it. */
export function refuseKnownDamage(path: string): void {
  const detail = knownDamage(path);
  if (detail !== null) throw unusableDatabase(path, `is damaged (${detail})`);
}

/**
 * Refuses a graph.db that is not an SQLite database before SQLite sees it: an empty file (SQLite
 * would silently make a new empty graph in it) or another kind of file. Reads the 100-byte header
 * only. Answers whether its size differs from what the header says: then SQLite's quick_check must
 * find it whole before anything is read or written (never refused for its size alone).
 */
export function checkDatabaseFile(path: string): boolean {
  const stat = statSync(path);
  // A folder (or a pipe, a socket) where graph.db should be: reading it fails with EISDIR from a file
  // descriptor, an error that carries no path, so a person saw only "a folder, not a file" and not which
  // one. Said here, before anything opens it, with the path; a pipe would also block the read forever.
  if (!stat.isFile()) {
    const what = stat.isDirectory() ? 'a folder, not a file' : 'not a regular file';
    throw new WgError('unavailable', `cannot open the graph database ${path}: ${what}`);
  }
  const size = stat.size;
  if (size === 0) throw unusableDatabase(path, 'is empty, not a workgraph database');
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 100 || header.toString('latin1', 0, 16) !== MAGIC) throw unusableDatabase(path, 'is not an SQLite database');
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  // The page count is trustworthy only when written by the same change as the counter (SQLite >= 3.7.0).
  const countValid = header.readUInt32BE(92) === header.readUInt32BE(24);
  // A file shorter than its header says (a write cut by a full disk) may still be whole to SQLite:
  // the missing pages may be in the WAL or unused. SQLite's own check decides, once it is open.
  return pageSize < 512 || size % pageSize !== 0 || (countValid && pages > 0 && size < pages * pageSize);
}

/** SQLite's own word that a file is damaged or not a database, for the same one-line refusal. */
export function isCorruptionError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_NOTADB' || isDamageError(error);
}

/** SQLite met a broken page (SQLITE_CORRUPT and its extended codes, e.g. SQLITE_CORRUPT_INDEX). */
export function isDamageError(error: unknown): boolean {
  return String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_CORRUPT');
}

/** The file system or SQLite refusing a write: the project can still be read. */
export function isReadOnlyError(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  return (
    code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EROFS' || code === 'EPERM'
  );
}

/** A write the disk had no room for (SQLite's words for it included): a reader can still use an in-memory copy. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE' || code === 'ENOSPC';
}
