import { dirname, join, resolve } from 'node:path';
import { Store } from '../../src/core/store/store';

const WG = resolve(import.meta.dirname, '../../bin/wg.js');

/** The store of the checkout `wgPath` belongs to (`…/bin/wg.js`): a baseline's database must have that build's schema. */
export async function storeOf(wgPath: string): Promise<typeof Store> {
  if (resolve(wgPath) === WG) return Store;
  const module = (await import(join(dirname(wgPath), '..', 'src', 'core', 'store', 'store.ts'))) as { Store: typeof Store };
  return module.Store;
}

interface AnyCore {
  conn?: { write(work: () => void): void };
  db?: { transaction(work: () => void): () => void };
}

/** Runs `work` as one write transaction of `store`, whichever build's it is (a baseline's may predate the store's connection). */
export function inOneTransaction(store: { core: object }, work: () => void): void {
  const core = store.core as AnyCore;
  if (core.conn) core.conn.write(work);
  else if (core.db) core.db.transaction(work)();
  else throw new Error('a store with neither a connection nor a database');
}
