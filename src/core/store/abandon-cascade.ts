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
  return core
    .sql<TaskState>(
      `SELECT id, status, assigned FROM tasks
     WHERE status NOT IN ('done', 'failed', 'abandoned') AND (
       id IN (SELECT value FROM json_each(?))
       OR (substr(id, 1, 1) = '.' AND id IN (SELECT task_id FROM deps WHERE dep_id = ? UNION SELECT task_id FROM loose_deps WHERE dep_id = ?)))
     ORDER BY seq`,
    )
    .all(JSON.stringify(named), id, id);
}

/** Upstream's words for a task abandoned with its parent. */
export const cascadeReason = (parent: string) => `Parent task '${parent}' was abandoned`;
export const cascadeLogLine = (parent: string) => `Auto-abandoned: parent '${parent}' was abandoned`;
