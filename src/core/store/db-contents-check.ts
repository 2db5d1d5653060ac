import type { Db } from './database';
import { MIGRATIONS } from './migrations';
import { openSqlite } from './sqlite-connection';

/*
 * What `wg check --db` finds in a graph.db whose pages SQLite finds whole, but whose contents are not what this app
 * reads: a table, column or index the migrations make that is gone (another program dropped it: every statement that
 * names it then fails), and a JSON column holding something that is not JSON (the read that meets it fails:
 * stored-json.ts). Both are read, never written.
 */

/** A table, column (`table.column`) or index the file's migrations made that is not in it. */
export interface MissingPart {
  kind: 'table' | 'column' | 'index';
  name: string;
}

/** A row's JSON column that holds something that is not JSON: its table, its key, the column. */
export interface NotJson {
  table: string;
  key: string;
  column: string;
}

/**
 * Every column of graph.db this app reads with JSON.parse, with the column a person knows the row by. The upstream_*
 * tables are not the migrations': upstream-sync/sync-records.ts and opening/upstream-graph.ts make them on first use,
 * only beside upstream's graph.jsonl, so they are looked at where they are and never missed. On PostgreSQL these
 * columns are TEXT too, but `wg check --db` refuses a team's store (db-check-command.ts).
 */
const JSON_COLUMNS: ReadonlyArray<{ table: string; key: string; columns: readonly string[] }> = [
  { table: 'tasks', key: 'id', columns: ['artifacts', 'results', 'evaluation', 'extra'] },
  { table: 'agents', key: 'id', columns: ['launch'] },
  { table: 'agent_tokens', key: 'name', columns: ['roles', 'repos'] },
  { table: 'other_nodes', key: 'id', columns: ['node'] },
  { table: 'worktrees', key: 'id', columns: ['conflict_files', 'setup_files', 'decided_pass'] },
  { table: 'agency_components', key: 'id', columns: ['content', 'extra'] },
  { table: 'agency_outcomes', key: 'id', columns: ['success_criteria', 'extra'] },
  { table: 'agency_tradeoffs', key: 'id', columns: ['acceptable', 'unacceptable', 'extra'] },
  { table: 'agency_roles', key: 'id', columns: ['component_ids', 'extra'] },
  { table: 'agency_agents', key: 'id', columns: ['capabilities', 'extra'] },
  { table: 'evaluations', key: 'id', columns: ['dimensions'] },
  { table: 'team_settings', key: 'key', columns: ['value'] },
  { table: 'upstream_sync_lines', key: 'id', columns: ['theirs', 'ours'] },
  { table: 'upstream_sync_state', key: 'key', columns: ['value'] },
  { table: 'upstream_sync_kept', key: 'id', columns: ['task', 'theirs'] },
  { table: 'upstream_sync_earlier', key: 'id', columns: ['theirs'] },
  // Kept only until the first sync takes it (upstream-sync/import-bases.ts); it has no key of its own.
  { table: 'upstream_import', key: 'rowid', columns: ['stamp'] },
];

/** Tables and their columns, and the indexes, that a schema has (sqlite_master and table_info in one statement each). */
interface Schema {
  tables: Map<string, Set<string>>;
  /** Each index, with the table it is on. */
  indexes: Map<string, string>;
}

function schemaOf(conn: Db): Schema {
  const tables = new Map<string, Set<string>>();
  const columns = conn
    .prepare(
      "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
    )
    .raw()
    .all() as Array<[string, string]>;
  for (const [table, column] of columns) {
    const known = tables.get(table);
    if (known) known.add(column);
    else tables.set(table, new Set([column]));
  }
  // SQLite's own indexes (a primary key's, a UNIQUE's) have no SQL and follow their table.
  const indexes = conn.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").raw().all();
  return { tables, indexes: new Map(indexes as Array<[string, string]>) };
}

/**
 * The schema the migrations the file went through make, built in memory (a few ms: empty tables). Only those: a file
 * an older app made (its user_version lower) gets the later migrations' tables and columns when it is next opened for
 * writing, and does not lack them now; a newer app's file has everything this app knows of.
 */
function expectedSchema(version: number): Schema {
  const model = openSqlite(':memory:');
  try {
    // As migrate() in database.ts runs them: a table rebuilt is dropped, which would otherwise delete what refers to it.
    model.pragma('foreign_keys = OFF');
    for (const migration of MIGRATIONS.slice(0, version)) model.exec(migration);
    return schemaOf(model);
  } finally {
    model.close();
  }
}

/** What the file lacks of the migrations' schema: tables, then columns of the tables it has, then indexes, each by name. */
export function missingParts(conn: Db): { missing: MissingPart[]; present: Schema } {
  const present = schemaOf(conn);
  const expected = expectedSchema(conn.pragma('user_version', { simple: true }) as number);
  const tables: string[] = [];
  const columns: string[] = [];
  for (const [table, wanted] of expected.tables) {
    const has = present.tables.get(table);
    if (!has) tables.push(table);
    else for (const column of wanted) if (!has.has(column)) columns.push(`${table}.${column}`);
  }
  // An index of a table that is gone goes with it: the table is the one line.
  const indexes = [...expected.indexes]
    .filter(([index, table]) => !present.indexes.has(index) && present.tables.has(table))
    .map(([index]) => index);
  const part = (kind: MissingPart['kind']) => (name: string) => ({ kind, name });
  return {
    missing: [...tables.sort().map(part('table')), ...columns.sort().map(part('column')), ...indexes.sort().map(part('index'))],
    present,
  };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Every value of the JSON columns the file has that is not JSON, table by table in one scan each (json_valid, as
 * strict as JSON.parse; NULL, where a column allows it, is no value and passes), rows in the table's own order.
 */
export function notJsonValues(conn: Db, present: Schema): NotJson[] {
  const found: NotJson[] = [];
  for (const { table, key, columns } of JSON_COLUMNS) {
    const has = present.tables.get(table);
    // A table or column that is gone is said as such; a key that is gone leaves nothing to name a row by.
    if (!has || (key !== 'rowid' && !has.has(key))) continue;
    const checked = columns.filter((column) => has.has(column));
    if (checked.length === 0) continue;
    const valid = checked.map((column) => `json_valid(${quote(column)})`);
    const rows = conn
      // A rowid table's TEXT PRIMARY KEY may hold NULL (SQLite allows it): such a row is named '' rather than not at all.
      .prepare(
        `SELECT ifnull(CAST(${quote(key)} AS TEXT), ''), ${valid.join(', ')} FROM ${quote(table)} WHERE ${valid.map((v) => `${v} = 0`).join(' OR ')}`,
      )
      .raw()
      .all() as Array<[string, ...Array<number | null>]>;
    for (const [rowKey, ...verdicts] of rows) {
      verdicts.forEach((verdict, index) => {
        if (verdict === 0) found.push({ table, key: rowKey, column: checked[index] as string });
      });
    }
  }
  return found;
}
