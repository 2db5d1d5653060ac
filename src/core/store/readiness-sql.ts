/*
 * The readiness rules of src/core/graph/readiness.ts, in SQL. The store keeps `tasks.blockers` (how
 * many dependencies hold a task back) so that "ready" is an index lookup; these are the fragments
 * every query and recount shares, so the partial indexes and the queries cannot drift apart.
 */

/** Statuses in SQL lists. */
const STARTABLE = "('open', 'incomplete')";
const TERMINAL = "('done', 'failed', 'abandoned')";

/** Ready apart from time: the WHERE of the partial indexes `tasks_ready` and `tasks_due` (keep them equal). */
export const READY_NOW = `status IN ${STARTABLE} AND paused = 0 AND blockers = 0`;

/**
 * Upstream's `ready_after` (a loop's delay, `wg incomplete`'s retry delay: upstream's `is_time_ready`), kept in
 * `extra` as graph.jsonl has it, as an ISO time in UTC like `not_before`; NULL when absent or unreadable
 * (upstream then does not wait either).
 */
export const READY_AFTER = "strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(extra, '$.ready_after'))";

/** When the task's time comes: the later of `not_before` and `ready_after` ('' when neither: now). Indexed by `tasks_due`. */
export const DUE_AT = `max(coalesce(not_before, ''), coalesce(${READY_AFTER}, ''))`;

/** The task has a time to wait for: with READY_NOW, the WHERE of the partial index `tasks_due` (keep them equal). */
export const HAS_DUE = `(not_before IS NOT NULL OR ${READY_AFTER} IS NOT NULL)`;

/** Ready: startable, not paused, nothing blocking, its time come (`?` = now, ISO). */
export const READY_AT = `${READY_NOW} AND ${DUE_AT} <= ?`;

/** Dispatch order: higher priority first (upstream's numbers), then older. */
export const READY_ORDER = 'priority DESC, seq';

/**
 * The evaluation task `?` (`.evaluate-X`, by its id) exists and is not terminal: X's regular dependents wait for it
 * (evaluationPending in dependency-writes.ts, as a condition a statement can carry).
 */
export const EVALUATION_PENDING = `EXISTS (SELECT 1 FROM tasks e WHERE e.id = ? AND e.status NOT IN ${TERMINAL})`;

/** EVALUATION_PENDING of the task aliased `t` in the query: its `.evaluate-X` found by its id, not a parameter. */
export const EVALUATION_PENDING_OF_T = `EXISTS (SELECT 1 FROM tasks e WHERE e.id = '.evaluate-' || t.id AND e.status NOT IN ${TERMINAL})`;
