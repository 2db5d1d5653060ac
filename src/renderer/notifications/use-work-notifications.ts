import { useEffect } from 'react';
import { useGraphStore } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import { showDesktopNotification } from './desktop-notifications';
import { useToasts } from './toasts';
import { workNotices } from './work-notices';

/** Tells the user when a task fails and when all work is done: a toast, and a desktop notification if allowed. */
export function useWorkNotifications(): void {
  const store = useGraphStore();
  const toasts = useToasts();
  const { selectTask, goTo } = useNavigation();
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
          } else {
            toasts.push({
              tone: notice.kind === 'failed' ? 'error' : 'success',
              title: notice.title,
              body: notice.body,
              action: taskId ? { label: 'Show', run: () => selectTask(taskId, true) } : undefined,
            });
          }
          showDesktopNotification(notice.title, notice.body);
        }
      }),
    [store, toasts, selectTask, goTo],
  );
}
