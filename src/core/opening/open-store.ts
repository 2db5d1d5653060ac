import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { WgError } from '../../shared/errors';
import type { ProjectPaths } from '../project';
import { isDiskFull, isReadOnlyError } from '../store/db-file';
import { Store } from '../store/store';
import { isStoreUrl } from '../store/postgres/store-url';
import { ignoreOwnFolder } from '../files/git-ignore';
import { STORE_URL_ENV, storeLocation } from '../config/store-location';
import {
  claimImportNotice,
  describeImport,
  importIfNeverChecked,
  importOnCreate,
  upstreamGraphIn,
  type ImportNotice,
} from './upstream-graph';

export interface OpenedStore {
  store: Store;
  /** Nothing can be written (the folder or the database is read-only): queries only. */
  readOnly: boolean;
  /** The one line to tell a person when this opening imported the folder's graph.jsonl. */
  notice: string | null;
}

export interface OpenStoreOptions {
  /** Queries may run on a project that cannot be written (opened read-only instead of failing). */
  allowReadOnly?: boolean;
  clock?: () => Date;
}

/** The one line for a change refused because the project cannot be written. */
export function readOnlyProject(paths: ProjectPaths): WgError {
  // Another user's folder: why it is not trusted, unless it could not be written anyway.
  if (paths.untrusted !== undefined && projectWritable(paths)) return new WgError('forbidden', paths.untrusted);
  return new WgError('unavailable', `this project is read-only (${paths.dir} cannot be written); it can be read, not changed`);
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether this process may change the project: its workgraph folder, and graph.db if there is one. */
export function projectWritable(paths: ProjectPaths): boolean {
  return canWrite(paths.dir) && (!existsSync(paths.db) || canWrite(paths.db));
}

async function announce(store: Store, paths: ProjectPaths, readOnly: boolean, inMemory: boolean): Promise<string | null> {
  const notice: ImportNotice | null = await claimImportNotice(store.core, paths.dir, { readOnly });
  return notice ? describeImport(notice, inMemory ? null : paths.db) : null;
}

/**
 * Opens a project's graph: creates graph.db on first use (importing the folder's graph.jsonl, see
 * upstream-graph.ts), refuses a damaged graph.db (never replacing it), and when asked opens a
 * project that cannot be written read-only, reading an upstream graph.jsonl into memory if there is
 * no database to read.
 */
export async function openProjectStore(paths: ProjectPaths, options: OpenStoreOptions = {}): Promise<OpenedStore> {
  const location = storeLocation(paths);
  if (isStoreUrl(location)) return openTeamStore(paths, location, options);
  // Another user's folder is only ever read, and nothing is made in it (no graph.db, no import).
  if (paths.untrusted !== undefined) {
    if (!options.allowReadOnly) throw readOnlyProject(paths);
    return openReadOnly(paths, options);
  }
  // Decided up front: SQLite would open an unwritable file read-only without a word and fail later.
  if (!projectWritable(paths)) {
    if (!options.allowReadOnly) throw readOnlyProject(paths);
    return openReadOnly(paths, options);
  }
  let store: Store;
  try {
    // In a folder upstream uses, graph.db lives in the app's own desktop/, made on first use, never committed.
    mkdirSync(dirname(paths.db), { recursive: true, mode: 0o700 });
    if (dirname(paths.serviceDir) !== paths.dir) ignoreOwnFolder(dirname(paths.serviceDir));
    store = await Store.open(paths.db, options.clock, { initialize: importOnCreate(paths.dir) });
  } catch (error) {
    // A query on a full disk reads what is there (database.ts: into memory); a change says the disk is full.
    if (isDiskFull(error) && options.allowReadOnly) return openReadOnly(paths, options);
    if (!isReadOnlyError(error)) throw error;
    if (!options.allowReadOnly) throw readOnlyProject(paths);
    return openReadOnly(paths, options);
  }
  try {
    await importIfNeverChecked(store.core, paths.dir);
    return { store, readOnly: false, notice: await announce(store, paths, false, false) };
  } catch (error) {
    await store.close();
    if (isReadOnlyError(error) && options.allowReadOnly) return openReadOnly(paths, options);
    throw isReadOnlyError(error) ? readOnlyProject(paths) : error;
  }
}

/**
 * A team's graph on PostgreSQL: the folder keeps only its config, so whether the folder can be written
 * does not matter to the graph. A URL another user's folder names is not followed: it would hand that
 * server this person's credentials (PGPASSWORD, ~/.pgpass). Upstream's graph.jsonl beside the folder is
 * not read in (`wg import` does that when asked).
 */
async function openTeamStore(paths: ProjectPaths, url: string, options: OpenStoreOptions): Promise<OpenedStore> {
  if (paths.untrusted !== undefined && !process.env[STORE_URL_ENV]?.trim()) throw new WgError('forbidden', paths.untrusted);
  return { store: await Store.open(url, options.clock, { existing: true }), readOnly: false, notice: null };
}

async function openReadOnly(paths: ProjectPaths, options: OpenStoreOptions): Promise<OpenedStore> {
  if (existsSync(paths.db)) {
    // Another user's graph.db is read from a copy in memory: SQLite makes no -wal or -shm beside it.
    const store = await Store.open(paths.db, options.clock, paths.untrusted === undefined ? { readonly: true } : { untouched: true });
    return { store, readOnly: true, notice: null };
  }
  if (upstreamGraphIn(paths.dir) === null) {
    throw new WgError('not_found', `no graph in ${paths.dir} (no graph.db nor graph.jsonl), and the folder is read-only`);
  }
  const store = await Store.open(':memory:', options.clock, { initialize: importOnCreate(paths.dir) });
  return { store, readOnly: true, notice: await announce(store, paths, true, true) };
}
