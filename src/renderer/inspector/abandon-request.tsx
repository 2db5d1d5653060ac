import type { Task } from '../../shared/task';
import type { ConfirmRequest } from '../components/confirm';

/** What Abandon asks, from the inspector's button or Delete on a card: the same words in both places. */
export function abandonRequest(task: Pick<Task, 'title'>): ConfirmRequest {
  return {
    title: `Abandon “${task.title}”?`,
    body: <p>It will not run again, and tasks that depend on it may start, as if it were done. Retry brings it back.</p>,
    confirmLabel: 'Abandon task',
    danger: true,
    reason: { label: 'Why (kept in its log)', required: false },
  };
}
