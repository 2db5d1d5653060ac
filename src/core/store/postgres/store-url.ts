import { parse } from 'pg-connection-string';
import { invalid } from '../../../shared/errors';

/**
 * A project's PostgreSQL store, from its URL: `postgres://` or `postgresql://`, libpq's form
 * (`postgresql://user@host:5432/db`, a unix socket as `postgresql:///db?host=/run/postgresql` or
 * `postgresql://user@/db?host=/run/postgresql`), with `schema=NAME` naming the schema that holds this
 * project's tables (several projects may share one database; `workgraph` when not said). A password is
 * never written into the project's config: it comes from PGPASSWORD or ~/.pgpass, as for libpq's own programs.
 * The URL is read by pg-connection-string, the reader the pg driver itself connects with.
 */
export interface PgTarget {
  /** The URL as pg takes it: `schema` removed. */
  connectionString: string;
  schema: string;
  /** The URL to show a person: any password in it replaced. */
  shown: string;
  /** Whether the URL itself holds a password (in its user part or as `password=`). */
  hasPassword: boolean;
}

const DEFAULT_SCHEMA = 'workgraph';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function isStoreUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL without its password (in the user part or a `password=` parameter), for messages and `wg service status`. */
function redactedUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1:***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** The query's parameters but `schema`, each kept as written. */
function withoutSchema(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const kept = url
    .slice(mark + 1)
    .split('&')
    .filter((pair) => pair !== '' && decodedKey(pair) !== 'schema');
  return kept.length > 0 ? `${url.slice(0, mark)}?${kept.join('&')}` : url.slice(0, mark);
}

function decodedKey(pair: string): string {
  const key = pair.split('=', 1)[0] as string;
  try {
    return decodeURIComponent(key.replaceAll('+', ' '));
  } catch {
    return key;
  }
}

/**
 * The parameters a store URL may carry: libpq's connection keywords, those the pg driver adds, and `schema`. Anything
 * else is a slip (`Schema=`, `schem=`) that would be dropped without a word, and a project opened in the default
 * schema, which may hold another team's graph.
 */
const KNOWN_PARAMETERS = new Set([
  'schema',
  ...['host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'passfile', 'require_auth', 'channel_binding'],
  ...['connect_timeout', 'client_encoding', 'options', 'application_name', 'fallback_application_name', 'replication'],
  ...['keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'tcp_user_timeout', 'gssencmode'],
  ...['sslmode', 'requiressl', 'sslnegotiation', 'sslcompression', 'sslcert', 'sslkey', 'sslpassword', 'sslcertmode'],
  ...['sslrootcert', 'sslcrl', 'sslcrldir', 'sslsni', 'requirepeer', 'ssl_min_protocol_version', 'ssl_max_protocol_version'],
  ...['krbsrvname', 'gsslib', 'gssdelegation', 'service', 'target_session_attrs', 'load_balance_hosts'],
  ...['ssl', 'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout', 'query_timeout', 'uselibpqcompat'],
]);

/** libpq's sslmode values, and the pg driver's own `no-verify` (last). */
const SSL_MODES: readonly string[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/** Reads a store URL, or says in one line what is wrong with it. */
export function parseStoreUrl(url: string): PgTarget {
  const shown = redactedUrl(url);
  if (!isStoreUrl(url)) throw invalid(`'${shown}' is not a PostgreSQL URL; it starts with postgres:// or postgresql://`);
  let parsed: Awaited<ReturnType<typeof parse>>;
  try {
    parsed = parse(url);
  } catch {
    throw invalid(`'${shown}' is not a URL libpq would read (postgresql://user@host:5432/database)`);
  }
  const mark = url.indexOf('?');
  const keys =
    mark < 0
      ? []
      : url
          .slice(mark + 1)
          .split('&')
          .filter(Boolean)
          .map(decodedKey);
  const unknown = keys.find((key) => !KNOWN_PARAMETERS.has(key));
  if (unknown !== undefined) {
    throw invalid(`the store URL's '${unknown}' is no parameter libpq reads (the project's schema is named by schema=NAME, in lower case)`);
  }
  // The driver takes any other value as SSL wanted, and the server's refusal of SSL was all one heard of the slip.
  const sslmode = parsed.sslmode;
  if (typeof sslmode === 'string' && !SSL_MODES.includes(sslmode)) {
    throw invalid(`the store URL's sslmode '${sslmode}' is not one of ${SSL_MODES.slice(0, -1).join(', ')} or no-verify`);
  }
  const given = parsed.schema;
  const schema = typeof given === 'string' ? given : DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw invalid(`schema '${schema}' in the store URL is not a plain name (lower-case letters, digits and _, not starting with a digit)`);
  }
  return { connectionString: withoutSchema(url), schema, shown, hasPassword: Boolean(parsed.password) };
}
