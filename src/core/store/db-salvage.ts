import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from './database';
import { isCorruptionError } from './db-file';

/**
 * What SQLite can still read of a damaged graph.db, copied into a new file with the same schema
 * (`wg check --db --repair` where there is no graph.jsonl to rebuild from). A table is read in rowid
 * order; at a broken page the copy seeks past it (the interior pages that lead to it are usually
 * whole, so the rows after it are still reached). A table without rowids whose rows belong to tasks
 * is read task by task instead. Rows that refer to a task that was lost go too, so the new file is
 * consistent (foreign_key_check finds nothing). Nothing in the damaged file is changed.
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
  const out = new Database(target);
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

/** Rows in rowid order, seeking past each broken page (found by doubling the step, then halving it). */
function readByRowid(source: Db, table: TableInfo): { rows: Row[]; broken: boolean } {
  const after = source.prepare(`SELECT rowid AS __rowid, * FROM ${quote(table.name)} WHERE rowid > ? ORDER BY rowid`);
  const max = readable(
    () =>
      source
        .prepare(`SELECT max(rowid) FROM ${quote(table.name)}`)
        .pluck()
        .get() as number | null,
  );
  const rows: Row[] = [];
  let last = -Infinity;
  let broken = false;
  for (;;) {
    try {
      for (const row of after.iterate(last === -Infinity ? Number.MIN_SAFE_INTEGER : last) as Iterable<Row>) {
        last = row.__rowid as number;
        delete row.__rowid;
        rows.push(row);
      }
      return { rows, broken };
    } catch (error) {
      if (!isCorruptionError(error)) throw error;
      broken = true;
      const next = nextReadable(source, table, last === -Infinity ? 0 : last, typeof max === 'number' ? max : null);
      if (next === null) return { rows, broken };
      last = next - 1;
    }
  }
}

/** The first rowid after `from` whose row can be read, or null. */
function nextReadable(source: Db, table: TableInfo, from: number, max: number | null): number | null {
  const at = source.prepare(`SELECT rowid FROM ${quote(table.name)} WHERE rowid > ? ORDER BY rowid LIMIT 1`).pluck();
  const ok = (rowid: number) => readable(() => at.get(rowid)) !== undefined;
  const limit = max ?? Number.MAX_SAFE_INTEGER;
  let step = 1;
  while (from + step <= limit && !ok(from + step)) step *= 2;
  if (from + step > limit) return null;
  // Somewhere in (from + step/2, from + step] the rows become readable again.
  let low = from + Math.floor(step / 2);
  let high = from + step;
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (ok(middle)) high = middle;
    else low = middle;
  }
  const first = readable(() => at.get(high)) as number | undefined;
  return typeof first === 'number' ? first : null;
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
