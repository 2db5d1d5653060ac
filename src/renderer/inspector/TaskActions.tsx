import { isAlive, type Agent } from '../../shared/agent';
import { TERMINAL_STATUSES, type Task } from '../../shared/task';
import { useKillAgent } from '../agents/use-kill-agent';
import { useClient } from '../api/backend-context';
import { useConfirm } from '../components/confirm';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';
import { abandonRequest, STOPS_ITS_AGENT } from './abandon-request';

/**
 * The buttons that change a task, shown only when they make sense for its status. What cannot be
 * taken back asks first: Fail asks why, Abandon asks (why, optionally), Kill asks whether to
 * requeue or hold. Pausing a running task lets the run finish and keeps the task from starting again.
 */
export function TaskActions({ task, agent, waitsFor = [] }: { task: Task; agent: Agent | null; waitsFor?: readonly string[] }) {
  const client = useClient();
  const confirm = useConfirm();
  const kill = useKillAgent();
  const { run, pending, error, clearError } = useMutation();
  const id = task.id;
  const active = !TERMINAL_STATUSES.includes(task.status);
  const running = task.status === 'in-progress';

  const fail = async () => {
    const answer = await confirm({
      title: `Mark “${task.title}” failed?`,
      body: <p>{running ? STOPS_ITS_AGENT : ''}Tasks that depend on it keep waiting until it is retried and done.</p>,
      confirmLabel: 'Mark failed',
      danger: true,
      reason: { label: 'Reason', required: true, placeholder: 'What went wrong, for whoever retries it' },
    });
    if (answer) await run(() => client['task:fail']({ id, reason: answer.reason }));
  };
  // Marking a running task done stops its run: what it has not saved is lost, so it asks first, as Stop agent does.
  const markDone = async () => {
    if (agent && isAlive(agent)) {
      const answer = await confirm({
        title: `Mark “${task.title}” done while its agent runs?`,
        body: <p>The agent is stopped, and work it has not saved is lost. Tasks that depend on it can start.</p>,
        confirmLabel: 'Stop it and mark done',
        danger: true,
      });
      if (!answer) return;
    }
    await run(() => client['task:done']({ id }));
  };
  const abandon = async () => {
    const answer = await confirm(abandonRequest(task));
    if (answer) await run(() => client['task:abandon']({ id, reason: answer.reason || undefined }));
  };

  const anything = active || task.paused || task.status === 'failed' || task.status === 'abandoned';
  if (!anything && !error) return null;
  return (
    <div className="task-actions">
      <div className="button-row">
        {!task.paused && active && (
          <button
            type="button"
            disabled={pending}
            title={running ? 'The run finishes; the task is not started again until unpaused' : 'It is not started until unpaused'}
            onClick={() => void run(() => client['task:pause']({ id }))}
          >
            {running ? 'Pause after this run' : 'Pause'}
          </button>
        )}
        {task.paused && (
          <button
            type="button"
            disabled={pending}
            title="Let it start when it is ready (wg publish --only: its paused downstream tasks stay paused)"
            onClick={() => void run(() => client['task:publish']({ id, only: true }))}
          >
            Unpause
          </button>
        )}
        {(task.status === 'failed' || task.status === 'abandoned') && (
          <button type="button" disabled={pending} onClick={() => void run(() => client['task:retry']({ id }))}>
            Retry
          </button>
        )}
        {active && (
          <button
            type="button"
            disabled={pending || waitsFor.length > 0}
            title={
              waitsFor.length > 0
                ? `It waits for “${waitsFor[0]}”${waitsFor.length > 1 ? ` and ${waitsFor.length - 1} more` : ''}: those come first`
                : undefined
            }
            onClick={() => void markDone()}
          >
            {agent && isAlive(agent) ? 'Mark done…' : 'Mark done'}
          </button>
        )}
        {active && (
          <button type="button" className="danger" disabled={pending} onClick={() => void fail()}>
            Fail…
          </button>
        )}
        {task.status !== 'done' && task.status !== 'abandoned' && (
          <button type="button" className="danger" disabled={pending} onClick={() => void abandon()}>
            Abandon…
          </button>
        )}
        {agent && isAlive(agent) && (
          <button type="button" className="danger" disabled={pending} onClick={() => void run(() => kill(agent, task.title))}>
            Stop agent…
          </button>
        )}
      </div>
      {task.paused && running && (
        <p className="muted small">Paused: this run finishes, then the task is not started again until unpaused.</p>
      )}
      <ErrorAlert message={error} onDismiss={clearError} />
    </div>
  );
}
