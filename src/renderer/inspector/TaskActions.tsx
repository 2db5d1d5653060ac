import { useState } from 'react';
import { isAlive, type Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';

const OPEN_STATES: ReadonlyArray<Task['status']> = ['open', 'in-progress', 'pending-eval'];

/** The buttons that change a task, shown only when the op makes sense for its status. */
export function TaskActions({ task, agent }: { task: Task; agent: Agent | null }) {
  const client = useClient();
  const { run, pending, error, clearError } = useMutation();
  const [reason, setReason] = useState('');
  const id = task.id;
  const active = OPEN_STATES.includes(task.status);
  const reasonInput = reason.trim() === '' ? undefined : reason.trim();

  return (
    <div className="task-actions">
      <div className="button-row">
        {!task.paused && active && (
          <button type="button" disabled={pending} onClick={() => void run(() => client['task:pause']({ id }))}>
            Pause
          </button>
        )}
        {task.paused && (
          <button type="button" disabled={pending} onClick={() => void run(() => client['task:publish']({ id }))}>
            Publish
          </button>
        )}
        {(task.status === 'failed' || task.status === 'abandoned') && (
          <button type="button" disabled={pending} onClick={() => void run(() => client['task:retry']({ id }))}>
            Retry
          </button>
        )}
        {active && (
          <button type="button" disabled={pending} onClick={() => void run(() => client['task:done']({ id }))}>
            Done
          </button>
        )}
        {active && (
          <button type="button" className="danger" disabled={pending} onClick={() => void run(() => client['task:fail']({ id, reason: reasonInput }))}>
            Fail
          </button>
        )}
        {task.status !== 'done' && task.status !== 'abandoned' && (
          <button type="button" className="danger" disabled={pending} onClick={() => void run(() => client['task:abandon']({ id, reason: reasonInput }))}>
            Abandon
          </button>
        )}
        {agent && isAlive(agent) && (
          <button type="button" className="danger" disabled={pending} onClick={() => void run(() => client['agent:kill']({ id: agent.id }))}>
            Kill agent
          </button>
        )}
      </div>
      {active && (
        <input
          className="reason-input"
          placeholder="Reason (for fail or abandon)"
          aria-label="Reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      )}
      <ErrorAlert message={error} onDismiss={clearError} />
    </div>
  );
}
