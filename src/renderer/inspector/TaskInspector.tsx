import { useMemo, type ReactNode } from 'react';
import { formatCost, formatDate, formatTokens } from '../components/format';
import { StatusPill } from '../components/StatusPill';
import { agentOfTask } from '../state/agent-of-task';
import { dependentsIndex } from '../state/dependents';
import { useGraph } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import { ArtifactsAndResults } from './ArtifactsAndResults';
import { DependencyLinks } from './DependencyLinks';
import { EvaluationBars } from './EvaluationBars';
import { LogTimeline } from './LogTimeline';
import { TaskActions } from './TaskActions';
import { TaskDescription } from './TaskDescription';

interface TaskInspectorProps {
  taskId: string;
  onEdit: () => void;
  onClose: () => void;
}

/** Everything about one task, live from the graph store, with the actions that change it. */
export function TaskInspector({ taskId, onEdit, onClose }: TaskInspectorProps) {
  const { tasks, agents } = useGraph();
  const { selectTask, openOutput } = useNavigation();
  const requiredBy = useMemo(() => dependentsIndex(tasks), [tasks]);
  const task = tasks.get(taskId);
  if (!task) {
    return (
      <aside className="inspector" aria-label="Task inspector">
        <p className="muted">Task {taskId} is not in the graph.</p>
        <button type="button" onClick={onClose}>Close</button>
      </aside>
    );
  }
  const agent = agentOfTask(task, agents);
  const open = (id: string) => selectTask(id, true);

  return (
    <aside className="inspector" aria-label="Task inspector">
      <header className="inspector-head">
        <div>
          <h2 className="inspector-title">{task.title}</h2>
          <div className="muted small">{task.id}</div>
        </div>
        <div className="button-row">
          <button type="button" onClick={onEdit}>Edit</button>
          <button type="button" aria-label="Close inspector" onClick={onClose}>×</button>
        </div>
      </header>

      <dl className="facts">
        <Fact label="Status">
          <StatusPill status={task.status} /> {task.paused && <span className="badge badge-paused">paused</span>}
        </Fact>
        <Fact label="Priority">{task.priority}</Fact>
        <Fact label="Assigned agent">
          {task.assigned ?? '—'}
          {agent && (
            <button type="button" className="link-button" onClick={() => openOutput(agent.id)}>
              {' '}view output
            </button>
          )}
        </Fact>
        <Fact label="Agent identity">{task.agent ?? '—'}</Fact>
        {agent && <Fact label="Executor / model">{`${agent.executor} · ${agent.model ?? task.model ?? 'default'}`}</Fact>}
        {!agent && (task.executor || task.model) && <Fact label="Executor / model">{`${task.executor ?? 'default'} · ${task.model ?? 'default'}`}</Fact>}
        <Fact label="Created">{formatDate(task.created_at)}</Fact>
        <Fact label="Started">{formatDate(task.started_at)}</Fact>
        <Fact label="Completed">{formatDate(task.completed_at)}</Fact>
        <Fact label="Tags">
          {task.tags.length === 0 ? '—' : task.tags.map((tag) => <span key={tag} className="tag">{tag}</span>)}
        </Fact>
        {task.exec && <Fact label="Command"><code>{task.exec}</code></Fact>}
        {task.schedule && <Fact label="Schedule">{task.schedule}</Fact>}
        <Fact label="Retries">{`${task.retry_count} of ${task.max_retries}`}</Fact>
        {(task.cost_usd > 0 || task.tokens_in > 0) && (
          <Fact label="Cost">{`${formatCost(task.cost_usd)} · ${formatTokens(task.tokens_in)} in / ${formatTokens(task.tokens_out)} out`}</Fact>
        )}
        {task.failure_reason && <Fact label="Failure">{task.failure_reason}</Fact>}
      </dl>

      <TaskActions task={task} agent={agent} />

      <Section title="Evaluation">
        {task.evaluation ? <EvaluationBars evaluation={task.evaluation} /> : <p className="muted">Not evaluated.</p>}
      </Section>
      <Section title="Description">
        <TaskDescription markdown={task.description} />
      </Section>
      <Section title="Dependencies">
        <DependencyLinks label="Depends on" ids={task.after} tasks={tasks} onOpen={open} />
        <DependencyLinks label="Required by" ids={requiredBy.get(task.id) ?? []} tasks={tasks} onOpen={open} />
      </Section>
      <Section title="Log">
        <LogTimeline log={task.log} />
      </Section>
      <Section title="Artifacts and results">
        <ArtifactsAndResults artifacts={task.artifacts} results={task.results} />
      </Section>
    </aside>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="inspector-section" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}
