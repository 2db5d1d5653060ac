import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import { formatDate, formatTokens } from '../components/format';
import { useGraph } from '../state/graph-context';
import { useNavigation } from '../state/navigation';

/** The task's newest evaluator run, if it has one. */
function evaluatorOf(taskId: string, agents: ReadonlyMap<string, Agent>): Agent | null {
  let newest: Agent | null = null;
  for (const agent of agents.values()) {
    if (agent.task_id === taskId && agent.purpose === 'evaluate' && (!newest || agent.started_at > newest.started_at)) newest = agent;
  }
  return newest;
}

/**
 * What a pending-eval task is waiting for, so it never reads as done: its agent finished (its wg done, or an exit 0 with work of its own), the
 * evaluator is scoring it (its run, with its output a click away), and its dependents start only on
 * a passing score.
 */
export function PendingEvaluation({ task }: { task: Task }) {
  const { agents } = useGraph();
  const { openOutput } = useNavigation();
  const evaluator = evaluatorOf(task.id, agents);
  const attempt = task.rescue_count + 1;
  const scoring = evaluator?.state === 'working' ? evaluator : null;
  return (
    <div className="pending-eval" role="status">
      <strong>Awaiting the evaluator's score.</strong> Its agent finished; the tasks that depend on it start only once the work passes.
      {attempt > 1 && <div>Attempt {attempt}: the earlier ones scored below the threshold and were sent back.</div>}
      <div className="pending-eval-progress">
        {scoring ? (
          <>
            {`Evaluator ${scoring.id} (${scoring.model ?? 'default model'}) scoring since ${formatDate(scoring.started_at)}`}
            {scoring.tokens_in > 0 && ` · ${formatTokens(scoring.tokens_in)} tokens in`}
            <button type="button" className="link-button" onClick={() => openOutput(scoring.id)}>
              {' '}
              view output
            </button>
          </>
        ) : (
          'The evaluator starts once the coordinator picks the task up.'
        )}
      </div>
    </div>
  );
}
