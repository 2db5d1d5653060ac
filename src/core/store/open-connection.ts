import { BUSY_TIMEOUT_MS, type Db, openDatabase, type OpenOptions } from './database';
import type { SqlConnection } from './sql-connection';
import { SqliteConnection } from './sqlite-sql-connection';
import { WgError } from '../../shared/errors';
import { isStoreUrl, parseStoreUrl } from './postgres/store-url';

export interface StoreOpenOptions extends Omit<OpenOptions, 'initialize'> {
  /** Runs once on a store being created, after the migrations. */
  initialize?: (conn: SqlConnection) => Promise<void>;
  /**
   * A PostgreSQL schema must hold a project already: opening one (every command but `wg init --store` and
   * `wg store copy`) never makes it, or a mistyped schema name would become a new, empty project.
   */
  existing?: boolean;
}

/**
 * A project's store: a path is an SQLite file (created if missing, see database.ts), a `postgres://`
 * or `postgresql://` URL a schema in a PostgreSQL database (made and migrated if needed). Reading
 * only changes nothing on SQLite; on PostgreSQL, whose schema is shared by every machine of the
 * team, the schema is still brought to this app's version.
 */
export async function openConnection(location: string, options: StoreOpenOptions = {}): Promise<SqlConnection> {
  const { initialize } = options;
  if (isStoreUrl(location)) {
    const target = parseStoreUrl(location);
    // Loaded only for a team's graph: node-postgres would cost every `wg` on SQLite its load time.
    const [{ PgConnection }, { holdsProject, migratePostgres }] = await Promise.all([
      import('./postgres/pg-connection'),
      import('./postgres/pg-migrate'),
    ]);
    const conn = await PgConnection.open(target, BUSY_TIMEOUT_MS);
    try {
      if (options.existing && !(await holdsProject(conn, target.schema))) {
        throw new WgError(
          'not_found',
          `no workgraph project in schema '${target.schema}' of that database; check its name (wg init --store URL makes one)`,
        );
      }
      await migratePostgres(conn, target.schema, initialize);
    } catch (error) {
      await conn.close();
      throw error;
    }
    return conn;
  }
  const made = initialize && ((db: Db) => initialize(new SqliteConnection(db)));
  return new SqliteConnection(await openDatabase(location, { ...options, initialize: made }), fileOf(location, options));
}

/** Where a second connection can read the file beside the writer: not for a database in memory, nor a read-only one. */
function fileOf(location: string, options: StoreOpenOptions): string | null {
  return location === ':memory:' || options.readonly || options.untouched ? null : location;
}
