import type { Store } from '../../store/store';
import { appendLog, touch } from '../../store/task-writes';
import { COORDINATOR } from '../settling/settle';
import type { ClaimWaits } from './claim-waits';

/**
 * Says in the task's log why it waits (`what`: the task itself, or its evaluation), with what to do; not again when
 * its last line says so already (a restarted coordinator, refused again, or every turn looking again, with nothing
 * happened to the task since).
 */
export async function noteWaiting(store: Store, taskId: string, waits: ClaimWaits, what = 'Waiting'): Promise<void> {
  const core = store.core;
  const line = `${what}: ${waits.message}; ${waits.until}`;
  if ((await lastLogLine(core, taskId)) === line) return;
  await core.write(async (rev) => {
    await appendLog(core, taskId, COORDINATOR, line);
    await touch(core, taskId, rev);
  });
}

/** The newest line of a task's log (undefined: none). */
export async function lastLogLine(core: Store['core'], taskId: string): Promise<string | undefined> {
  const last = await core.get(
    core.build.selectFrom('task_log').select('message').where('task_id', '=', taskId).orderBy('id', 'desc').limit(1),
  );
  return last?.message;
}
