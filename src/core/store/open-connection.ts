import { BUSY_TIMEOUT_MS, openDatabase, type OpenOptions } from './database';
import type { SqlConnection } from './sql-connection';
import { SqliteConnection } from './sqlite-sql-connection';
import { PgConnection } from './postgres/pg-connection';
import { holdsProject, migratePostgres } from './postgres/pg-migrate';
import { WgError } from '../../shared/errors';
import { isStoreUrl, parseStoreUrl } from './postgres/store-url';

export interface StoreOpenOptions extends Omit<OpenOptions, 'initialize'> {
  /** Runs once on a store being created, after the migrations. */
  initialize?: (conn: SqlConnection) => void;
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
export function openConnection(location: string, options: StoreOpenOptions = {}): SqlConnection {
  const { initialize } = options;
  if (isStoreUrl(location)) {
    const target = parseStoreUrl(location);
    const conn = new PgConnection(target, BUSY_TIMEOUT_MS);
    try {
      if (options.existing && !holdsProject(conn, target.schema)) {
        throw new WgError(
          'not_found',
          `no workgraph project in schema '${target.schema}' of that database; check its name (wg init --store URL makes one)`,
        );
      }
      migratePostgres(conn, target.schema, initialize);
    } catch (error) {
      conn.close();
      throw error;
    }
    return conn;
  }
  return new SqliteConnection(
    openDatabase(location, { ...options, initialize: initialize && ((db) => initialize(new SqliteConnection(db))) }),
  );
}
