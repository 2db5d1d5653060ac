import { sql } from 'kysely';
import { filterAsync } from '../../shared/async-arrays';
import type { StoreCore } from '../store/store-core';

/**
 * Working runs no active coordinator owns: their coordinator was declared lost (its lease lapsed past the
 * sweep's grace) or its row is gone, or they are from before runs named theirs. Each coordinator's turn
 * takes them over: the rows name it from then on, and it judges them by the usual rules (a local run it
 * cannot find on its machine is dead and retried; an agent daemon's job is kept until its lease expires).
 */
const lostRuns = (core: StoreCore, me: string) =>
  core.build
    .selectFrom('agents as a')
    .select(['a.id', 'a.coordinator_id'])
    .where('a.state', '=', 'working')
    .where((eb) =>
      eb.or([
        eb('a.coordinator_id', 'is', null),
        eb.and([
          eb('a.coordinator_id', '<>', me),
          eb.not(
            eb.exists(
              eb
                .selectFrom('coordinators as c')
                .select(sql.lit(1).as('one'))
                .whereRef('c.id', '=', 'a.coordinator_id')
                .where('c.role', '=', 'holder'),
            ),
          ),
        ]),
      ]),
    );

/**
 * Inside a write (the project's turn, so two coordinators never take the same run): the runs taken over, and of
 * them those another coordinator had started (`fromOthers`; the rest name none, from before runs named theirs).
 */
export async function takeOverLostRuns(core: StoreCore, me: string): Promise<{ ids: string[]; fromOthers: string[] }> {
  const rows = await core.all(lostRuns(core, me));
  const ids = rows.map((row) => row.id);
  for (const id of ids) await core.send(core.build.updateTable('agents').set({ coordinator_id: me }).where('id', '=', id));
  // What they had claimed of the agency's work (an evaluation, an assignment) is free again.
  await core.send(
    core.build
      .deleteFrom('internal_claims')
      .where('coordinator_id', 'is not', null)
      .where('coordinator_id', '<>', me)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('coordinators as c')
              .select(sql.lit(1).as('one'))
              .whereRef('c.id', '=', 'internal_claims.coordinator_id')
              .where('c.role', '=', 'holder'),
          ),
        ),
      ),
  );
  return { ids, fromOthers: rows.filter((row) => row.coordinator_id !== null).map((row) => row.id) };
}

/** The runs of `ids` another coordinator owns now (it took them over from this one). */
export async function ownedElsewhere(core: StoreCore, me: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set(
    await filterAsync(ids, async (id) => {
      const row = await core.get(core.build.selectFrom('agents').select('coordinator_id').where('id', '=', id));
      return row !== undefined && row.coordinator_id !== null && row.coordinator_id !== me;
    }),
  );
}
