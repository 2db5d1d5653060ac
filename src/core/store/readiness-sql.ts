/*
 * The readiness rules of src/core/graph/readiness.ts, in SQL. The store keeps `tasks.blockers` (how
 * many dependencies hold a task back) so that "ready" is an index lookup; these are the fragments
 * every query and recount shares, so the partial indexes and the queries cannot drift apart.
 */

/** Statuses in SQL lists. */
const STARTABLE = "('open', 'incomplete')";
const SATISFYING = "('done', 'abandoned')";
const AWAITING_EVALUATION = "('pending-eval', 'failed-pending-eval')";
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

/** The task whose id is `idSql` has agent work a done did not merge, to be merged when its run ends (DependencyView.workToMerge). */
const workToMergeOf = (idSql: string) =>
  `EXISTS (SELECT 1 FROM worktrees w WHERE w.task_id = ${idSql} AND w.merge_at_end = 1 AND w.state = 'active')`;

/** WORK_TO_MERGE of the task `?` (by its id): its dependents are recounted by the whole rule, not moved by one. */
export const WORK_TO_MERGE = workToMergeOf('?');

/**
 * The blocker count of the row `tasks` (in an UPDATE of tasks): each dependency that does not satisfy
 * it (dependencyBlocks, its status by statusLetsGo, or done with its work still to merge), plus each
 * dependency on an id not in the graph.
 */
export const BLOCKERS_OF_ROW = `(
  SELECT count(*) FROM deps d JOIN tasks u ON u.id = d.dep_id
  WHERE d.task_id = tasks.id AND (
    (u.status NOT IN ${SATISFYING} AND NOT (substr(tasks.id, 1, 1) = '.' AND u.status IN ${AWAITING_EVALUATION})
      AND NOT (u.status = 'failed' AND tasks.id = '.evaluate-' || u.id))
    OR (u.status = 'done' AND ${workToMergeOf('u.id')})
    OR (substr(tasks.id, 1, 1) <> '.' AND substr(u.id, 1, 1) <> '.' AND EXISTS (
      SELECT 1 FROM tasks e WHERE e.id = '.evaluate-' || u.id AND e.status NOT IN ${TERMINAL}))
  )
) + (SELECT count(*) FROM loose_deps m WHERE m.task_id = tasks.id AND m.kind = 'missing')`;

/**
 * The evaluation task `?` (`.evaluate-X`, by its id) exists and is not terminal: X's regular dependents wait for it
 * (evaluationPending in dependency-writes.ts, as a condition a statement can carry).
 */
export const EVALUATION_PENDING = `EXISTS (SELECT 1 FROM tasks e WHERE e.id = ? AND e.status NOT IN ${TERMINAL})`;

/** EVALUATION_PENDING of the task aliased `t` in the query: its `.evaluate-X` found by its id, not a parameter. */
export const EVALUATION_PENDING_OF_T = `EXISTS (SELECT 1 FROM tasks e WHERE e.id = '.evaluate-' || t.id AND e.status NOT IN ${TERMINAL})`;
