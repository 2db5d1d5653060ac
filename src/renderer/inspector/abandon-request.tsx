import type { Task } from '../../shared/task';
import type { ConfirmRequest } from '../components/confirm';

/** What a person's verb that ends a task (Abandon, Fail) does to the run that holds it: the store ends that run as killed. */
export const STOPS_ITS_AGENT = 'Its agent is stopped, and work it has not saved is lost. ';

/** What Abandon asks, from the inspector's button or Delete on a card: the same words in both places. */
export function abandonRequest(task: Pick<Task, 'title' | 'status'>): ConfirmRequest {
  return {
    title: `Abandon “${task.title}”?`,
    body: (
      <p>
        {task.status === 'in-progress' ? STOPS_ITS_AGENT : ''}It will not run again, and tasks that depend on it may start, as if it were
        done. Retry brings it back.
      </p>
    ),
    confirmLabel: 'Abandon task',
    danger: true,
    reason: { label: 'Why (kept in its log)', required: false },
  };
}
