import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** How long a write waits for another process's write lock before it fails (`PRAGMA busy_timeout`). */
export const BUSY_TIMEOUT_MS = 10_000;

/** Opens (creating if needed) the graph database with the settings every process must share. */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): Db {
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  // WAL lets readers run beside the one writer; the busy timeout makes concurrent writers queue instead of failing.
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  if (!options.readonly) migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`graph database is version ${current}, newer than this app (${MIGRATIONS.length}); upgrade the app`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      // Re-check inside the write lock: another process may have migrated meanwhile.
      if ((db.pragma('user_version', { simple: true }) as number) !== version) return;
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
