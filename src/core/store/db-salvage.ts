import { rmSync } from 'node:fs';
import { openSqlite } from './sqlite-connection';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import { isCorruptionError } from './db-file';

/**
 * What SQLite can still read of a damaged graph.db, copied into a new file with the same schema
 * (`wg check --db --repair` where there is no graph.jsonl to rebuild from). A table is read in rowid
 * order, keeping only rows SQLite also finds by their rowid alone; at a broken page the copy reads
 * rowid by rowid past it (the interior pages that lead to it are usually whole, so the rows after it
 * are still reached). A table without rowids whose rows belong to tasks is read task by task instead.
 * Rows that refer to a task that was lost go too, so the new file is consistent (foreign_key_check
 * finds nothing). Nothing in the damaged file is changed.
 */

export interface Salvaged {
  /** Rows copied, by table. */
  rows: Record<string, number>;
  /** Tables where a broken page was skipped: some of their rows are lost. */
  damaged: string[];
  /** Rows dropped because what they refer to was lost. */
  orphans: number;
}

interface TableInfo {
  name: string;
  sql: string;
  withoutRowid: boolean;
  columns: string[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function salvageInto(source: Db, target: string): Salvaged {
  rmSync(target, { force: true });
  const out = openSqlite(target);
  try {
    return copy(source, out);
  } finally {
    out.close();
  }
}

function copy(source: Db, out: Db): Salvaged {
  const schema = source
    .prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")
    .all() as Array<{
    type: string;
    name: string;
    sql: string;
  }>;
  out.pragma('foreign_keys = OFF');
  const tables: TableInfo[] = schema
    .filter((entry) => entry.type === 'table')
    .map((entry) => ({
      name: entry.name,
      sql: entry.sql,
      withoutRowid: /WITHOUT\s+ROWID\s*$/i.test(entry.sql.trim()),
      columns: (source.pragma(`table_info(${quote(entry.name)})`) as Array<{ name: string }>).map((c) => c.name),
    }));
  const result: Salvaged = { rows: {}, damaged: [], orphans: 0 };
  out.transaction(() => {
    for (const table of tables) out.exec(table.sql);
    // Tasks first: other tables without rowids are read by task.
    const ordered = [...tables].sort((a, b) => Number(b.name === 'tasks') - Number(a.name === 'tasks'));
    let taskIds: string[] = [];
    for (const table of ordered) {
      const insert = out.prepare(
        `INSERT OR IGNORE INTO ${quote(table.name)} (${table.columns.map(quote).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`,
      );
      const read = table.withoutRowid ? readByTask(source, table, taskIds) : readByRowid(source, table);
      for (const row of read.rows) insert.run(...table.columns.map((c) => row[c]));
      result.rows[table.name] = read.rows.length;
      if (read.broken) result.damaged.push(table.name);
      if (table.name === 'tasks') taskIds = read.rows.map((row) => String(row.id));
    }
    for (const entry of schema) if (entry.type !== 'table') out.exec(entry.sql);
    result.orphans = dropOrphans(out);
    out.pragma(`user_version = ${source.pragma('user_version', { simple: true }) as number}`);
  })();
  return result;
}

type Row = Record<string, unknown>;

/** Rowids tried one by one past a broken place before giving up on rows no index lists. */
const WALK = 100_000;

/**
 * Rows in rowid order, each one as SQLite finds it by its rowid alone (`WHERE rowid = ?`). A broken
 * leaf page whose header is whole still yields cells: garbage, with rowids out of order or out of
 * range, or in range but not where a lookup finds them. So a scanned row is kept only when a lookup
 * of its rowid gives the same row; at the first one that is not (or at SQLITE_CORRUPT) the scan
 * stops trusting that page and reads rowid by rowid until a row reads again, then scans on from
 * there (the interior pages that lead past the broken one are usually whole).
 */
function readByRowid(source: Db, table: TableInfo): { rows: Row[]; broken: boolean } {
  const name = quote(table.name);
  const after = source.prepare(`SELECT rowid AS __rowid, * FROM ${name} WHERE rowid > ? ORDER BY rowid`);
  const one = source.prepare(`SELECT rowid AS __rowid, * FROM ${name} WHERE rowid = ?`);
  const lookup = (rowid: number) => readable(() => one.get(rowid) as Row | undefined);
  const same = (a: Row, b: Row) => ['__rowid', ...table.columns].every((column) => sameValue(a[column], b[column]));
  const listed = indexedRowids(source, table);
  const { low, high } = rowidBounds(source, name, listed, lookup);
  const rows: Row[] = [];
  let last = low - 1;
  let broken = false;
  const keep = (row: Row) => {
    last = row.__rowid as number;
    delete row.__rowid;
    rows.push(row);
  };
  for (;;) {
    if (
      scanFrom(after, last, (row) => {
        const rowid = row.__rowid;
        if (typeof rowid !== 'number' || rowid <= last) return false;
        const found = lookup(rowid);
        if (found === undefined || !same(found, row)) return false;
        keep(row);
        return true;
      })
    ) {
      return { rows, broken };
    }
    broken = true;
    const next = walk(last, high, listed, lookup);
    // A lookup finds the rowid it was given; the check keeps the loop finite whatever a broken page holds.
    if (next === undefined || (next.__rowid as number) <= last) return { rows, broken };
    keep(next);
  }
}

/** Scans rows after `from` while `take` accepts them: true when the scan reached the end. */
function scanFrom(after: Statement, from: number, take: (row: Row) => boolean): boolean {
  try {
    for (const row of after.iterate(from) as Iterable<Row>) if (!take(row)) return false;
    return true;
  } catch (error) {
    if (isCorruptionError(error)) return false;
    throw error;
  }
}

/** The first row after `last` that a lookup finds: rowid by rowid, then the rowids an index lists further on. */
function walk(last: number, high: number, listed: number[], lookup: (rowid: number) => Row | undefined): Row | undefined {
  const end = Math.min(high, last + WALK);
  for (let rowid = last + 1; rowid <= end; rowid++) {
    const row = lookup(rowid);
    if (row !== undefined) return row;
  }
  for (const rowid of listed) {
    if (rowid <= Math.max(end, last)) continue;
    const row = lookup(rowid);
    if (row !== undefined) return row;
  }
  return undefined;
}

/**
 * The rowids the table's (whole, not partial) indexes list, ascending: an index is a b-tree of its
 * own, so a broken table page does not hide them (up to a broken page of the index itself).
 */
function indexedRowids(source: Db, table: TableInfo): number[] {
  const found = new Set<number>();
  if (table.withoutRowid) return [];
  const indexes = readable(() => source.pragma(`index_list(${quote(table.name)})`) as Array<{ name: string; partial: number }>) ?? [];
  for (const index of indexes) {
    if (index.partial) continue;
    try {
      const rowids = source.prepare(`SELECT rowid FROM ${quote(table.name)} INDEXED BY ${quote(index.name)}`).pluck();
      for (const rowid of rowids.iterate() as Iterable<unknown>) if (typeof rowid === 'number') found.add(rowid);
    } catch (error) {
      if (!isCorruptionError(error)) throw error;
    }
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * The lowest and highest rowids a lookup confirms (min/max(rowid) read the outermost leaves, which
 * may be the broken ones, so they are checked, and the indexes' rowids are counted too).
 */
function rowidBounds(
  source: Db,
  name: string,
  listed: number[],
  lookup: (rowid: number) => Row | undefined,
): { low: number; high: number } {
  const ends = (['min', 'max'] as const).map((fn) => readable(() => source.prepare(`SELECT ${fn}(rowid) FROM ${name}`).pluck().get()));
  const found = (rowid: unknown): rowid is number => typeof rowid === 'number' && lookup(rowid) !== undefined;
  const confirmed = ends.filter(found);
  const first = listed.find(found);
  const lastListed = listed.findLast(found);
  if (first !== undefined) confirmed.push(first);
  if (lastListed !== undefined) confirmed.push(lastListed);
  // Rowids SQLite assigns start at 1; an empty or unreadable table still gets a look from there.
  return { low: Math.min(1, ...confirmed), high: Math.max(0, ...confirmed) };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  return a === b;
}

/** A table without rowids: whole if it reads whole, else task by task where it has a task_id. */
function readByTask(source: Db, table: TableInfo, taskIds: string[]): { rows: Row[]; broken: boolean } {
  const all = readable(() => source.prepare(`SELECT * FROM ${quote(table.name)}`).all() as Row[]);
  if (all !== undefined) return { rows: all, broken: false };
  if (!table.columns.includes('task_id')) return { rows: [], broken: true };
  const byTask = source.prepare(`SELECT * FROM ${quote(table.name)} WHERE task_id = ?`);
  const rows: Row[] = [];
  for (const id of taskIds) rows.push(...((readable(() => byTask.all(id)) as Row[] | undefined) ?? []));
  return { rows, broken: true };
}

/** Rows that refer to a row that was lost (a task, mostly), dropped until foreign_key_check finds none. */
function dropOrphans(out: Db): number {
  let dropped = 0;
  for (let round = 0; round < 10; round++) {
    const broken = out.pragma('foreign_key_check') as Array<{ table: string }>;
    if (broken.length === 0) break;
    for (const table of new Set(broken.map((entry) => entry.table))) {
      const keys = out.pragma(`foreign_key_list(${quote(table)})`) as Array<{ table: string; from: string; to: string | null }>;
      for (const key of keys) {
        const to = key.to ?? 'rowid';
        dropped += out
          .prepare(
            `DELETE FROM ${quote(table)} WHERE ${quote(key.from)} IS NOT NULL AND ${quote(key.from)} NOT IN (SELECT ${quote(to)} FROM ${quote(key.table)})`,
          )
          .run().changes;
      }
    }
  }
  return dropped;
}

/** The value, or undefined where SQLite meets a broken page. */
function readable<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (isCorruptionError(error)) return undefined;
    throw error;
  }
}
