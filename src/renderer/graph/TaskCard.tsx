import { memo, type CSSProperties } from 'react';
import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import { formatDuration, secondsBetween } from '../components/format';
import { percent, scoreColour } from '../components/status';
import { useClock } from '../hooks/use-clock';
import { useReportedNow } from '../hooks/use-connection';
import { useEvalThreshold } from '../state/project-facts';
import type { TaskState } from '../task-state/task-state';
import { IdentityLabel } from '../agency/IdentityLabel';
import { RUN_PURPOSE_LABELS } from '../state/agent-of-task';
import { hasNeedsYouActions, NeedsYouActions } from '../inspector/NeedsYouActions';
import { titleLines } from './title-lines';
import { useChatMarked } from '../chat/chat-highlights';

interface TaskCardProps {
  task: Task;
  /** The run that did (or does) the task's work: its model is the one the chip shows. */
  agent: Agent | null;
  /** An assigner, evaluator or triage run working on the task now: shown as such, never as the worker. */
  helper?: Agent | null;
  state: TaskState;
  /** The title's width in px where the card is not the graph's fixed size (the board's cards fill their column). */
  titleWidth?: number;
  /**
   * What a card that needs the person shows in its foot: its actions (the graph's cards), or room for the ones the
   * board lays over it (a board card is a button, and a button holds no buttons). Other cards keep their foot.
   */
  needsYouFoot?: 'actions' | 'room';
}

/**
 * The face of a task in the graph. Its first line says what the task is doing or waiting for
 * ("waiting on Design the schema (+2 more)", "running 3m12s", "needs you", "failed: exit code 2"),
 * in the state's colour; then the title, then who runs it with which model.
 */
export const TaskCard = memo(function TaskCard({ task, agent, helper = null, state, titleWidth, needsYouFoot }: TaskCardProps) {
  // The model the work ran with (the task's own, or what the run resolved); before any run, the task's.
  const model = (agent?.purpose === 'task' ? agent.model : null) ?? task.model ?? null;
  const evaluating = helper?.purpose === 'evaluate' || (agent?.purpose === 'evaluate' && agent.state === 'working');
  const agentName = task.assigned ?? (state.kind === 'running' ? agent?.id : null) ?? null;
  const style = { '--state': `var(--state-${state.kind})` } as CSSProperties;
  const threshold = useEvalThreshold();
  // Made or changed by the coordinator's last chat answer: marked until the next answer or its Undo.
  const chatMade = useChatMarked(task.id);
  return (
    <div
      className="task-card"
      data-status={task.status}
      data-state={state.kind}
      data-chat-made={chatMade ? '' : undefined}
      title={chatMade ? 'Made or changed by the coordinator’s last answer in the chat' : undefined}
      data-roomy={titleLines(task.title, titleWidth) === 1 ? '' : undefined}
      data-actions={needsYouFoot && hasNeedsYouActions(state.needs) ? '' : undefined}
      style={style}
    >
      <div className="task-card-head">
        <span
          className="task-card-state"
          title={state.detail ? `${state.text}: ${state.detail}` : state.text}
          data-one-word={state.kind !== 'running' && !state.detail && !/\s/.test(state.text) ? '' : undefined}
        >
          <span className="state-dot" aria-hidden="true" />
          {/* Its own box: a flex container's bare text is never cut with an ellipsis, only clipped. */}
          <span className="task-card-state-text">
            {state.kind === 'running' ? <RunningText task={task} state={state} /> : state.text}
            {/* What went wrong, after what the person is to do (a failure others wait on): in the line's own colour, lighter. */}
            {state.detail && <span className="task-card-state-detail">: {state.detail}</span>}
          </span>
        </span>
        {task.priority !== 'normal' && <span className={`badge badge-${task.priority}`}>{task.priority}</span>}
        {task.worktree?.state === 'conflict' && (
          <span className="badge badge-conflict" title={`merge conflict in ${task.worktree.conflict_files.join(', ')}`}>
            conflict
          </span>
        )}
        {/* Not where nothing will score it: the state says so, and the badge took its room. */}
        {task.status === 'pending-eval' && state.needs !== 'evaluate' && (
          <span className="badge badge-pending-eval" title="done by its agent; dependents wait for the evaluator's score">
            {evaluating ? '⚖ scoring…' : '⚖ awaiting score'}
          </span>
        )}
        {helper && !(helper.purpose === 'evaluate' && task.status === 'pending-eval') && (
          <span className="badge badge-helper" title={`${helper.id}${helper.model ? ` (${helper.model})` : ''} is working on this task`}>
            {RUN_PURPOSE_LABELS[helper.purpose]} running
          </span>
        )}
        {task.evaluation && (
          <span
            className="badge badge-eval"
            title={`evaluation ${percent(task.evaluation.score)}: ${task.evaluation.score >= threshold ? 'passes' : 'below'} the threshold of ${percent(threshold)}`}
            data-passes={task.evaluation.score >= threshold}
            style={{ '--c': scoreColour(task.evaluation.score, threshold) } as CSSProperties}
          >
            {percent(task.evaluation.score)}
          </span>
        )}
      </div>
      <div className="task-card-title" title={task.title}>
        {task.title}
      </div>
      {needsYouFoot && hasNeedsYouActions(state.needs) ? (
        <div className="task-card-foot task-card-foot-actions">
          {needsYouFoot === 'actions' && <NeedsYouActions task={task} needs={state.needs} compact />}
        </div>
      ) : (
        <CardFoot task={task} agentName={agentName} model={model} />
      )}
    </div>
  );
});

/** Who does the task (its agency identity, the run, or its id) and with which model. */
function CardFoot({ task, agentName, model }: { task: Task; agentName: string | null; model: string | null }) {
  return (
    <div className="task-card-foot">
      {task.agent ? (
        <span className="task-card-agent">
          <IdentityLabel id={task.agent} />
        </span>
      ) : (
        <span className="task-card-agent">{agentName ? `⚙ ${agentName}` : task.id}</span>
      )}
      {model && <span className="task-card-model">{model}</span>}
    </div>
  );
}

/**
 * "running 3m12s", ticking; "…; will not start again" once paused. While the coordinator does not answer, the time
 * stops where it was last heard of ("last seen running 3m12s"): the run may have ended meanwhile.
 */
function RunningText({ task, state }: { task: Task; state: TaskState }) {
  const { now, stale } = useReportedNow(useClock(1000));
  const elapsed = task.started_at ? ` ${formatDuration(secondsBetween(task.started_at, null, now))}` : '';
  return (
    <>
      {stale ? 'last seen running' : 'running'}
      {elapsed}
      {state.held ? '; will not start again' : ''}
    </>
  );
}
