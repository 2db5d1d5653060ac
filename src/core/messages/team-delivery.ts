import type { Store } from '../store/store';
import { markInbox } from './inbox-marker';

/*
 * The tasks whose working run this coordinator started (agents.coordinator_id) and whose agent has a message it has
 * not read: one not its own, past its cursor. On a team's graph a message may be sent through any coordinator, or
 * straight into the store, by a `wg` in another folder: the marker that wakes the agent's hook was then left in that
 * folder, not in this one, where the agent's hook looks.
 */

/**
 * Delivers messages to this coordinator's own runs as a send through it does (inbox-marker.ts): called when it
 * hears another machine's commit. A marker left for a message the agent reads meanwhile only costs its hook one
 * look that finds nothing.
 */
export async function markInboxesOfOwnRuns(store: Store, serviceDir: string, coordinatorId: string): Promise<number> {
  const tasks = await store.core.all(
    store.core.build
      .selectFrom('agents as a')
      .innerJoin('messages as m', 'm.task_id', 'a.task_id')
      .select('a.task_id')
      .distinct()
      .where('a.coordinator_id', '=', coordinatorId)
      .where('a.state', '=', 'working')
      .where((eb) =>
        eb(
          'm.seq',
          '>',
          eb.fn.coalesce(
            eb
              .selectFrom('message_cursors as c')
              .select('c.cursor')
              .whereRef('c.reader', '=', 'a.id')
              .whereRef('c.task_id', '=', 'a.task_id'),
            eb.lit(0),
          ),
        ),
      )
      .where((eb) => eb.or([eb('m.agent_id', 'is', null), eb('m.agent_id', '<>', eb.ref('a.id'))])),
  );
  for (const { task_id } of tasks) markInbox(serviceDir, task_id);
  return tasks.length;
}
