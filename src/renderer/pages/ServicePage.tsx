import { useCallback } from 'react';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatDate, formatDuration } from '../components/format';
import { useMutation } from '../hooks/use-mutation';
import { useOpQuery } from '../hooks/use-op-query';

const REFRESH_MS = 5000;

/** The coordinator: running or not, counts, recent errors; pause and resume spawning. */
export function ServicePage() {
  const client = useClient();
  const query = useOpQuery(useCallback(() => client['service:status']({}), [client]), {
    onChange: true,
    intervalMs: REFRESH_MS,
  });
  const mutation = useMutation();
  const status = query.data;

  return (
    <div className="page">
      <header className="page-head">
        <h1>Service</h1>
        {status?.running && (
          <button
            type="button"
            className={status.paused ? 'primary' : ''}
            disabled={mutation.pending}
            onClick={() =>
              void mutation.run(async () => {
                await (status.paused ? client['service:resume']({}) : client['service:pause']({}));
                await query.reload();
              })
            }
          >
            {status.paused ? 'Resume spawning' : 'Pause spawning'}
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
            <div className="fact"><dt>PID</dt><dd>{status.pid ?? '—'}</dd></div>
            <div className="fact"><dt>Started</dt><dd>{formatDate(status.started_at)}</dd></div>
            <div className="fact">
              <dt>Uptime</dt>
              <dd>{status.uptime_seconds === null ? '—' : formatDuration(status.uptime_seconds)}</dd>
            </div>
            <div className="fact"><dt>Max agents</dt><dd>{status.max_agents}</dd></div>
            <div className="fact">
              <dt>Agents</dt>
              <dd>
                {status.agents.working} working · {status.agents.done} done · {status.agents.failed} failed ·{' '}
                {status.agents.dead} dead
              </dd>
            </div>
            <div className="fact"><dt>Address</dt><dd className="mono">{status.url?.replace(/#.*$/, '') ?? '—'}</dd></div>
          </dl>
          <section className="card" aria-label="Recent errors">
            <h2>Recent errors</h2>
            {status.recent_errors.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <ol className="timeline">
                {status.recent_errors.map((error, index) => (
                  <li key={index} className="timeline-entry">
                    <div className="timeline-meta"><time dateTime={error.timestamp}>{formatDate(error.timestamp)}</time></div>
                    <div className="timeline-message error-text">{error.message}</div>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </div>
  );
}
