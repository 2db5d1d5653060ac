import type { AgentState } from '../../shared/agent';
import type { TaskStatus } from '../../shared/task';
import type { StateKind } from '../task-state/task-state';

/** The state colour (a token of styles/tokens.css) a bare status is shown in where no finer state is known. */
export const STATUS_STATE: Record<TaskStatus, StateKind> = {
  open: 'waiting',
  incomplete: 'waiting',
  blocked: 'waiting',
  waiting: 'waiting',
  'in-progress': 'running',
  'pending-validation': 'evaluating',
  'pending-eval': 'evaluating',
  'failed-pending-eval': 'evaluating',
  done: 'done',
  failed: 'failed',
  abandoned: 'abandoned',
};

export const AGENT_STATE_STATE: Record<AgentState, StateKind> = {
  working: 'running',
  done: 'done',
  failed: 'failed',
  dead: 'abandoned',
  killed: 'needs-you',
};

export const stateColour = (kind: StateKind): string => `var(--state-${kind})`;

/** Evaluation scores are 0..1: green where the score passes the project's threshold (`agency.eval_threshold`), red where it fails. */
export function scoreColour(score: number, threshold: number): string {
  return score >= threshold ? stateColour('done') : stateColour('failed');
}

export const percent = (score: number): string => `${Math.round(score * 100)}%`;
