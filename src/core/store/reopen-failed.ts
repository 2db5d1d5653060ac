import { sql } from 'kysely';
import type { TaskRow } from './rows';
import { clearStaleDownstreamClaims } from './stale-claims';
import type { StoreCore } from './store-core';
import { reopen } from './task-writes';

/**
 * A task opened again for another attempt, as upstream's `wg retry` and `wg recover` open it: its failure, claim and
 * times cleared; a fresh session (its checkpoint with it) unless `preserveSession`; a delay upstream set (ready_after)
 * over; what ended runs still claim downstream let go; a converged loop member taken up again (upstream drops the
 * tag). `countAttempt`: the attempt that ends here counts (a run still in progress), as a `fail` would have counted it.
 * In the caller's transaction; the log line is the caller's.
 */
export async function reopenForRetry(
  core: StoreCore,
  row: TaskRow,
  rev: number,
  options: { preserveSession: boolean; countAttempt: boolean },
): Promise<void> {
  await reopen(core, row, rev, {
    completed_at: null,
    failure_reason: null,
    ...(options.preserveSession ? {} : { session_id: null }),
    ...(options.countAttempt ? { retry_count: row.retry_count + 1 } : {}),
  });
  await core.send(removeExtraKey(core, row.id, 'ready_after'));
  if (!options.preserveSession) await core.send(removeExtraKey(core, row.id, 'checkpoint'));
  await clearStaleDownstreamClaims(core, row.id, rev);
  await core.send(core.build.deleteFrom('task_tags').where('task_id', '=', row.id).where('tag', '=', 'converged'));
}

/** Drops `key` from the task's `extra` where it is there (a task without it is not written). */
function removeExtraKey(core: StoreCore, id: string, key: string) {
  const extra = sql.ref<string>('extra');
  return core.build
    .updateTable('tasks')
    .set({ extra: core.fn.jsonRemove(extra, key) })
    .where('id', '=', id)
    .where(core.fn.jsonText(extra, key), 'is not', null);
}
