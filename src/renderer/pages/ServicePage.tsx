import { useCallback } from 'react';
import { useClient } from '../api/backend-context';
import { StartWaitText } from '../graph/PauseBanner';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatDuration } from '../components/format';
import { RelativeTime } from '../components/RelativeTime';
import { CANNOT_LAUNCH } from '../notifications/work-notices';
import { plainText } from '../output/plain-text';
import { useGraph } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import { useMutation } from '../hooks/use-mutation';
import { useOpQuery } from '../hooks/use-op-query';
import { ConnectCoordinatorForm } from './service/ConnectCoordinatorForm';

const REFRESH_MS = 5000;

/** The coordinator: running or not, counts, tasks it could not start, recent errors; pause and resume spawning. */
export function ServicePage() {
  const client = useClient();
  const { tasks } = useGraph();
  const { selectTask, goTo } = useNavigation();
  const unstartable = [...tasks.values()].filter((task) => task.status === 'failed' && task.failure_reason?.startsWith(CANNOT_LAUNCH));
  const query = useOpQuery(
    useCallback(() => client['service:status']({}), [client]),
    {
      onChange: true,
      intervalMs: REFRESH_MS,
    },
  );
  const mutation = useMutation();
  const status = query.data;
  const waits = status?.waiting ?? [];

  return (
    <div className="page">
      <header className="page-head">
        <h1>Service</h1>
        {status?.running && (
          <button
            type="button"
            className={status.paused ? 'primary' : ''}
            // The same words as the banner over the graph and the tray: what it does is its title.
            title={status.paused ? 'Start agents on ready tasks again' : 'Start no new agents; those running go on'}
            disabled={mutation.pending}
            onClick={() =>
              void mutation.run(async () => {
                await (status.paused ? client['service:resume']({}) : client['service:pause']({}));
                await query.reload();
              })
            }
          >
            {status.paused ? 'Resume' : 'Pause'}
          </button>
        )}
      </header>
      <ErrorAlert message={query.error ?? mutation.error} onDismiss={mutation.clearError} />
      {status && (
        <>
          <dl className="facts card" aria-label="Service status">
            <div className="fact">
              <dt>State</dt>
              <dd>{!status.running ? 'stopped' : status.paused ? 'running, paused (no new agents)' : 'running'}</dd>
            </div>
            <div className="fact">
              <dt>PID</dt>
              <dd>{status.pid ?? '—'}</dd>
            </div>
            <div className="fact">
              <dt>Started</dt>
              <dd>
                <RelativeTime iso={status.started_at} />
              </dd>
            </div>
            <div className="fact">
              <dt>Uptime</dt>
              <dd>{status.uptime_seconds === null ? '—' : formatDuration(status.uptime_seconds)}</dd>
            </div>
            <div className="fact">
              <dt>Max agents</dt>
              <dd>{status.max_agents}</dd>
            </div>
            <div className="fact">
              <dt>Agents</dt>
              <dd>
                {status.store_problem
                  ? `not known: the store cannot be read now (${status.store_problem})`
                  : `${status.agents.working} working · ${status.agents.done} done · ${status.agents.failed} failed · ${status.agents.dead} dead${status.agents.killed === undefined ? '' : ` · ${status.agents.killed} killed`}`}
              </dd>
            </div>
            {status.database_outage && (
              <div className="fact">
                <dt>Database</dt>
                <dd role="status">
                  cannot be reached since <RelativeTime iso={status.database_outage.since} /> (
                  {plainText(status.database_outage.last_error)}); runs and agent daemons' jobs go on
                  {status.database_outage.waiting > 0 ? `, ${status.database_outage.waiting} write(s) wait for it` : ''}
                </dd>
              </div>
            )}
            <div className="fact">
              <dt>Address</dt>
              <dd className="mono">{status.url?.replace(/#.*$/, '') ?? '—'}</dd>
            </div>
          </dl>
          <section className="card" aria-label="Tasks that could not start">
            <h2>Tasks that could not start</h2>
            {/* Ready tasks held for what this machine lacks (the agent CLI, a first commit): not failed, and said here too. */}
            {waits.length > 0 && (
              <ul className="plain-list" aria-label="Waiting to start">
                {waits.map((wait) => (
                  <li key={wait.reason}>
                    <StartWaitText wait={wait} />
                  </li>
                ))}
              </ul>
            )}
            {unstartable.length === 0 ? (
              waits.length === 0 && <p className="muted">None.</p>
            ) : (
              <>
                <p className="muted small">
                  The coordinator could not launch these (an executor that does not exist, a shell task without a command…). Fix the task or
                  its{' '}
                  <button type="button" className="link-button" onClick={() => goTo('executors')}>
                    executor
                  </button>
                  , then Retry it.
                </p>
                <ul className="plain-list">
                  {unstartable.slice(0, 50).map((task) => (
                    <li key={task.id}>
                      <button type="button" className="link-button" onClick={() => selectTask(task.id, true)}>
                        {task.title}
                      </button>
                      <span className="error-text"> {plainText(task.failure_reason ?? '').slice(CANNOT_LAUNCH.length)}</span>
                    </li>
                  ))}
                </ul>
                {unstartable.length > 50 && <p className="muted small">and {unstartable.length - 50} more</p>}
              </>
            )}
          </section>
          <section className="card" aria-label="Recent errors">
            <h2>Recent errors</h2>
            {status.recent_errors.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <ol className="timeline">
                {status.recent_errors.map((error, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: errors have no id and their rows no state: a row keyed by place only shows other text
                  <li key={index} className="timeline-entry">
                    <div className="timeline-meta">
                      <RelativeTime iso={error.timestamp} />
                    </div>
                    <div className="timeline-message error-text">{error.message}</div>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
      {/* Only the desktop app can switch what it is connected to; a browser page belongs to its server. */}
      {window.wgApp && <ConnectCoordinatorForm app={window.wgApp} />}
    </div>
  );
}
