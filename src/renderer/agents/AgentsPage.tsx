import { useCallback, useState } from 'react';
import type { Agent } from '../../shared/agent';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';
import { useOpQuery } from '../hooks/use-op-query';
import { useGraph } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import { useKillAgent } from './use-kill-agent';
import { AGENT_FILTERS, agentListInput, isAgentFilter, type AgentFilter } from './agent-filter';
import { AgentRow } from './AgentRow';
import { useClock } from '../hooks/use-clock';
import { useReportedNow } from '../hooks/use-connection';

/**
 * Runs a page lists at first, and how many more each "Show older runs" adds: a long-lived project has tens of
 * thousands, the page reads its list again at every change of the project, and 36,000 rows took the window 20 s to draw.
 */
export const AGENTS_SHOWN = 300;

/** Every agent run with its task, executor, model, PID, uptime and cost; live ones can be killed. */
export function AgentsPage() {
  const client = useClient();
  const { tasks } = useGraph();
  const { selectTask, openOutput } = useNavigation();
  const [filter, setFilter] = useState<AgentFilter>('all');
  const [shown, setShown] = useState(AGENTS_SHOWN);
  // A working run's time stops where the coordinator was last heard from: it may have ended meanwhile.
  const { now } = useReportedNow(useClock());
  const kill = useMutation();
  const query = useOpQuery(
    useCallback(() => client['agent:list']({ ...agentListInput(filter), limit: shown }), [client, filter, shown]),
    { onChange: true },
  );
  const agents = [...(query.data ?? [])].sort((a, b) => b.started_at.localeCompare(a.started_at));

  const stop = useKillAgent();
  const onKill = (agent: Agent) =>
    void kill.run(async () => {
      if (await stop(agent, tasks.get(agent.task_id)?.title ?? agent.task_id)) await query.reload();
    });

  return (
    <div className="page">
      <header className="page-head">
        <h1>Agents</h1>
        <div className="segmented" role="radiogroup" aria-label="Agent filter">
          {AGENT_FILTERS.map((name) => (
            <label key={name} className={filter === name ? 'active' : ''}>
              <input
                type="radio"
                name="agent-filter"
                value={name}
                checked={filter === name}
                onChange={(e) => isAgentFilter(e.target.value) && setFilter(e.target.value)}
              />
              {name}
            </label>
          ))}
        </div>
      </header>
      <ErrorAlert message={query.error ?? kill.error} onDismiss={kill.clearError} />
      {/* Above the list, where a person starts reading: the list is not the whole history. */}
      {agents.length === shown && (
        <p className="muted">
          Showing the newest {shown} runs.{' '}
          <button type="button" className="link-button" onClick={() => setShown((n) => n + AGENTS_SHOWN)}>
            Show {AGENTS_SHOWN} older runs
          </button>
        </p>
      )}
      {query.loading ? (
        <p className="muted">Loading agents…</p>
      ) : agents.length === 0 ? (
        <p className="muted">No {filter === 'all' ? '' : `${filter} `}agents.</p>
      ) : (
        <table className="table" aria-label="Agents">
          <thead>
            <tr>
              <th>Agent</th>
              <th>State</th>
              <th>Run</th>
              <th>Task</th>
              <th>Executor</th>
              <th>Model</th>
              <th className="num">PID</th>
              <th className="num">Uptime</th>
              <th className="num">Cost</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => (
              <AgentRow
                key={agent.id}
                agent={agent}
                task={tasks.get(agent.task_id)}
                now={now}
                killing={kill.pending}
                onKill={onKill}
                onOpenTask={(id) => selectTask(id, true)}
                onOpenOutput={openOutput}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
