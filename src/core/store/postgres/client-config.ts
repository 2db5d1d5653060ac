import { userInfo } from 'node:os';
import type pg from 'pg';
import { parse } from 'pg-connection-string';
import pgpass from 'pgpass';

/** SQLite's values: 64-bit integers and numerics as numbers, a comparison as 0 or 1 (the store's rows read the same from either database). */
function sqliteTypes(types: typeof pg.types): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === 20 || oid === 1700) return (value: string) => Number(value);
      if (oid === 16) return (value: string) => (value === 't' ? 1 : 0);
      return types.getTypeParser(oid, format as 'text');
    }) as typeof pg.types.getTypeParser,
  };
}

/** How long to wait for the server to answer a connection. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * A transaction left open longer than this by a process that stopped (frozen, cut off) is ended by the
 * server, so its row lock on the project does not stop every other writer for good.
 */
const IDLE_IN_TRANSACTION_MS = 60_000;

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The password as libpq finds one: in the URL, else PGPASSWORD, else ~/.pgpass (never asked for, never stored). */
function passwordFor(host: string | null) {
  return async (params: { user?: string; database?: string; host?: string; port?: number }): Promise<string | undefined> => {
    if (process.env.PGPASSWORD !== undefined) return process.env.PGPASSWORD;
    return new Promise<string | undefined>((resolve) =>
      pgpass({ host: params.host ?? host ?? undefined, port: params.port, database: params.database, user: params.user }, resolve),
    );
  };
}

/**
 * node-postgres's settings for a project's store: libpq's reading of the URL (host, port, user,
 * database, sslmode; PGHOST, PGUSER… where it names none), the password as libpq finds one, the
 * project's schema first on the search path, and SQLite's value types.
 */
/**
 * The user a URL without one connects as: the system's name for whoever runs wg, as libpq (psql) takes it.
 * node-postgres read only $USER, unset in many containers, and the server then refused a login naming no user.
 */
function osUser(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    // No entry for this uid in the system's user list (a container run as an arbitrary uid): node-postgres's own default.
    return undefined;
  }
}

export function clientConfig(
  types: typeof pg.types,
  connectionString: string,
  schema: string,
  lockTimeoutMs: number,
  applicationName: string,
): pg.ClientConfig {
  const url = parse(connectionString, { useLibpqCompat: true });
  return {
    host: url.host ?? undefined,
    port: url.port ? Number(url.port) : undefined,
    database: url.database ?? undefined,
    user: url.user || process.env.PGUSER || osUser(),
    // node-postgres calls it with the connection's parameters (its types say no argument).
    password: url.password || (passwordFor(url.host) as () => Promise<string>),
    ssl: url.ssl as pg.ClientConfig['ssl'],
    application_name: applicationName,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    lock_timeout: lockTimeoutMs,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    options: `-c search_path=${quoteIdent(schema)}`,
    types: sqliteTypes(types),
  };
}
