import { sql } from 'kysely';
import { nextDue, repeats } from '../graph/schedule';
import type { StoreCore } from './store-core';
import { appendLog, reopen } from './task-writes';

const SCHEDULER = 'scheduler';

/**
 * A repeating schedule ("09:00", cron) runs every time it is due: when a run of it ends (done or
 * failed) the task opens again for its next occurrence, in the same transaction, with a fresh retry
 * budget, as upstream's reset_cron_task reopens a done cron task (unassigned, completed_at cleared,
 * last_cron_fire stamped). Each occurrence stays in the log and as its own agent run. A one-off time, a paused task
 * (it opens, but waits) and an abandoned one (terminal, never here) are not repeated.
 * Call right after a task became done or failed; returns the next time, or null when it does not repeat.
 */
export async function rearmSchedule(core: StoreCore, id: string, rev: number): Promise<string | null> {
  const row = (await core.get(
    core.build
      .selectFrom('tasks')
      .select(['status', 'schedule', 'assigned'])
      .where('id', '=', id)
      .where('status', 'in', ['done', 'failed']),
  )) as { status: 'done' | 'failed'; schedule: string | null; assigned: string | null } | undefined;
  if (!row?.schedule || !repeats(row.schedule)) return null;
  let next: string;
  try {
    next = nextDue(row.schedule, core.clock()).toISOString();
  } catch {
    // A schedule that no longer parses (written by hand) ends the repetition rather than the transaction.
    await appendLog(core, id, SCHEDULER, `Schedule '${row.schedule}' is not valid; the task is not repeated`);
    return null;
  }
  await reopen(core, { id, status: row.status, assigned: row.assigned }, rev, {
    completed_at: null,
    failure_reason: null,
    retry_count: 0,
    not_before: next,
  });
  // Upstream's reset_cron_task: when it last fired (kept in extra, as graph.jsonl has it); its next is not_before.
  await core.send(
    core.build
      .updateTable('tasks')
      .set({ extra: core.fn.jsonSetText(sql.ref('extra'), 'last_cron_fire', core.nowIso()) })
      .where('id', '=', id),
  );
  await appendLog(core, id, SCHEDULER, `Run ${row.status}; next run at ${next} (schedule ${row.schedule})`);
  return next;
}
