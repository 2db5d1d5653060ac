import { useEffect } from 'react';
import { useBackend } from '../api/backend-context';
import { useNavigation } from '../state/navigation';

/** Main asks to show a task (a click on the tray's Needs you or on a desktop notice): the graph, with it opened. */
export function useShownTask(): void {
  const app = useBackend().app;
  const { selectTask } = useNavigation();
  useEffect(() => app?.onShowTask((taskId) => selectTask(taskId, true)), [app, selectTask]);
}
