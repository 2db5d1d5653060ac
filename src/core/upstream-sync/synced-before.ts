import { sql } from 'kysely';
import type { StoreCore } from '../store/store-core';

/**
 * Whether this project was synced with upstream's graph.jsonl before: it stays an upstream project when the file is
 * gone (deleted, a branch without it checked out), so the sync says so. A project of this app's own has no such table.
 */
export async function syncedBefore(core: StoreCore): Promise<boolean> {
  // A team's graph on PostgreSQL is never synced with a graph.jsonl.
  if (core.kind !== 'sqlite') return false;
  // SQLite's own catalogue and a table of SQLite projects only: not among the builder's tables.
  if (!(await core.get(sql`SELECT 1 AS n FROM sqlite_master WHERE type = 'table' AND name = 'upstream_sync_state'`))) return false;
  return (await core.get(sql`SELECT 1 AS n FROM upstream_sync_state WHERE key = 'rev'`)) !== undefined;
}
