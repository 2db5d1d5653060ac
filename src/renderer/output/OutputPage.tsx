import { isAlive } from '../../shared/agent';
import { formatCost, formatTokens } from '../components/format';
import { AgentStatePill } from '../components/StatusPill';
import { useGraph } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import { TaskMessages } from '../inspector/TaskMessages';
import { plainText } from './plain-text';
import { RunOutputView } from './RunOutputView';
import { useEventWindow } from './use-event-window';
import { spentNothing } from '../agents/run-spend';

const PICKER_LIMIT = 500;

/** One agent run's normalized output, picked from the graph's current runs (or opened from the Agents page). */
export function OutputPage() {
  const { agents, tasks } = useGraph();
  const { outputAgent, outputRun, openOutput, selectTask } = useNavigation();
  const sorted = [...agents.values()].sort((a, b) => b.started_at.localeCompare(a.started_at));
  const agentId = outputAgent ?? sorted.find(isAlive)?.id ?? sorted[0]?.id ?? null;
  // An older run opened from the Agents page is not among the graph's current runs: that page gave it whole.
  const agent = agentId ? (agents.get(agentId) ?? (outputRun?.id === agentId ? outputRun : undefined)) : undefined;
  const events = useEventWindow(agentId);

  return (
    <div className="page output-page">
      <header className="page-head">
        <h1>Run output</h1>
        {/* With no run yet there is nothing to pick: an empty picker read as one that failed to load. */}
        {agentId && (
          <select aria-label="Agent" value={agentId} onChange={(e) => openOutput(e.target.value)}>
            {!agents.has(agentId) && (
              <option value={agentId}>
                {agent ? `${agent.id} · ${agent.state} · ${tasks.get(agent.task_id)?.title ?? agent.task_id}` : agentId}
              </option>
            )}
            {sorted.slice(0, PICKER_LIMIT).map((a) => (
              <option key={a.id} value={a.id}>
                {a.id} · {a.state} · {tasks.get(a.task_id)?.title ?? a.task_id}
              </option>
            ))}
          </select>
        )}
      </header>
      {agent && (
        <div className="agent-summary">
          <AgentStatePill state={agent.state} />
          <button type="button" className="link-button" onClick={() => selectTask(agent.task_id, true)}>
            {tasks.get(agent.task_id)?.title ?? agent.task_id}
          </button>
          <span>{agent.executor}</span>
          {!spentNothing(agent) && (
            <>
              <span>{agent.model ?? 'default model'}</span>
              <span>{formatCost(agent.cost_usd, agent.tokens_in + agent.tokens_out)}</span>
              <span>
                {formatTokens(agent.tokens_in)} in / {formatTokens(agent.tokens_out)} out
              </span>
            </>
          )}
          {/* A reason that is only the state's own word ("killed") beside the state's pill says it twice. */}
          {agent.reason && plainText(agent.reason).trim().toLowerCase() !== agent.state && (
            <span className="muted">{plainText(agent.reason)}</span>
          )}
        </div>
      )}
      {!agentId && <p className="muted">No agent has run yet.</p>}
      {events && <RunOutputView key={agentId} events={events} ended={agent !== undefined && !isAlive(agent)} />}
      {/* A run whose task was removed from the graph (wg gc) has nobody to leave a message for. */}
      {agent && tasks.has(agent.task_id) && (
        <section className="output-messages" aria-label="Messages">
          <TaskMessages taskId={agent.task_id} agent={agent} />
        </section>
      )}
    </div>
  );
}
