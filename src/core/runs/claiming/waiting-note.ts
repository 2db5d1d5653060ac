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
  const last = await core.sql<{ message: string }>('SELECT message FROM task_log WHERE task_id = ? ORDER BY id DESC LIMIT 1').get(taskId);
  if (last?.message === line) return;
  await core.write(async (rev) => {
    await appendLog(core, taskId, COORDINATOR, line);
    await touch(core, taskId, rev);
  });
}
