import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Store } from '../../src/core/store/store';
import type { OpContext } from '../../src/core/ops/context';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import type { StoreKind } from '../../src/core/store/sql-connection';
import type { PgConnection } from '../../src/core/store/postgres/pg-connection';
import { type SchemaPool, sharedSchemaPool } from './pg-schema-pool';

/** Both stores: SQLite, and PostgreSQL on a real server. */
export const ALL_STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

/**
 * The stores the store's own tests run against here (describe.each). The same files run twice: SQLite in the unit
 * layer, which starts no process, and PostgreSQL, whose server is a process, in the `postgres` project
 * (vitest.config.ts names the kind in WG_TEST_STORES). A file run some other way (a bench) takes both.
 */
export const STORE_KINDS: readonly StoreKind[] = ALL_STORE_KINDS.filter(
  (kind) => process.env.WG_TEST_STORES === undefined || process.env.WG_TEST_STORES === kind,
);

/**
 * An empty SQLite store with every migration applied, made once per test process by the store's own code. A new
 * store on SQLite starts as a copy of it: creating the schema anew is 7.4 ms of CPU a store, a copy 1.4 ms
 * (`npx tsx` of 200 of each, one after the other), and the unit layer makes about a thousand. The migrations
 * themselves are tested from nothing and from older schemas (test/store/migration.test.ts).
 */
let emptyStore: string | undefined;
async function emptyStoreFile(): Promise<string> {
  if (emptyStore === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'wg-empty-store-'));
    const file = join(dir, 'graph.db');
    await (await Store.open(file)).close();
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    emptyStore = file;
  }
  return emptyStore;
}

/**
 * A store in a fresh temporary folder with a controllable clock: an SQLite file there, or (postgres) a
 * new project's schema on the test process's PostgreSQL server, or on the pool's server if one is given
 * (test/helpers/pg-schema-pool.ts).
 */
export async function tempStore(start = new Date('2026-03-01T12:00:00Z'), kind: StoreKind = 'sqlite', pool?: SchemaPool) {
  const dir = mkdtempSync(join(tmpdir(), 'wg-store-'));
  let now = start;
  const schemas = kind === 'postgres' ? (pool ?? sharedSchemaPool()) : null;
  const schema = schemas ? await schemas.take() : null;
  const location = schema ? schema.url : join(dir, 'graph.db');
  if (!schema) copyFileSync(await emptyStoreFile(), location);
  const store = await Store.open(location, () => now);
  let disposed = false;
  return {
    store,
    dir,
    kind,
    /** Where the store is: the file's path, or the PostgreSQL URL. */
    location,
    setNow(date: Date) {
      now = date;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      if (schemas && schema) await schemas.giveBack(store.core.conn as PgConnection, schema.schema);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a describe of one store kind: makes a store for a test (tempStore), disposed after that test. Called in the
 * describe's body, where it registers its afterEach.
 */
export function storesPerTest(kind: StoreKind): () => ReturnType<typeof tempStore> {
  const opened: Array<Awaited<ReturnType<typeof tempStore>>> = [];
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.dispose();
  });
  return async () => {
    const t = await tempStore(undefined, kind);
    opened.push(t);
    return t;
  };
}

/** An operation's context on a temporary store, as a person's `wg` in its project has it (the folders made). */
export function opContextOn(env: { store: Store; dir: string }, more: Partial<OpContext> = {}): OpContext {
  const paths = projectPaths(join(env.dir, '.workgraph'));
  ensureProjectDirs(paths);
  return { store: env.store, paths, actor: 'user', ...more };
}

/** The same as a run's `wg` has it: acting as the run, with its credential's agent and run id. */
export function runContextOn(env: { store: Store; dir: string }, agentId: string, runId: string): OpContext {
  return opContextOn(env, { actor: agentId, agent: { id: agentId, runId } });
}
