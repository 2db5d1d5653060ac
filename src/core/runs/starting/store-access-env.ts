import { parse } from 'pg-connection-string';
import { STORE_URL_ENV } from '../../config/store-location';
import { isStoreUrl } from '../../store/postgres/store-url';

/**
 * Whether a variable's name would let a run find and log in to a PostgreSQL server on its own: every variable libpq
 * reads is named PG… (PGPASSWORD, PGPASSFILE, PGUSER, PGHOST, PGHOSTADDR, PGPORT, PGDATABASE, PGSERVICE,
 * PGSERVICEFILE, PGSYSCONFDIR, PGOPTIONS, PGREQUIREAUTH, PGCHANNELBINDING, PGSSLMODE and the other PGSSL…, PGGSS…,
 * PGTARGETSESSIONATTRS, PGLOADBALANCEHOSTS…: "Environment Variables" in libpq's chapter of PostgreSQL's manual, which
 * each release extends), and node-postgres reads the same names. WG_STORE_URL names this app's store outright.
 */
export function namesStoreAccess(name: string): boolean {
  return name.startsWith('PG') || name === STORE_URL_ENV;
}

/** What a coordinator keeps of its own store from its runs, whatever a variable holding it is named: its server and database, its password. */
export interface StoreSecrets {
  host: string | null;
  port: string | null;
  database: string | null;
  /** The password the coordinator logs in with, when it has one in its URL or PGPASSWORD (~/.pgpass is a file, not a variable). */
  password: string | null;
}

/** The secrets of a store at `location` (a PostgreSQL URL; anything else, graph.db, has none), with `env`'s PGPASSWORD. */
export function storeSecrets(location: string, env: NodeJS.ProcessEnv): StoreSecrets | null {
  if (!isStoreUrl(location)) return null;
  const url = parse(location, { useLibpqCompat: true });
  return {
    host: url.host ?? null,
    port: url.port ?? null,
    database: url.database ?? null,
    password: url.password || env.PGPASSWORD || null,
  };
}

/**
 * A variable named as a secret is (…PASS…, …PWD…, …SECRET…, …TOKEN…, …KEY…, …CRED…): one holding the store's password
 * under such a name is dropped. Not every variable holding that text: a password such as `postgres` is also a user's
 * or a database's name (USER=postgres), which a run needs.
 */
const SECRET_NAME = /PASS|PWD|SECRET|TOKEN|KEY|CRED/i;

/** A value that is a URL of the same server and database (under any user or schema), or the store's password under a secret's name. */
function holdsSecret(name: string, value: string, secrets: StoreSecrets): boolean {
  if (secrets.password !== null && value === secrets.password && SECRET_NAME.test(name)) return true;
  if (!isStoreUrl(value)) return false;
  try {
    const url = parse(value, { useLibpqCompat: true });
    return (url.host ?? null) === secrets.host && (url.port ?? null) === secrets.port && (url.database ?? null) === secrets.database;
  } catch {
    // Not a URL pg reads: it cannot log in to the store either way, but a run has no use for a broken database URL.
    return true;
  }
}

/**
 * Whether a variable of the coordinator's (or an agent daemon's) environment must be kept from a run: with it, a run
 * that drops its own WG_* variables would open the store directly, as the coordinator does, past its run credential
 * and the rules of run-authority.ts (a shell task made an admin token that way, in its project and another's schema on
 * the same database). A run reaches its project only through its coordinator's API.
 */
export function keptFromRuns(name: string, value: string, secrets: StoreSecrets | null): boolean {
  return namesStoreAccess(name) || (secrets !== null && holdsSecret(name, value, secrets));
}
