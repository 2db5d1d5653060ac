import { sql } from 'kysely';
import type { JsonValue, TaskStatus } from '../../shared/task';
import { dependencyBlocks, isStartable, readyAfterMs } from '../graph/readiness';
import { dependencyView } from './dependency-writes';
import type { TaskRow } from './rows';
import type { StoreCore } from './store-core';

/** Why a task in this status cannot be claimed at all (as upstream's `wg claim` says). */
const NOT_CLAIMABLE: Partial<Record<TaskStatus, string>> = {
  'in-progress': 'is already in progress',
  waiting: 'is waiting on a condition',
  done: 'is already done',
  failed: "failed; reopen it with 'wg retry' first",
  abandoned: 'is abandoned',
  'pending-validation': 'is waiting for validation',
  'pending-eval': 'is waiting for its evaluation',
  'failed-pending-eval': 'is waiting for its rescue evaluation',
};

/** The dependencies that hold the task back, named (an id not in the graph counts too). */
async function waitingFor(core: StoreCore, row: TaskRow): Promise<string[]> {
  const deps = await core.all(
    sql<{ id: string; status: TaskStatus | null }>`SELECT d.dep_id AS id, u.status AS status FROM deps d
       LEFT JOIN tasks u ON u.id = d.dep_id WHERE d.task_id = ${row.id}
     UNION ALL SELECT dep_id AS id, NULL AS status FROM loose_deps WHERE task_id = ${row.id} AND kind = 'missing'`,
  );
  const names: string[] = [];
  for (const dep of await Promise.all(deps.map((d) => dependencyView(core, d)))) {
    if (!dependencyBlocks(dep, row.id)) continue;
    if (dep.status === null) names.push(`${dep.id} (not in the graph)`);
    else names.push(dep.workToMerge ? `${dep.id} (done; its agent's work is merged when its run ends)` : `${dep.id} (${dep.status})`);
  }
  return names;
}

/**
 * Why `wg claim` refuses this task, or null when it may be claimed. Without `force` only a ready
 * task may be (the coordinator's rule: an agent must not start before what it builds on is done).
 */
export async function claimRefusal(core: StoreCore, row: TaskRow, force: boolean): Promise<string | null> {
  // Who holds it, and how to free it, as upstream says: the person asking most likely wants to take it over.
  if (row.status === 'in-progress' && row.assigned)
    return `task '${row.id}' is already claimed by ${row.assigned}; 'wg unclaim ${row.id}' releases it`;
  const why = NOT_CLAIMABLE[row.status];
  if (why) return `task '${row.id}' ${why}`;
  if (force) return null;
  const hint = '; claim it anyway with --force';
  if (!isStartable(row.status)) return `task '${row.id}' is ${row.status}, not ready${hint}`;
  if (row.paused) return `task '${row.id}' is paused (wg publish ${row.id} to release it)${hint}`;
  if (row.blockers > 0) {
    const names = await waitingFor(core, row);
    return `task '${row.id}' is not ready: it waits for ${names.length > 0 ? names.join(', ') : 'its dependencies'}${hint}`;
  }
  if (row.not_before !== null && row.not_before > core.nowIso()) return `task '${row.id}' is not due until ${row.not_before}${hint}`;
  // Most rows keep no upstream fields: their `extra` is not parsed.
  const readyAfter = row.extra === '{}' ? null : readyAfterMs(JSON.parse(row.extra) as Record<string, JsonValue>);
  if (readyAfter !== null && readyAfter > core.clock().getTime())
    return `task '${row.id}' is not due until ${new Date(readyAfter).toISOString()} (its ready_after)${hint}`;
  return null;
}
