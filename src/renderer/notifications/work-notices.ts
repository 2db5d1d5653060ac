import { AWAITING_EVALUATION, STARTABLE_STATUSES, type Task } from '../../shared/task';
import { plainText } from '../output/plain-text';
import type { GraphState } from '../state/graph-store';

export interface Notice {
  kind: 'failed' | 'dispatch' | 'all-done';
  title: string;
  body: string;
  taskId?: string;
}

/** How the coordinator words a task it could not start (a missing executor, no command): see settle.ts. */
export const CANNOT_LAUNCH = 'cannot launch: ';

/** Work that will still happen by itself: running, waiting for evaluation, or open and not paused. */
function isPending(task: Task): boolean {
  return (
    task.status === 'in-progress' || AWAITING_EVALUATION.includes(task.status) || (STARTABLE_STATUSES.includes(task.status) && !task.paused)
  );
}

function hasPendingWork(tasks: ReadonlyMap<string, Task>): boolean {
  for (const task of tasks.values()) if (isPending(task)) return true;
  return false;
}

/**
 * What to tell the user about a store update: each task that just failed, and "all work done"
 * when the last pending task finished. The first snapshot only sets the baseline.
 */
export function workNotices(previous: GraphState, next: GraphState): Notice[] {
  if (!previous.loaded) return [];
  const notices: Notice[] = [];
  // Tasks that could not even start share one notice per reason: a bad default executor fails
  // every ready task at once, and a hundred toasts would say one thing.
  const dispatch = new Map<string, Task[]>();
  for (const task of next.tasks.values()) {
    const before = previous.tasks.get(task.id);
    if (task.status !== 'failed' || !before || before.status === 'failed') continue;
    const reason = plainText(task.failure_reason ?? '');
    if (reason.startsWith(CANNOT_LAUNCH)) {
      const list = dispatch.get(reason) ?? [];
      list.push(task);
      dispatch.set(reason, list);
      continue;
    }
    notices.push({ kind: 'failed', title: `Task failed: ${task.title}`, body: reason || task.id, taskId: task.id });
  }
  for (const [reason, failed] of dispatch) {
    const first = failed[0] as Task;
    notices.push({
      kind: 'dispatch',
      title: failed.length === 1 ? `Could not start “${first.title}”` : `Could not start ${failed.length} tasks`,
      body: reason.slice(CANNOT_LAUNCH.length),
      taskId: first.id,
    });
  }
  if (hasPendingWork(previous.tasks) && !hasPendingWork(next.tasks)) {
    let done = 0;
    let failed = 0;
    for (const task of next.tasks.values()) {
      if (task.status === 'done') done++;
      else if (task.status === 'failed') failed++;
    }
    notices.push({
      kind: 'all-done',
      title: 'All work is done',
      body: `${done} done${failed > 0 ? `, ${failed} failed` : ''}`,
    });
  }
  return notices;
}
