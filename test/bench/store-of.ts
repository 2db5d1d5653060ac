import { dirname, join, resolve } from 'node:path';
import { Store } from '../../src/core/store/store';

const WG = resolve(import.meta.dirname, '../../bin/wg.js');

/** A store opened by some build: this one's (asynchronous) or a baseline's, whose store may be synchronous. */
export type OpenStore = (location: string) => Promise<Store>;

interface AnyStoreClass {
  open?: (location: string) => Promise<Store>;
  new (location: string): Store;
}

/**
 * How the checkout `wgPath` belongs to (`…/bin/wg.js`) opens its store: a baseline's database must have that build's
 * schema. A build before the asynchronous store makes one with `new`; its calls answer at once, and `await` takes that.
 */
export async function storeOf(wgPath: string): Promise<OpenStore> {
  if (resolve(wgPath) === WG) return (location) => Store.open(location);
  const module = (await import(join(dirname(wgPath), '..', 'src', 'core', 'store', 'store.ts'))) as { Store: AnyStoreClass };
  const StoreClass = module.Store;
  return async (location) => (StoreClass.open ? StoreClass.open(location) : new StoreClass(location));
}

interface AnyCore {
  conn?: { write(work: () => Promise<void>): unknown };
  db?: { transaction(work: () => void): () => void };
}

/** Runs `work` as one write transaction of `store`, whichever build's it is (a baseline's may predate the store's connection). */
export async function inOneTransaction(store: { core: object }, work: () => Promise<void>): Promise<void> {
  const core = store.core as AnyCore;
  if (core.conn) await core.conn.write(work);
  else if (core.db) core.db.transaction(() => void work())();
  else throw new Error('a store with neither a connection nor a database');
}
