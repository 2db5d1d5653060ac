import { createHash } from 'node:crypto';
import type { StoreCore } from '../../store/store-core';

/*
 * What each file of an agency folder held when this app last read it (`wg agency import`) or wrote it (`wg agency
 * export`), by its path: an export overwrites only a file still as it was then. One changed since (upstream's `wg`
 * recorded an evaluation in a role's performance, a person renamed an agent) is upstream's newer word: it is kept
 * and named, for `wg agency import` to take in first. A file never read or written here is not overwritten either.
 */

/** The fingerprint of a file's text. */
export function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The fingerprints recorded under the folder `dir` (paths as given to `remember`). */
export function syncedFiles(core: StoreCore, dir: string): Map<string, string> {
  const rows = core
    .sql<{ path: string; hash: string }>("SELECT path, hash FROM agency_files WHERE substr(path, 1, length(?) + 1) = ? || '/'")
    .all(dir, dir);
  return new Map(rows.map((row) => [row.path, row.hash]));
}

/** Records what the file at `path` holds now (inside the caller's transaction). */
export function rememberFile(core: StoreCore, path: string, text: string): void {
  core
    .sql('INSERT INTO agency_files (path, hash) VALUES (?, ?) ON CONFLICT (path) DO UPDATE SET hash = excluded.hash')
    .run(path, fingerprint(text));
}
