/*
 * The one retry budget, as upstream's code has it: `retry_count` counts the attempts that ended without
 * done (a `wg fail`, a `wg incomplete`, a run that died or timed out and was retried), and the task's
 * `max_retries`, else the project's (agent.max_retries, upstream's coordinator.max_incomplete_retries),
 * is how many it may count before it fails: `wg incomplete` fails it when the count reaches the budget
 * ("Retry exhausted (3/3 attempts)"), and the coordinator retries a dead run only while the count is below
 * it. So the count stays within the budget unless a person retries a failed task past it (`wg retry`).
 * `wg show`, `wg list`, `wg incomplete`, `wg fail`, `wg retry` and the window all say it with retriesText.
 */

/** Upstream's coordinator.max_incomplete_retries default: the project's budget when config.toml sets none. */
export const DEFAULT_RETRY_BUDGET = 3;

/** A task's budget: its own max_retries, else the project's. */
export function retryBudget(own: number | null, project: number): number {
  return own ?? project;
}

/**
 * "1 of 3", "3 of 3", "4 of 3 (past its limit)" when a person retried it beyond; with a budget of 0 (upstream:
 * `wg incomplete` then has no limit, and a dead run is not retried), the count alone.
 */
export function retriesText(count: number, budget: number): string {
  if (budget === 0) return `${count} (max_retries 0: no limit for wg incomplete, no retry of a dead run)`;
  return `${count} of ${budget}${count > budget ? ' (past its limit)' : ''}`;
}
