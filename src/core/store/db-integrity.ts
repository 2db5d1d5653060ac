import { existsSync } from 'node:fs';
import { openSqlite } from './sqlite-connection';
import { WgError } from '../../shared/errors';
import { type Db, snapshot } from './database';
import { clearDamage, recordDamage, recoveryAdvice, upstreamCopy } from './db-damage';
import { checkDatabaseFile, isCorruptionError, isDiskFull, isReadOnlyError } from './db-file';
import { type MissingPart, missingParts, type NotJson, notJsonValues } from './db-contents-check';

/** What `wg check --db` found: SQLite's own verdict on graph.db, and what to do when it is damaged. */
export interface DbCheck {
  db: string;
  ok: boolean;
  /** SQLite's integrity_check lines (the first ten), or why the file is not a database at all. */
  problems: string[];
  /** In a file whose pages are whole: the tables, columns and indexes its migrations made that are gone (db-contents-check.ts). */
  missing: MissingPart[];
  /** In a file whose pages are whole: every value of a JSON column that is not JSON. */
  not_json: NotJson[];
  /** Tasks in a whole graph.db (null: none, or not whole). */
  tasks: number | null;
  /** Upstream's graph.jsonl beside it, from which a new graph.db is built. */
  upstream: string | null;
  /** What to do, when it is damaged. */
  recovery: string | null;
}

const SHOWN = 10;

/**
 * SQLite's integrity_check (every page, every index against its table: slower than quick_check, and
 * run only when asked). A whole file clears an earlier finding (db-damage.ts: a file restored by
 * copying over it); a damaged one is remembered, so no later `wg` writes into it. `untouched`: another
 * user's folder, where nothing is written: the file is checked in a copy in memory (no -wal or -shm
 * beside it) and no note is left or cleared.
 *
 * `contents` (`wg check --db`): in a file whose pages are whole, also what this app reads of them: the tables, columns
 * and indexes the migrations made, and every JSON value (db-contents-check.ts). Such damage is said, never
 * remembered: every other row still reads, and the damaged one says so where it is met (stored-json.ts,
 * plain-failure.ts), where the note would refuse the whole file. Not for `--repair` (db-repair.ts), which mends broken
 * pages by copying every row and the schema as they are: it would copy this damage into the new file.
 */
export function checkDatabase(db: string, options: { untouched?: boolean; contents?: boolean } = {}): DbCheck {
  const untouched = options.untouched === true;
  const remember = (detail: string) => {
    if (!untouched) recordDamage(db, detail);
  };
  const upstream = upstreamCopy(db);
  const result = (problems: string[], tasks: number | null, missing: MissingPart[] = [], notJson: NotJson[] = []): DbCheck => {
    const ok = problems.length === 0 && missing.length === 0 && notJson.length === 0;
    return {
      db,
      ok,
      problems,
      missing,
      not_json: notJson,
      tasks: ok ? tasks : null,
      upstream,
      recovery: ok ? null : `stop the coordinator (wg service stop), then ${recoveryAdvice(db)}`,
    };
  };
  if (!existsSync(db)) return result([], null);
  try {
    checkDatabaseFile(db);
  } catch (error) {
    if (error instanceof WgError) return result([error.message.split(';')[0] ?? error.message], null);
    throw error;
  }
  let conn: Db;
  try {
    conn = untouched ? snapshot(db, false) : openSqlite(db, { readonly: true, fileMustExist: true });
    conn.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    // The copy in memory says so in the one line (not a database, or damaged).
    if (error instanceof WgError) return result([error.message.split(';')[0] ?? error.message], null);
    if (isCorruptionError(error)) {
      remember('SQLite cannot read its schema');
      return result(['SQLite cannot read its schema (the first pages are broken)'], null);
    }
    // A folder it may not write, or a full disk, has no room for graph.db-shm: the file is read into memory.
    if (!isReadOnlyError(error) && !isDiskFull(error)) throw error;
    try {
      conn = snapshot(db);
    } catch (inner) {
      if (inner instanceof WgError) return result([inner.message.split(';')[0] ?? inner.message], null);
      throw inner;
    }
  }
  try {
    const problems = integrity(conn);
    if (problems.length > 0) {
      remember('SQLite integrity_check failed');
      return result(problems, null);
    }
    if (!untouched) clearDamage(db);
    if (options.contents === true) {
      const { missing, present } = missingParts(conn);
      const notJson = notJsonValues(conn, present);
      if (missing.length > 0 || notJson.length > 0) return result([], null, missing, notJson);
    }
    return result([], conn.prepare('SELECT count(*) AS n FROM tasks').pluck().get() as number);
  } finally {
    conn.close();
  }
}

function integrity(conn: Db): string[] {
  let rows: Array<{ integrity_check: string }>;
  try {
    rows = conn.pragma(`integrity_check(${SHOWN})`) as Array<{ integrity_check: string }>;
  } catch (error) {
    if (isCorruptionError(error)) return ['SQLite could not walk the file: a page is too broken to read'];
    throw error;
  }
  const lines = rows.map((row) => row.integrity_check);
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}
