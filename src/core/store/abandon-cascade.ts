import { sql } from 'kysely';
import type { StoreCore } from './store-core';
import type { TaskState } from './task-reads';

/*
 * Upstream's `wg abandon X` abandons with X the system tasks that exist
 * only for it: every unfinished dot-task listing X in its `after`, and X's scaffold by name
 * (`.assign-X`, `.evaluate-X`, `.flip-X`, `.verify-X`, `.verify-deferred-X`, the last ones reached
 * through `.flip-X` rather than X). Otherwise `.evaluate-X` stays open and, since it gates X's
 * regular dependents, they would wait for it forever.
 */

const SCAFFOLD_PREFIXES = ['.assign-', '.evaluate-', '.flip-', '.verify-', '.verify-deferred-'] as const;

/** The unfinished system tasks an abandon of `id` takes with it, in graph order. */
export async function abandonCascade(core: StoreCore, id: string): Promise<TaskState[]> {
  const named = SCAFFOLD_PREFIXES.map((prefix) => `${prefix}${id}`);
  return core.all<TaskState>(
    core.build
      .selectFrom('tasks')
      .select(['id', 'status', 'assigned'])
      .where('status', 'not in', ['done', 'failed', 'abandoned'])
      .where((eb) =>
        eb.or([
          core.fn.inList(sql.ref('id'), named),
          eb.and([
            sql<boolean>`substr(id, 1, 1) = '.'`,
            eb(
              'id',
              'in',
              eb
                .selectFrom('deps')
                .select('task_id')
                .where('dep_id', '=', id)
                .union(eb.selectFrom('loose_deps').select('task_id').where('dep_id', '=', id)),
            ),
          ]),
        ]),
      )
      .orderBy('seq'),
  );
}

/** Upstream's words for a task abandoned with its parent. */
export const cascadeReason = (parent: string) => `Parent task '${parent}' was abandoned`;
export const cascadeLogLine = (parent: string) => `Auto-abandoned: parent '${parent}' was abandoned`;
