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
  const { selectTask } = useNavigation();
  useEffect(
    () =>
      store.listen((next, previous) => {
        for (const notice of workNotices(previous, next)) {
          const taskId = notice.taskId;
          toasts.push({
            tone: notice.kind === 'failed' ? 'error' : 'success',
            title: notice.title,
            body: notice.body,
            action: taskId ? { label: 'Show', run: () => selectTask(taskId, true) } : undefined,
          });
          showDesktopNotification(notice.title, notice.body);
        }
      }),
    [store, toasts, selectTask],
  );
}
