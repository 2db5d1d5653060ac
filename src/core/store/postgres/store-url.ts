import { invalid } from '../../../shared/errors';

/**
 * A project's PostgreSQL store, from its URL: `postgres://` or `postgresql://`, libpq's form
 * (`postgresql://user@host:5432/db`, a unix socket as `postgresql:///db?host=/run/postgresql`), with
 * `schema=NAME` naming the schema that holds this project's tables (several projects may share one
 * database; `workgraph` when not said). A password is never written into the project's config: it comes
 * from PGPASSWORD or ~/.pgpass, as for libpq's own programs.
 */
export interface PgTarget {
  /** The URL as pg takes it: `schema` removed. */
  connectionString: string;
  schema: string;
  /** The URL to show a person: any password in it replaced. */
  shown: string;
}

const DEFAULT_SCHEMA = 'workgraph';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function isStoreUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL without its password, for messages and `wg service status`. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1:***@');
  }
}

/** Reads a store URL, or says in one line what is wrong with it. */
export function parseStoreUrl(url: string): PgTarget {
  if (!isStoreUrl(url)) throw invalid(`'${redactedUrl(url)}' is not a PostgreSQL URL; it starts with postgres:// or postgresql://`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`'${redactedUrl(url)}' is not a URL libpq would read (postgresql://user@host:5432/database)`);
  }
  const schema = parsed.searchParams.get('schema') ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw invalid(`schema '${schema}' in the store URL is not a plain name (lower-case letters, digits and _, not starting with a digit)`);
  }
  parsed.searchParams.delete('schema');
  // A database named nowhere is libpq's default (the user's name); the URL parser needs a path to keep the form.
  return { connectionString: parsed.toString(), schema, shown: redactedUrl(url) };
}
