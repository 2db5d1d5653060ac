import type { TaskRow } from './rows';
import { clearStaleDownstreamClaims } from './stale-claims';
import type { StoreCore } from './store-core';
import { transition } from './task-writes';

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
  await transition(
    core,
    row,
    {
      status: 'open',
      assigned: null,
      started_at: null,
      completed_at: null,
      failure_reason: null,
      ...(options.preserveSession ? {} : { session_id: null }),
      ...(options.countAttempt ? { retry_count: row.retry_count + 1 } : {}),
    },
    rev,
  );
  await core
    .sql("UPDATE tasks SET extra = json_remove(extra, '$.ready_after') WHERE id = ? AND json_extract(extra, '$.ready_after') IS NOT NULL")
    .send(row.id);
  if (!options.preserveSession) {
    await core
      .sql("UPDATE tasks SET extra = json_remove(extra, '$.checkpoint') WHERE id = ? AND json_extract(extra, '$.checkpoint') IS NOT NULL")
      .send(row.id);
  }
  await clearStaleDownstreamClaims(core, row.id, rev);
  await core.sql("DELETE FROM task_tags WHERE task_id = ? AND tag = 'converged'").send(row.id);
}
