import { memo } from 'react';
import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import { STATUS_COLOURS, percent, scoreColour } from '../components/status';

interface TaskCardProps {
  task: Task;
  agent: Agent | null;
}

/** The face of a task in the graph: status colour, title, agent, model and evaluation. */
export const TaskCard = memo(function TaskCard({ task, agent }: TaskCardProps) {
  const model = task.model ?? agent?.model ?? null;
  const agentName = task.assigned ?? agent?.id ?? null;
  return (
    <div className="task-card" data-status={task.status} style={{ borderLeftColor: STATUS_COLOURS[task.status] }}>
      <div className="task-card-head">
        <span className="task-card-status" style={{ color: STATUS_COLOURS[task.status] }}>
          {task.status}
        </span>
        {task.paused && <span className="badge badge-paused">paused</span>}
        {task.priority !== 'normal' && <span className={`badge badge-${task.priority}`}>{task.priority}</span>}
        {task.evaluation && (
          <span
            className="badge badge-eval"
            title={`evaluation ${task.evaluation.score}`}
            style={{ background: scoreColour(task.evaluation.score) }}
          >
            {percent(task.evaluation.score)}
          </span>
        )}
      </div>
      <div className="task-card-title" title={task.title}>
        {task.title}
      </div>
      <div className="task-card-foot">
        <span className="task-card-agent" title="assigned agent">
          {agentName ? `⚙ ${agentName}` : task.id}
        </span>
        {model && (
          <span className="task-card-model" title="model">
            {model}
          </span>
        )}
      </div>
    </div>
  );
});
