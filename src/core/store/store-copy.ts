import { existsSync, statSync } from 'node:fs';
import { sql } from 'kysely';
import { dirname, resolve } from 'node:path';
import { invalid } from '../../shared/errors';
import { isStoreUrl, parseStoreUrl } from './postgres/store-url';
import { teamConnection } from './postgres/team-connection';
import type { StoreCore } from './store-core';
import { Store } from './store';
import { nulAt } from '../../shared/nul-text';
import { plainText } from '../text/plain-text';

/** Rows a copy counts, by table (every table is copied; these are the ones a person recognises). */
export interface CopyCounts {
  tasks: number;
  task_log: number;
  agents: number;
  evaluations: number;
  messages: number;
  agency: number;
  /** Every row of every table. */
  rows: number;
}

/** Written first: what the rest refers to (tasks), and the counters a fresh store already holds. */
const FIRST = ['project', 'meta', 'tasks'];
/** The migrations' own record on PostgreSQL, who coordinates a team's graph and what each has under way: each store keeps its own. */
const NOT_COPIED = new Set(['schema_version', 'coordinators', 'internal_claims']);
/** Values in one INSERT at most (SQLite takes 32,766 parameters, PostgreSQL 65,535). */
const MAX_PARAMETERS = 30_000;

/** A store's own tables, by name (its catalog is where the two databases differ most). */
async function tables(core: StoreCore): Promise<string[]> {
  const names =
    core.kind === 'sqlite'
      ? sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
      : sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`;
  return (await core.all(names)).map((row) => row.name);
}

/** The target holds nothing a person made: a fresh schema (or file), or one a copy may fill. */
async function refuseUnlessEmpty(core: StoreCore, shown: string): Promise<void> {
  for (const table of ['tasks', 'agents', 'task_log', 'agency_agents', 'evaluations', 'messages'] as const) {
    if ((await core.get(core.build.selectFrom(table).select(sql.lit(1).as('one')).limit(1))) !== undefined) {
      throw invalid(`${shown} already holds a graph (its ${table} table is not empty); copy into an empty one (a new &schema=NAME)`);
    }
  }
}

/**
 * Text PostgreSQL cannot store, in an SQLite project from before wg refused it at input (nul-text.ts): a NUL character,
 * or `\u0000` in JSON it reads as jsonb. Named with the row that holds it, so a person can remove it and copy again;
 * PostgreSQL's own refusal would come mid-copy, in its words. Blobs are bytes, which PostgreSQL holds as they are.
 */
async function refuseNul(source: StoreCore, shown: string): Promise<void> {
  if (source.kind !== 'sqlite') return;
  for (const table of await tables(source)) {
    const columns = await source.all(sql<{ name: string; pk: number }>`SELECT name, pk FROM pragma_table_info(${table})`);
    if (columns.length === 0) continue;
    // SQLite finds the few candidate rows (bytes compared, so a NUL is not an end of text); this process says which hold one.
    const where = sql.join(
      columns.map(({ name }) => sql`instr(CAST(${sql.ref(name)} AS BLOB), x'00') > 0 OR instr(${sql.ref(name)}, ${'\\u0000'}) > 0`),
      sql` OR `,
    );
    for (const row of await source.all(sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} WHERE ${where}`)) {
      const column = columns.find(({ name }) => holdsNul(row[name]));
      if (!column) continue;
      throw invalid(
        `cannot copy to ${shown}: the ${column.name} of ${rowName(table, columns, row)} holds a NUL character (a zero byte), which PostgreSQL cannot store; remove it and copy again (nothing was made there)`,
      );
    }
  }
}

function holdsNul(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (value.includes('\u0000')) return true;
  try {
    return nulAt(JSON.parse(value)) !== null;
  } catch {
    return false;
  }
}

/** A row as a person finds it: a task by its id, any other by its table and key. */
function rowName(table: string, columns: Array<{ name: string; pk: number }>, row: Record<string, unknown>): string {
  if (table === 'tasks') return `task '${plainText(String(row.id))}'`;
  const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  const shown = key.map((c) => `${c.name} ${plainText(String(row[c.name]).replaceAll('\u0000', '\\0'))}`).join(', ');
  return `a row of its ${table} table${shown ? ` (${shown})` : ''}`;
}

async function copyTable(from: StoreCore, to: StoreCore, table: string): Promise<number> {
  const rows = await from.all(sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`);
  await to.send(sql`DELETE FROM ${sql.table(table)}`);
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0] as Record<string, unknown>);
  const chunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const values = part.map((row) => sql`(${sql.join(columns.map((column) => row[column] ?? null))})`);
    await to.send(sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))}) VALUES ${sql.join(values)}`);
  }
  return rows.length;
}

/**
 * Copies a project's whole store into another, empty one: every task with its log, dependencies and tags,
 * every agent run, worktree record, evaluation, message and the agency, the counters and the revision. The
 * source is read as one commit's state (a running coordinator may go on meanwhile) and the target written
 * in one transaction: it holds all of it or nothing. `to` is a PostgreSQL URL or an SQLite file's path.
 */
export async function copyStore(source: Store, to: string): Promise<{ shown: string; counts: CopyCounts }> {
  const shown = isStoreUrl(to) ? parseStoreUrl(to).shown : to;
  // SQLite's own words for it ("the directory does not exist") are the library's.
  if (!isStoreUrl(to) && !existsSync(dirname(resolve(to))))
    throw invalid(`cannot make ${to}: its folder ${dirname(resolve(to))} does not exist`);
  // The caller's path, so the caller's mistake (400 over HTTP): opening it would refuse it as this project's own
  // database being unusable (503, "cannot open the graph database").
  if (!isStoreUrl(to) && existsSync(to) && !statSync(to).isFile()) throw invalid(`cannot copy to ${to}: it is a folder, not a file`);
  // Before the target is opened (which makes its schema): a copy PostgreSQL must refuse leaves nothing there half-made.
  if (isStoreUrl(to)) await refuseNul(source.core, shown);
  const target = await Store.open(to);
  try {
    await refuseUnlessEmpty(target.core, shown);
    const wanted = new Set(await tables(target.core));
    const present = (await tables(source.core)).filter((table) => wanted.has(table) && !NOT_COPIED.has(table));
    const ordered = [...FIRST.filter((table) => present.includes(table)), ...present.filter((table) => !FIRST.includes(table))];
    const copied = new Map<string, number>();
    await source.core.read(() =>
      // No new revision: the target takes the source's own, so a window that knew it sees nothing new.
      target.core.conn.write(async () => {
        for (const table of ordered) copied.set(table, await copyTable(source.core, target.core, table));
        // A team's identity columns move on past the rows copied in (its driver loaded only then: team-connection.ts).
        const team = await teamConnection(target.core);
        if (team) {
          const { resyncIdentities } = await import('./postgres/pg-migrate');
          await resyncIdentities(team, team.target.schema);
        }
      }),
    );
    const count = (name: string) => copied.get(name) ?? 0;
    return {
      shown,
      counts: {
        tasks: count('tasks'),
        task_log: count('task_log'),
        agents: count('agents'),
        evaluations: count('evaluations'),
        messages: count('messages'),
        agency: [...copied].filter(([name]) => name.startsWith('agency_')).reduce((sum, [, n]) => sum + n, 0),
        rows: [...copied.values()].reduce((sum, n) => sum + n, 0),
      },
    };
  } finally {
    await target.close();
  }
}
