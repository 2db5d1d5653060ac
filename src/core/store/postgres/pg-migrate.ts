import { hostname } from 'node:os';
import { WgError } from '../../../shared/errors';
import { processAlive } from '../../processes/process-group';
import { POSTGRES_FUNCTIONS } from './pg-schema';
import { PG_MIGRATIONS } from './pg-migrations';
import { MIGRATIONS } from '../migrations';
import type { SqlConnection } from '../sql-connection';
import type { PgConnection } from './pg-connection';

/*
 * The same versioned migrations as SQLite's (migrations.ts), in PostgreSQL's words (pg-migrations.ts), each
 * in one transaction under a lock of the schema's own (two processes opening a new project at once
 * migrate it once). The version is kept in `schema_version` (SQLite's is its user_version).
 */

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function tooNew(version: number): void {
  if (version > MIGRATIONS.length) {
    throw new Error(`the project's database is version ${version}, newer than this app (${MIGRATIONS.length}); upgrade the app`);
  }
}

async function storedVersion(conn: PgConnection, schema: string): Promise<number> {
  if (!(await holdsProject(conn, schema))) return 0;
  return (await conn.pgQuery<{ version: number }>('SELECT version FROM schema_version'))[0]?.version ?? 0;
}

/**
 * A team's schema that an older wg's coordinators are running on is left at their version: their cached statements
 * stop working once a table they read changes (PostgreSQL's "cached plan must not change result type"), so they would
 * keep their leases and their runs' tasks in progress without judging them. They are asked to stop (or be updated) first.
 */
async function refuseUnderRunningCoordinators(conn: PgConnection, schema: string, version: number): Promise<void> {
  const [table] = await conn.pgQuery<{ found: string | null }>('SELECT to_regclass($1) AS found', [`${quoteIdent(schema)}.coordinators`]);
  if (!table?.found) return;
  const holders = await conn.pgQuery<{ host: string; folder: string; pid: number }>(
    `SELECT host, folder, pid FROM ${quoteIdent(schema)}.coordinators
     WHERE role = 'holder' AND expires_at >= renewed_at AND expires_at > CAST(extract(epoch FROM now()) * 1000 AS bigint)
     ORDER BY started_at`,
  );
  // One killed on this machine holds its lease until it lapses, but runs nothing that would break.
  const here = hostname();
  const running = holders.filter((c) => c.host !== here || processAlive(c.pid));
  if (running.length === 0) return;
  const named = running
    .slice(0, 3)
    .map((c) => `${c.host}:${c.folder}, pid ${c.pid}`)
    .join('; ');
  const more = running.length > 3 ? ` and ${running.length - 3} more` : '';
  throw new WgError(
    'conflict',
    `the project's database is version ${version}, and an older wg's coordinator runs on it (${named}${more}): stop it there (wg service stop) before this wg (${MIGRATIONS.length}) upgrades it; nothing was changed`,
  );
}

interface ForeignKey {
  name: string;
  table_name: string;
  definition: string;
}

/** Whether the schema holds a project (of any version): made by `wg init --store` or `wg store copy`. */
export async function holdsProject(conn: PgConnection, schema: string): Promise<boolean> {
  const [table] = await conn.pgQuery<{ found: string | null }>('SELECT to_regclass($1) AS found', [`${quoteIdent(schema)}.schema_version`]);
  return Boolean(table?.found);
}

/** The schema's foreign keys: a migration that rebuilds a table (SQLite's way to change one) drops those pointing at it. */
async function foreignKeys(conn: PgConnection, schema: string): Promise<ForeignKey[]> {
  return conn.pgQuery<ForeignKey>(
    `SELECT c.conname AS name, t.relname AS table_name, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE c.contype = 'f' AND n.nspname = $1`,
    [schema],
  );
}

/** Puts back the foreign keys a rebuilt table's drop took with it, as SQLite keeps them by the table's name. */
async function restoreForeignKeys(conn: PgConnection, schema: string, before: ForeignKey[]): Promise<void> {
  const now = new Set((await foreignKeys(conn, schema)).map((key) => `${key.table_name}.${key.name}`));
  for (const key of before) {
    if (now.has(`${key.table_name}.${key.name}`)) continue;
    const target = /REFERENCES\s+("?)([^"(\s]+)\1\s*\(/.exec(key.definition)?.[2];
    const exists = async (table: string) =>
      (await conn.pgQuery<{ found: string | null }>('SELECT to_regclass($1) AS found', [`${quoteIdent(schema)}.${quoteIdent(table)}`]))[0]
        ?.found;
    if (!target || !(await exists(key.table_name)) || !(await exists(target))) continue;
    await conn.pgQuery(`ALTER TABLE ${quoteIdent(key.table_name)} ADD CONSTRAINT ${quoteIdent(key.name)} ${key.definition}`);
  }
}

/**
 * Moves each self-numbering column's counter past the highest number in it: rows written with their own
 * numbers (a migration's copy, a project copied in whole) do not move it, and the next row would clash.
 */
export async function resyncIdentities(conn: PgConnection, schema: string): Promise<void> {
  const columns = await conn.pgQuery<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND is_identity = 'YES'",
    [schema],
  );
  for (const { table_name, column_name } of columns) {
    const table = `${quoteIdent(schema)}.${quoteIdent(table_name)}`;
    await conn.pgQuery(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${quoteIdent(column_name)}) FROM ${table}), 0) + 1, false)`,
      [table, column_name],
    );
  }
}

/**
 * Brings the project's schema to this app's version, making it (and running `initialize` on it) when
 * it does not exist yet.
 */
export async function migratePostgres(
  conn: PgConnection,
  schema: string,
  initialize?: (conn: SqlConnection) => Promise<void>,
): Promise<void> {
  const start = await storedVersion(conn, schema);
  tooNew(start);
  if (start === MIGRATIONS.length) return;
  let created = false;
  for (let version = start; version < MIGRATIONS.length; version++) {
    await conn.withoutProjectLock(async () => {
      await conn.pgQuery('SELECT pg_advisory_xact_lock(hashtext($1))', [`workgraph:${schema}`]);
      const missing =
        (await conn.pgQuery<{ missing: number }>('SELECT to_regnamespace($1) IS NULL AS missing', [schema]))[0]?.missing === 1;
      if (missing) await conn.pgQuery(`CREATE SCHEMA ${quoteIdent(schema)}`);
      if (version === 0) {
        await conn.pgQuery(POSTGRES_FUNCTIONS);
        await conn.pgQuery('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
        await conn.pgQuery('INSERT INTO schema_version (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)');
      }
      const now = (await conn.pgQuery<{ version: number }>('SELECT version FROM schema_version'))[0]?.version ?? 0;
      tooNew(now);
      // Another process migrated meanwhile.
      if (now !== version) return;
      if (version === start && start > 0) await refuseUnderRunningCoordinators(conn, schema, start);
      const keys = await foreignKeys(conn, schema);
      await conn.exec(PG_MIGRATIONS[version] as string);
      await restoreForeignKeys(conn, schema, keys);
      await resyncIdentities(conn, schema);
      await conn.pgQuery('UPDATE schema_version SET version = $1', [version + 1]);
      if (version === 0) created = true;
    });
  }
  if (created) await initialize?.(conn);
}
