import type { Task } from '../../shared/task';
import { hasWorkLeft, workEnd } from '../../shared/work-end';
import { plainText } from '../output/plain-text';
import type { GraphState } from '../state/graph-store';
import { changedSince } from '../state/task-changes';

export interface Notice {
  kind: 'failed' | 'dispatch' | 'all-done' | 'work-stopped';
  title: string;
  body: string;
  taskId?: string;
}

/** How the coordinator words a task it could not start (a missing executor, no command): see settle.ts. */
export const CANNOT_LAUNCH = 'cannot launch: ';

/**
 * What to tell the user about a store update: each task that just failed, and once nothing is left that will
 * happen by itself, that all work is done or what stopped it. The first snapshot only sets the baseline.
 */
export function workNotices(previous: GraphState, next: GraphState): Notice[] {
  if (!previous.loaded) return [];
  const notices: Notice[] = [];
  // Tasks that could not even start share one notice per reason: a bad default executor fails
  // every ready task at once, and a hundred toasts would say one thing.
  const dispatch = new Map<string, Task[]>();
  // Only the tasks the change brought (task-changes.ts), else every one: a status change of a 50,000-task plan walked
  // every task here.
  for (const id of changedSince(previous.tasks, next.tasks) ?? next.tasks.keys()) {
    const task = next.tasks.get(id);
    const before = previous.tasks.get(id);
    if (task?.status !== 'failed' || !before || before.status === 'failed') continue;
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
  // "All work is done" only when it all is; else what stopped it, as the desktop notification says (notify-decision.ts).
  if (next.tasks.size > 0 && hasWorkLeft(previous.tasks) && !hasWorkLeft(next.tasks)) notices.push(workEnd([...next.tasks.values()]));
  return notices;
}
