import type { StoreCore } from '../store-core';
import type { PgConnection } from './pg-connection';

/**
 * A team's graph's PostgreSQL connection, or null for a project in SQLite. The driver is loaded only for a team's
 * graph (as openConnection loads it): a module that checked `instanceof PgConnection` loaded node-postgres, and with it
 * Node's fetch (which the driver touches as it loads), into every `wg` that imported it: about 20 ms of CPU that
 * `wg service status`, `wg viz` and `wg export` paid on an SQLite project.
 */
export async function teamConnection(core: StoreCore): Promise<PgConnection | null> {
  if (core.kind !== 'postgres') return null;
  const { PgConnection } = await import('./pg-connection');
  return core.conn instanceof PgConnection ? core.conn : null;
}
