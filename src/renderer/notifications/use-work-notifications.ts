import { useEffect, useRef } from 'react';
import { useGraphStore } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import { showDesktopNotification } from './desktop-notifications';
import { useToasts } from './toasts';
import { type Notice, workNotices } from './work-notices';

/** The one toast failures are told in while it shows (see `failedToast`). */
const FAILED_KEY = 'task-failed';

/**
 * Tells the user when a task fails and when no work is left (all done, or stopped short): a toast, and a desktop notification if allowed.
 * Failures that come while a failure toast shows are added to it ("8 tasks failed") rather than stacked: eight
 * failures in a row would otherwise cover the board's right-hand columns with toasts saying one thing each.
 */
export function useWorkNotifications(): void {
  const store = useGraphStore();
  const toasts = useToasts();
  const { selectTask, goTo } = useNavigation();
  // The failures the showing failure toast counts, oldest first; emptied when it goes.
  const failed = useRef<Failure[]>([]);
  useEffect(
    () =>
      store.listen((next, previous) => {
        for (const notice of workNotices(previous, next)) {
          const taskId = notice.taskId;
          if (notice.kind === 'dispatch') {
            // One toast per reason at a time: the same dispatch error replaces the one showing.
            toasts.push({
              tone: 'error',
              title: notice.title,
              body: notice.body,
              key: `dispatch:${notice.body}`,
              action: { label: 'Service page', run: () => goTo('service') },
            });
            showDesktopNotification(notice.title, notice.body);
          } else if (notice.kind === 'failed') {
            failed.current = [...failed.current, { title: next.tasks.get(taskId ?? '')?.title ?? taskId ?? '', notice }];
            const told = failedToast(failed.current);
            toasts.push({
              tone: 'error',
              ...told,
              key: FAILED_KEY,
              action: taskId ? { label: 'Show', run: () => selectTask(taskId, true) } : undefined,
              // Not called when a later failure updates it (its onClose replaces this one): only when it has gone.
              onClose: () => {
                failed.current = [];
              },
            });
            showDesktopNotification(told.title, told.body, FAILED_KEY);
          } else {
            // Green only when all of it is done: work stopped short is not a success.
            toasts.push({ tone: notice.kind === 'all-done' ? 'success' : 'info', title: notice.title, body: notice.body });
            showDesktopNotification(notice.title, notice.body);
          }
        }
      }),
    [store, toasts, selectTask, goTo],
  );
}

interface Failure {
  /** The task's own title, for "Latest: …". */
  title: string;
  notice: Notice;
}

/** "Task failed: Build" with its reason; after more, "3 tasks failed" with the latest one's title and reason (Show opens it). */
function failedToast(failures: readonly Failure[]): { title: string; body: string } {
  const latest = failures.at(-1);
  if (!latest) return { title: '', body: '' };
  if (failures.length === 1) return { title: latest.notice.title, body: latest.notice.body };
  return { title: `${failures.length} tasks failed`, body: `Latest: “${latest.title}”: ${latest.notice.body}` };
}
