import { isAlive, type Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import { formatCost, formatDuration, formatTokens, secondsBetween } from '../components/format';
import { AgentStatePill } from '../components/StatusPill';
import { RUN_PURPOSE_LABELS } from '../state/agent-of-task';
import { spentNothing } from './run-spend';
import { plainText } from '../output/plain-text';

interface AgentRowProps {
  agent: Agent;
  task: Task | undefined;
  now: number;
  killing: boolean;
  onKill: (agent: Agent) => void;
  onOpenTask: (taskId: string) => void;
  onOpenOutput: (agentId: string, run: Agent) => void;
}

export function AgentRow({ agent, task, now, killing, onKill, onOpenTask, onOpenOutput }: AgentRowProps) {
  const alive = isAlive(agent);
  // Why a run ended badly, where a person scans the list for it (as `wg agents` prints it), not one run's output at a
  // time. A reason that is only the state's own word ("killed") says nothing more.
  const reason = !alive && agent.state !== 'done' && agent.reason ? plainText(agent.reason) : null;
  const saysMore = reason !== null && reason.trim().toLowerCase() !== agent.state;
  return (
    <tr data-agent={agent.id} data-purpose={agent.purpose}>
      <td className="agent-id">
        <button type="button" className="link-button" onClick={() => onOpenOutput(agent.id, agent)} title="Show run output">
          {agent.id}
        </button>
      </td>
      <td>
        <AgentStatePill state={agent.state} />
      </td>
      <td>
        {/* An assigner's, evaluator's or triage run is about the task; it did not do the task's work. */}
        <span className={agent.purpose === 'task' ? 'run-purpose' : 'run-purpose run-purpose-internal'}>
          {RUN_PURPOSE_LABELS[agent.purpose]}
        </span>
      </td>
      <td>
        <button type="button" className="link-button" onClick={() => onOpenTask(agent.task_id)}>
          {task?.title ?? agent.task_id}
        </button>
        {saysMore && (
          <div className="agent-reason" title={reason}>
            {reason}
          </div>
        )}
      </td>
      <td>{agent.executor}</td>
      <td>{agent.model ?? '—'}</td>
      <td className="num">{agent.pid ?? '—'}</td>
      <td className="num">{formatDuration(secondsBetween(agent.started_at, agent.ended_at, now))}</td>
      {spentNothing(agent) ? (
        <td className="num">—</td>
      ) : (
        <td className="num" title={`${agent.tokens_in} in / ${agent.tokens_out} out, ${agent.turns} turns`}>
          {formatCost(agent.cost_usd, agent.tokens_in + agent.tokens_out)}{' '}
          <span className="muted small">{formatTokens(agent.tokens_in + agent.tokens_out)} tok</span>
        </td>
      )}
      <td>
        {alive && (
          <button
            type="button"
            className="danger small-button"
            disabled={killing}
            onClick={() => onKill(agent)}
            aria-label={`Stop ${agent.id}…`}
          >
            Stop…
          </button>
        )}
      </td>
    </tr>
  );
}
