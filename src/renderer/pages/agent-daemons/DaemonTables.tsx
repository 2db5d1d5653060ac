import type { DaemonJob, AgentDaemonsStatus } from '../../../shared/agent-daemon-types';
import { formatDate, formatDuration, secondsBetween } from '../../components/format';

interface TablesProps {
  status: AgentDaemonsStatus;
  now: number;
  /** What the person is to do for a task, where its state is theirs to move on (shared/needs-you.ts's words). */
  needsYou(taskId: string): string | null;
  onOpenTask(taskId: string): void;
  onOpenOutput(agentId: string): void;
}

type LinkProps = Pick<TablesProps, 'needsYou' | 'onOpenTask' | 'onOpenOutput'>;

function JobLinks({ job, needsYou, onOpenTask, onOpenOutput }: { job: DaemonJob } & LinkProps) {
  return (
    <>
      <button type="button" className="link-button" onClick={() => onOpenOutput(job.agent_id)} title="Show run output">
        {job.agent_id}
      </button>{' '}
      on <TaskLink taskId={job.task_id} needsYou={needsYou} onOpenTask={onOpenTask} />
    </>
  );
}

/** A job's task, and what the person is to do for it where that is theirs: a run on a daemon that ended waiting on them. */
function TaskLink({ taskId, needsYou, onOpenTask }: { taskId: string } & Pick<TablesProps, 'needsYou' | 'onOpenTask'>) {
  const todo = needsYou(taskId);
  return (
    <>
      <button type="button" className="link-button" onClick={() => onOpenTask(taskId)} title="Show the task">
        {taskId}
      </button>
      {todo && <span className="needs-you-mark"> (needs you: {todo})</span>}
    </>
  );
}

/** Connected daemons with their active jobs, tasks waiting for one, and recent results. */
export function DaemonTables({ status, now, needsYou, onOpenTask, onOpenOutput }: TablesProps) {
  const jobsOf = (host: string) => status.active_jobs.filter((job) => job.daemon_host === host);
  return (
    <>
      <section className="card" aria-label="Connected daemons">
        <h2>Connected ({status.daemons.length})</h2>
        {status.daemons.length === 0 ? (
          <p className="muted">
            No agent daemon is connected. On an agent machine: <code>wg agentd</code> with WG_COORDINATOR_URL, WG_AGENT_TOKEN and
            REPO_PATHS.
          </p>
        ) : (
          <table className="table" aria-label="Daemons">
            <thead>
              <tr>
                <th>Host</th>
                <th>Version</th>
                <th>Roles</th>
                <th>Repositories</th>
                <th>CLIs</th>
                <th className="num">Jobs</th>
                <th>Last heartbeat</th>
                <th>Active jobs</th>
              </tr>
            </thead>
            <tbody>
              {status.daemons.map((daemon) => (
                <tr key={daemon.id} data-daemon={daemon.host}>
                  <td>
                    {daemon.host}
                    {daemon.downgraded_until && (
                      <div className="small error-text" title={daemon.downgrade_reason ?? ''}>
                        out of quota until {formatDate(daemon.downgraded_until)}
                      </div>
                    )}
                  </td>
                  <td>{daemon.version}</td>
                  <td>{daemon.roles.join(', ') || 'any'}</td>
                  <td>{daemon.repos.join(', ')}</td>
                  <td>{daemon.clis.map((cli) => `${cli.name} ${cli.version}`).join(', ') || '—'}</td>
                  <td className="num">
                    {daemon.active} / {daemon.capacity}
                  </td>
                  <td>{formatDuration(secondsBetween(daemon.last_heartbeat, null, now))} ago</td>
                  <td>
                    {jobsOf(daemon.host).map((job) => (
                      <div key={job.lease_id}>
                        <JobLinks job={job} needsYou={needsYou} onOpenTask={onOpenTask} onOpenOutput={onOpenOutput} /> ({job.state})
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {status.waiting.length > 0 && (
        <section className="card" aria-label="Waiting for a daemon">
          <h2>Waiting ({status.waiting.length})</h2>
          <ul>
            {status.waiting.map((w) => (
              <li key={w.task_id}>
                <TaskLink taskId={w.task_id} needsYou={needsYou} onOpenTask={onOpenTask} />: {w.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card" aria-label="Recent results">
        <h2>Recent results</h2>
        {status.recent_jobs.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <table className="table" aria-label="Results">
            <thead>
              <tr>
                <th>Run</th>
                <th>Daemon</th>
                <th>Result</th>
                <th className="num">Duration</th>
                <th>Ended</th>
              </tr>
            </thead>
            <tbody>
              {status.recent_jobs.map((job) => (
                <tr key={job.lease_id}>
                  <td>
                    <JobLinks job={job} needsYou={needsYou} onOpenTask={onOpenTask} onOpenOutput={onOpenOutput} />
                  </td>
                  <td>{job.daemon_host}</td>
                  <td className={job.state === 'done' ? '' : 'error-text'} title={job.outcome ?? ''}>
                    {job.state === 'done' ? 'success' : `${job.state}: ${job.outcome ?? ''}`}
                  </td>
                  <td className="num">{job.ended_at ? formatDuration(secondsBetween(job.created_at, job.ended_at)) : '—'}</td>
                  <td>{formatDate(job.ended_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
