import { filterAsync } from '../../shared/async-arrays';
import type { StoreCore } from '../store/store-core';

/**
 * Working runs no active coordinator owns: their coordinator was declared lost (its lease lapsed past the
 * sweep's grace) or its row is gone, or they are from before runs named theirs. Each coordinator's turn
 * takes them over: the rows name it from then on, and it judges them by the usual rules (a local run it
 * cannot find on its machine is dead and retried; an agent daemon's job is kept until its lease expires).
 */
const LOST_RUNS = `SELECT a.id, a.coordinator_id FROM agents a WHERE a.state = 'working'
  AND (a.coordinator_id IS NULL OR (a.coordinator_id <> ? AND NOT EXISTS (
    SELECT 1 FROM coordinators c WHERE c.id = a.coordinator_id AND c.role = 'holder')))`;

/**
 * Inside a write (the project's turn, so two coordinators never take the same run): the runs taken over, and of
 * them those another coordinator had started (`fromOthers`; the rest name none, from before runs named theirs).
 */
export async function takeOverLostRuns(core: StoreCore, me: string): Promise<{ ids: string[]; fromOthers: string[] }> {
  const rows = await core.sql<{ id: string; coordinator_id: string | null }>(LOST_RUNS).all(me);
  const ids = rows.map((row) => row.id);
  const mine = core.sql('UPDATE agents SET coordinator_id = ? WHERE id = ?');
  for (const id of ids) await mine.send(me, id);
  // What they had claimed of the agency's work (an evaluation, an assignment) is free again.
  await core
    .sql(`DELETE FROM internal_claims WHERE coordinator_id IS NOT NULL AND coordinator_id <> ? AND NOT EXISTS (
      SELECT 1 FROM coordinators c WHERE c.id = internal_claims.coordinator_id AND c.role = 'holder')`)
    .send(me);
  return { ids, fromOthers: rows.filter((row) => row.coordinator_id !== null).map((row) => row.id) };
}

/** The runs of `ids` another coordinator owns now (it took them over from this one). */
export async function ownedElsewhere(core: StoreCore, me: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const owner = core.sql<{ coordinator_id: string | null }>('SELECT coordinator_id FROM agents WHERE id = ?');
  return new Set(
    await filterAsync(ids, async (id) => {
      const row = await owner.get(id);
      return row !== undefined && row.coordinator_id !== null && row.coordinator_id !== me;
    }),
  );
}
