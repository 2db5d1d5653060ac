import { invalid } from '../../shared/errors';
import { readToml, type TomlTable } from './toml-file';
import { readRegularFile } from '../files/regular-file';
import type { ProjectPaths } from '../project';
import { isStoreUrl } from '../store/postgres/store-url';

/** Overrides the project's own store for this process: a PostgreSQL URL. */
export const STORE_URL_ENV = 'WG_STORE_URL';

/**
 * A store URL as given (WG_STORE_URL, `[store] url`): a PostgreSQL URL, else one line. A file's path there was
 * passed over without a word, and the commands went on in the folder's own graph.db.
 */
function storeUrlFrom(value: string, where: string): string {
  if (!isStoreUrl(value)) {
    throw invalid(`${where} must be a PostgreSQL URL (postgresql://…); an SQLite copy is used as a project folder's .workgraph/graph.db`);
  }
  return value;
}

/** WG_STORE_URL, if it is set (and a PostgreSQL URL: anything else is refused). */
export function envStoreUrl(): string | null {
  const fromEnv = process.env[STORE_URL_ENV]?.trim();
  return fromEnv ? storeUrlFrom(fromEnv, STORE_URL_ENV) : null;
}

/**
 * Where a project's graph lives: WG_STORE_URL, else `[store] url` in its config.toml (a team's graph on
 * PostgreSQL: the folder keeps only its config), else graph.db in its folder.
 */
export function storeLocation(paths: Pick<ProjectPaths, 'db' | 'config'>): string {
  return envStoreUrl() ?? configuredStoreUrl(paths.config) ?? paths.db;
}

/** `[store] url` of a config.toml, if it has one (the file is parsed only when it names a [store] table). */
export function configuredStoreUrl(config: string): string | null {
  // As any config.toml is read: a FIFO put there is refused, never waited on.
  const text = readRegularFile(config)?.text;
  if (text === undefined || !/^\s*\[store\]/m.test(text)) return null;
  return storeUrlIn(readToml(config), config);
}

/** `[store] url` of a config.toml already read (`table`, from the file `config`), if it has one. */
export function storeUrlIn(table: TomlTable, config: string): string | null {
  const store = table.store;
  const url = typeof store === 'object' && store !== null ? (store as Record<string, unknown>).url : undefined;
  if (url === undefined) return null;
  if (typeof url !== 'string' || url.trim() === '') throw invalid(`${config}: [store] url must be a PostgreSQL URL in quotes`);
  return storeUrlFrom(url.trim(), `${config}: [store] url`);
}
