import type { AgentState } from '../../shared/agent';
import type { TaskStatus } from '../../shared/task';

/** One colour per status, used by cards, the minimap, pills and filters alike. */
export const STATUS_COLOURS: Record<TaskStatus, string> = {
  open: '#64748b',
  incomplete: '#64748b',
  blocked: '#b45309',
  waiting: '#0891b2',
  'in-progress': '#2563eb',
  'pending-validation': '#9333ea',
  'pending-eval': '#9333ea',
  'failed-pending-eval': '#be185d',
  done: '#16a34a',
  failed: '#dc2626',
  abandoned: '#a8a29e',
};

export const AGENT_STATE_COLOURS: Record<AgentState, string> = {
  working: '#2563eb',
  done: '#16a34a',
  failed: '#dc2626',
  dead: '#78716c',
  killed: '#ea580c',
};

/** Evaluation scores are 0..1; red below 0.5, amber below 0.8, green above. */
export function scoreColour(score: number): string {
  if (score < 0.5) return '#dc2626';
  if (score < 0.8) return '#d97706';
  return '#16a34a';
}

export const percent = (score: number): string => `${Math.round(score * 100)}%`;
