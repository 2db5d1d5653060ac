import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite-connection';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  checkDatabaseFile,
  damagedDatabase,
  isCorruptionError,
  isDamageError,
  isDiskFull,
  isReadOnlyError,
  refuseKnownDamage,
  unusableDatabase,
} from './db-file';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** How long a write waits for another process's write lock before it fails (`PRAGMA busy_timeout`). */
export const BUSY_TIMEOUT_MS = 10_000;

export interface OpenOptions {
  /** Read only: nothing is written, not even a migration (an older schema is upgraded in a copy in memory). */
  readonly?: boolean;
  /**
   * Read only, from a copy in memory, leaving nothing beside the file: no -wal or -shm (which SQLite
   * makes even for a reader, and root can make anywhere), no damage note. Another user's folder.
   */
  untouched?: boolean;
  /** Runs once on a database being created, after the migrations and before anyone else can see it. */
  initialize?: (db: Db) => Promise<void>;
}

/**
 * Opens the graph database with the settings every process must share. A missing database is
 * created whole (see `createDatabase`); an existing file that is not a whole SQLite database is
 * refused and never replaced.
 */
export async function openDatabase(path: string, options: OpenOptions = {}): Promise<Db> {
  if (options.readonly || options.untouched) return openReadOnly(path, options.untouched === true);
  if (path === ':memory:') {
    // A graph read into memory (a read-only project with only an upstream graph.jsonl).
    const db = openSqlite(emptyDatabase());
    configure(db);
    await options.initialize?.(db);
    return db;
  }
  let suspect = false;
  if (!existsSync(path)) await createDatabase(path, options.initialize);
  else {
    suspect = checkDatabaseFile(path);
    refuseKnownDamage(path);
  }
  const db = guarded(path, () => openSqlite(path));
  try {
    // Before configure, whose journal_mode = WAL writes the file's header: another program's file is left as it is.
    guarded(path, () => refuseForeign(path, db));
    guarded(path, () => configure(db));
    if (suspect) requireWhole(path, db);
    guarded(path, () => migrate(db));
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function configure(db: Db): void {
  // WAL lets readers run beside the one writer; the busy timeout makes concurrent writers queue instead of failing.
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A checkpoint every 4,000 WAL pages (16 MB), not 1,000: each one fsyncs twice on the committer's
  // thread, and hot pages are copied once instead of four times. The WAL file is cut back to this
  // size when it restarts.
  db.pragma('wal_autocheckpoint = 4000');
  db.pragma('journal_size_limit = 16777216');
}

/**
 * A new database is built under a temporary name and linked into place only when complete, so no
 * process ever sees a half-made (empty) graph.db, and an empty graph.db is never one of ours. Two
 * processes creating at once: the first link wins, the other's copy is dropped. It is made in memory from the empty
 * schema (emptyDatabase), initialized there, and written once, flushed to disk before the link.
 */
async function createDatabase(path: string, initialize: OpenOptions['initialize']): Promise<void> {
  const db = openSqlite(emptyDatabase());
  let bytes: Buffer;
  try {
    db.pragma('foreign_keys = ON');
    await initialize?.(db);
    bytes = db.serialize();
  } finally {
    db.close();
  }
  // In WAL mode from the start, as every connection configures it (bytes 18-19: file format write/read version, 2 = WAL).
  bytes[18] = 2;
  bytes[19] = 2;
  const temporary = `${path}.new-${process.pid}`;
  rmSync(temporary, { force: true });
  try {
    // Its owner's only (SQLite gives its WAL and shared-memory files the same mode): it holds every task, log, message
    // and token hash of the project, and the folder around it may be another tool's, open to all (upstream's
    // .workgraph/ is 0755), where SQLite's own 0644 let every user of the machine read it.
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeFileSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * An empty graph database at the newest schema, as bytes: the migrations applied once per process, in memory.
 * Replaying them is most of the cost of making a database (about 7 ms of CPU), which a process that makes many (a
 * test worker: hundreds) pays once.
 */
let emptySchema: Buffer | null = null;
function emptyDatabase(): Buffer {
  if (!emptySchema) {
    const db = openSqlite(':memory:');
    try {
      migrate(db);
      emptySchema = db.serialize();
    } finally {
      db.close();
    }
  }
  return emptySchema;
}

/**
 * SQLite's own check of every page (a noticeable part of a start on a large graph.db); damage is refused with the one
 * line, before anything writes, and remembered for every later opening.
 */
export function requireWhole(path: string, db: Db, remember = true): void {
  let rows: Array<{ quick_check: string }>;
  try {
    rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  } catch (error) {
    // A page too broken to walk stops the check itself.
    if (isCorruptionError(error)) throw damagedDatabase(path, 'SQLite quick_check failed', remember);
    throw error;
  }
  if (rows.length !== 1 || rows[0]?.quick_check !== 'ok') throw damagedDatabase(path, 'SQLite quick_check failed', remember);
}

function openReadOnly(path: string, untouched: boolean): Db {
  const suspect = checkDatabaseFile(path);
  refuseKnownDamage(path);
  let db: Db;
  if (untouched) db = snapshot(path, false);
  else {
    try {
      db = guarded(path, () => openSqlite(path, { readonly: true, fileMustExist: true }));
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // WAL readers need the -shm file, which a folder nobody may write cannot hold: probe before trusting it.
      guarded(path, () => db.prepare('SELECT count(*) FROM sqlite_master').get());
    } catch (error) {
      // A full disk has no room for graph.db-shm, which every WAL reader needs: the file is read into memory instead.
      if (!isReadOnlyError(error) && !isDiskFull(error)) throw error;
      db = snapshot(path);
    }
  }
  if (suspect) requireWhole(path, db, !untouched);
  const version = guarded(path, () => db.pragma('user_version', { simple: true }) as number, !untouched);
  tooNew(version);
  if (version === MIGRATIONS.length) return db;
  // An older schema cannot be upgraded in place: read a migrated copy in memory.
  const copy = openSqlite(db.serialize());
  db.close();
  copy.pragma('foreign_keys = ON');
  migrate(copy);
  return copy;
}

/**
 * The database file read into memory: what the last checkpoint wrote (a WAL file beside it, which
 * only a writer could fold in, is not read). Its header is marked as not in WAL mode, since an
 * in-memory database cannot be (bytes 18-19: file format read/write version, 2 = WAL, 1 = rollback).
 */
export function snapshot(path: string, remember = true): Db {
  const bytes = readFileSync(path);
  bytes[18] = 1;
  bytes[19] = 1;
  return guarded(path, () => openSqlite(bytes), remember);
}

/** SQLite's "not a database" / "malformed" become the same one clear line as the header check. */
function guarded<T>(path: string, work: () => T, remember = true): T {
  try {
    return work();
  } catch (error) {
    // A broken page met on the way in is remembered like one quick_check finds; "not a database" is the header's.
    if (isDamageError(error)) throw damagedDatabase(path, undefined, remember);
    if (isCorruptionError(error)) throw unusableDatabase(path, 'is damaged or not an SQLite database');
    throw error;
  }
}

/**
 * An existing file at version 0 that holds tables is another program's database: ours are made whole under another
 * name (createDatabase), and each migration commits with its version. Migrating it wrote this app's tables into it,
 * even on a command that only reads. Both facts are read in one snapshot: a process making the file meanwhile commits
 * its first tables and their version together.
 */
function refuseForeign(path: string, db: Db): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const { version, tables } = db.transaction(() => ({
    version: db.pragma('user_version', { simple: true }) as number,
    tables: (
      db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").get() as {
        n: number;
      }
    ).n,
  }))();
  if (version === 0 && tables > 0) throw unusableDatabase(path, "is another program's SQLite database, not a workgraph one");
}

function tooNew(version: number): void {
  if (version > MIGRATIONS.length) {
    throw new Error(`graph database is version ${version}, newer than this app (${MIGRATIONS.length}); upgrade the app`);
  }
}

/**
 * Applies the missing migrations, each in one transaction. Foreign keys are off meanwhile, as
 * SQLite's procedure for rebuilding a table asks (dropping the old table would otherwise delete
 * every row that refers to it), and checked before each commit.
 */
function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  tooNew(current);
  if (current === MIGRATIONS.length) return;
  db.pragma('foreign_keys = OFF');
  try {
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.transaction(() => {
        // Re-check inside the write lock: another process may have migrated meanwhile.
        if ((db.pragma('user_version', { simple: true }) as number) !== version) return;
        db.exec(MIGRATIONS[version] as string);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`migration ${version + 1} left ${broken.length} broken reference(s); nothing was changed`);
        db.pragma(`user_version = ${version + 1}`);
      }).immediate();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
}
