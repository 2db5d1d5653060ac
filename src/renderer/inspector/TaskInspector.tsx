import { useMemo, useState, type CSSProperties, type ReactNode, type Ref } from 'react';
import { SATISFYING_STATUSES, type Task } from '../../shared/task';
import { agentOfTask } from '../state/agent-of-task';
import { KeptDependents } from '../state/dependents';
import { useGraph } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import { STATE_LABELS, type TaskState } from '../task-state/task-state';
import { ArtifactsAndResults } from './ArtifactsAndResults';
import { DependencyLinks } from './DependencyLinks';
import { EvaluationBars } from './EvaluationBars';
import { LogTimeline } from './LogTimeline';
import { PendingEvaluation } from './PendingEvaluation';
import { TaskActions } from './TaskActions';
import { TaskDescription } from './TaskDescription';
import { TaskFacts } from './TaskFacts';
import { TaskMessages } from './TaskMessages';
import { WorktreeSection } from '../worktrees/WorktreeSection';

interface TaskInspectorProps {
  taskId: string;
  /** What the task is doing or waiting for (task-state.ts); absent outside the graph page. */
  state?: TaskState;
  onEdit: () => void;
  onClose: () => void;
  /** On the graph page: show only this task and what is a few steps around it (again: all). */
  onFocus?: () => void;
  focused?: boolean;
  ref?: Ref<HTMLElement>;
}

/** Everything about one task, live from the graph store, with the actions that change it. Escape closes it. */
export function TaskInspector({ taskId, state, onEdit, onClose, onFocus, focused = false, ref }: TaskInspectorProps) {
  const { tasks, agents } = useGraph();
  const { selectTask, openOutput } = useNavigation();
  // Kept from one graph to the next: only the tasks that changed are read again.
  const [keptDependents] = useState(() => new KeptDependents());
  const requiredBy = useMemo(() => keptDependents.update(tasks), [keptDependents, tasks]);
  const task = tasks.get(taskId);
  if (!task) {
    return (
      <aside className="inspector" aria-label="Task inspector" ref={ref}>
        <p className="muted">Task {taskId} is not in the graph.</p>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </aside>
    );
  }
  const agent = agentOfTask(task, agents);
  const open = (id: string) => selectTask(id, true);

  return (
    <aside className="inspector" aria-label="Task inspector" ref={ref} data-task={task.id}>
      <header className="inspector-head">
        <div className="inspector-heading">
          <h2 className="inspector-title" tabIndex={-1}>
            {task.title}
          </h2>
          <div className="muted small">{task.id}</div>
          {state && (
            <div className="inspector-state" data-state={state.kind} style={{ '--state': `var(--state-${state.kind})` } as CSSProperties}>
              <span className="state-dot" aria-hidden="true" />
              <span>
                {/* A failure's reason is among the facts below, whole: not said twice (here it was cut). */}
                {reasonBelow(task, state) ? STATE_LABELS[state.kind] : state.text}
                {state.detail && state.needs !== 'unblock' && <span className="inspector-state-detail">: {state.detail}</span>}
              </span>
            </div>
          )}
        </div>
        <div className="button-row">
          <button type="button" onClick={onEdit}>
            Edit
          </button>
          {onFocus && (
            <button
              type="button"
              aria-pressed={focused}
              title={focused ? 'Show every task again (.)' : 'Show only this task and what is a few steps before or after it (.)'}
              onClick={onFocus}
            >
              Focus
            </button>
          )}
          <button type="button" className="icon-button" aria-label="Close inspector" title="Close (Escape)" onClick={onClose}>
            ×
          </button>
        </div>
      </header>

      <TaskActions task={task} agent={agent} waitsFor={unfinishedDependencies(task, tasks)} needs={state?.needs} />
      <TaskFacts task={task} agent={agent} onOpenOutput={openOutput} />

      <WorktreeSection task={task} />

      <Section title="Messages">
        <TaskMessages taskId={task.id} agent={agent} />
      </Section>

      <Section title="Description">
        <TaskDescription markdown={task.description} />
      </Section>
      <Section title="Dependencies">
        {/* Keyed by the task: another task's lists start again from their first links. */}
        <DependencyLinks key={`after-${task.id}`} label="Depends on" ids={task.after} tasks={tasks} onOpen={open} />
        <DependencyLinks key={`before-${task.id}`} label="Required by" ids={requiredBy.get(task.id) ?? []} tasks={tasks} onOpen={open} />
      </Section>
      <Section title="Evaluation">
        {task.status === 'pending-eval' && <PendingEvaluation task={task} />}
        {task.evaluation ? (
          <EvaluationBars evaluation={task.evaluation} />
        ) : (
          task.status !== 'pending-eval' && <p className="muted">Not evaluated.</p>
        )}
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

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="inspector-section" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/**
 * The titles of what it depends on that is not done or abandoned yet: it cannot be marked done before them (an
 * upstream loop's back edge aside, as `wg done` leaves it aside).
 */
function unfinishedDependencies(task: Task, tasks: ReadonlyMap<string, Task>): string[] {
  return task.after.flatMap((id) => {
    const dependency = tasks.get(id);
    return dependency && !SATISFYING_STATUSES.includes(dependency.status) && !task.loop_back.includes(id) ? [dependency.title] : [];
  });
}

/** A failed or abandoned task's reason is one of the inspector's facts: its state line says only the state. */
function reasonBelow(task: Task, state: TaskState): boolean {
  return Boolean(task.failure_reason) && (state.kind === 'failed' || state.kind === 'abandoned');
}
