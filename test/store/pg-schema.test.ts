import { describe, expect, it } from 'vitest';
import { PgConnection } from '../../src/core/store/postgres/pg-connection';
import { PG_MIGRATIONS } from '../../src/core/store/postgres/pg-migrations';
import { MIGRATIONS } from '../../src/core/store/migrations';
import { ROWID_COLUMN } from '../../src/core/store/postgres/pg-schema';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/**
 * The schema's migrations are written twice, in SQLite's words (migrations.ts) and in PostgreSQL's
 * (postgres/pg-migrations.ts): a project must be the same on both. Compared here on the migrated schemas themselves:
 * tables, columns (their kind and whether they may be NULL) and named indexes.
 */
type Shape = Record<string, string[]>;

const kindOf = (type: string) =>
  /INT/i.test(type) ? 'integer' : /REAL|DOUBLE/i.test(type) ? 'real' : /TEXT|CHAR/i.test(type) ? 'text' : type.toLowerCase();

async function sqliteShape(): Promise<{ columns: Shape; indexes: string[] }> {
  const env = await tempStore();
  try {
    const db = env.store.core.db;
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    const columns: Shape = {};
    for (const table of tables) {
      const info = db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string; type: string; notnull: number; pk: number }>;
      columns[table] = info
        .map((column) => `${column.name} ${kindOf(column.type)}${column.notnull === 1 || column.pk === 1 ? ' not null' : ''}`)
        .toSorted();
    }
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
      .pluck()
      .all() as string[];
    return { columns, indexes };
  } finally {
    await env.dispose();
  }
}

async function postgresShape(): Promise<{ columns: Shape; indexes: string[] }> {
  const env = await tempStore(undefined, 'postgres');
  try {
    const conn = env.store.core.conn;
    if (!(conn instanceof PgConnection)) throw new Error('not a PostgreSQL store');
    const rows = await conn.pgQuery<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name NOT IN ('schema_version') ORDER BY table_name, column_name`,
    );
    const columns: Shape = {};
    for (const row of rows) {
      if (row.column_name === ROWID_COLUMN) continue;
      const nullable = row.is_nullable === 'YES' ? '' : ' not null';
      const list = columns[row.table_name] ?? [];
      list.push(`${row.column_name} ${kindOf(row.data_type)}${nullable}`);
      columns[row.table_name] = list;
    }
    for (const table of Object.keys(columns)) columns[table] = (columns[table] as string[]).toSorted();
    // Named ones only: a primary key's or a UNIQUE constraint's index is named by PostgreSQL (SQLite names it autoindex).
    const indexes = await conn.pgQuery<{ indexname: string }>(
      `SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = current_schema()
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = to_regnamespace(current_schema()))
       ORDER BY i.indexname`,
    );
    return { columns, indexes: indexes.map((row) => row.indexname) };
  } finally {
    await env.dispose();
  }
}

describe.skipIf(!STORE_KINDS.includes('postgres'))("the schema's migrations in PostgreSQL's words", () => {
  it('are as many as in SQLite’s', () => {
    expect(PG_MIGRATIONS).toHaveLength(MIGRATIONS.length);
  });

  it('make the tables, columns and indexes the SQLite migrations make', async () => {
    const [sqlite, postgres] = [await sqliteShape(), await postgresShape()];
    expect(postgres.columns).toEqual(sqlite.columns);
    expect(postgres.indexes).toEqual(sqlite.indexes);
  });
});
