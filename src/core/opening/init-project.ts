import { existsSync } from 'node:fs';
import { invalid } from '../../shared/errors';
import { section, updateToml } from '../config/toml-file';
import { carryTeamSettings } from '../config/project-config';
import { ensureProjectDirs, type ProjectPaths } from '../project';
import { type PgTarget, parseStoreUrl } from '../store/postgres/store-url';
import { Store } from '../store/store';
import { openProjectStore } from './open-store';
import { configuredStoreUrl } from '../config/store-location';
import { noImportOnCreate } from './upstream-graph';

export interface InitResult {
  /** The notice for the person, if opening had one to give. */
  notice: string | null;
  /** Where the graph is kept, when not in graph.db: the store's URL as shown (no password). */
  store: string | null;
  /** Tasks already in that store (a team's graph another machine made). */
  tasks: number;
}

/**
 * What `wg init` makes in a folder: the workgraph folders and a database (an upstream graph.jsonl beside
 * it is read in). With `storeUrl`, the graph lives in that PostgreSQL database instead (its schema made
 * if it is not there yet) and the folder keeps only `[store] url` in its config.toml.
 */
export async function initProject(paths: ProjectPaths, options: { storeUrl?: string } = {}): Promise<InitResult> {
  if (options.storeUrl !== undefined) return initTeamProject(paths, options.storeUrl);
  ensureProjectDirs(paths);
  const { store, notice } = await openProjectStore(paths);
  await store.close();
  return { notice: notice ?? null, store: null, tasks: 0 };
}

/**
 * Refuses, in one line and before anything is made, a store URL `wg init --store` cannot keep: one libpq
 * would not read, one holding a password, or one for a project that keeps its graph elsewhere already.
 */
export function checkStoreUrl(paths: ProjectPaths, url: string): PgTarget {
  const target = parseStoreUrl(url);
  if (target.hasPassword) {
    throw invalid("the store URL holds a password; give it in PGPASSWORD or ~/.pgpass instead: the project's config is no place for it");
  }
  const configured = configuredStoreUrl(paths.config);
  if (configured !== null && configured !== url) {
    throw invalid(`this project already keeps its graph in ${parseStoreUrl(configured).shown} (${paths.config})`);
  }
  if (configured === null && existsSync(paths.db)) {
    throw invalid(`this project keeps its graph in ${paths.db}; copy it there with 'wg store copy --to URL --switch' instead`);
  }
  return target;
}

async function initTeamProject(paths: ProjectPaths, url: string): Promise<InitResult> {
  const target = checkStoreUrl(paths, url);
  // The server is reached before the folder is made: one it cannot reach leaves nothing behind.
  const store = await Store.open(url, undefined, { initialize: noImportOnCreate() });
  let tasks: number;
  try {
    tasks = (await store.core.get(store.core.build.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n'))))?.n ?? 0;
  } finally {
    await store.close();
  }
  ensureProjectDirs(paths);
  await carryTeamSettings(paths, url);
  updateToml(paths.config, (table) => {
    section(table, 'store').url = url;
  });
  return { notice: null, store: target.shown, tasks };
}
