import type { StateKind, TaskState } from '../../task-state/task-state';

/**
 * How much each state of the frontier counts when the first view picks what to show: what needs
 * a person most, then what is running or just failed, then what is ready to start.
 */
const WEIGHT: Partial<Record<StateKind, number>> = { 'needs-you': 4, failed: 3, running: 3, evaluating: 2, ready: 1 };

/** The frontier of the plan (running, needs you, failed, ready) with each task's weight. */
export function frontierWeights(states: ReadonlyMap<string, TaskState>): Map<string, number> {
  const weights = new Map<string, number>();
  for (const [id, state] of states) {
    const weight = WEIGHT[state.kind];
    if (weight) weights.set(id, weight);
  }
  return weights;
}
