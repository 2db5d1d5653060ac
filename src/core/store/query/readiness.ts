import { type RawBuilder, sql } from 'kysely';
import type { StoreKind } from '../sql-connection';
import { SQL_FUNCTIONS, type SqlFunctions } from './functions';

/*
 * The readiness rules of src/core/graph/readiness.ts, in SQL. The store keeps `tasks.blockers` (how many dependencies
 * hold a task back) so that "ready" is an index lookup; these are the conditions every query and recount shares, so the
 * partial indexes and the queries cannot drift apart. Each names the columns of the row of `tasks` its query reads.
 */

/** Statuses in SQL lists. */
const STARTABLE = sql.raw("('open', 'incomplete')");
const SATISFYING = sql.raw("('done', 'abandoned')");
const AWAITING_EVALUATION = sql.raw("('pending-eval', 'failed-pending-eval')");
const TERMINAL = sql.raw("('done', 'failed', 'abandoned')");

export interface Readiness {
  /** Ready apart from time: the WHERE of the partial indexes `tasks_ready` and `tasks_due` (keep them equal). */
  readonly readyNow: RawBuilder<boolean>;
  /**
   * Upstream's `ready_after` (a loop's delay, `wg incomplete`'s retry delay: upstream's `is_time_ready`), kept in
   * `extra` as graph.jsonl has it, as an ISO time in UTC like `not_before`; NULL when absent or unreadable (upstream
   * then does not wait either).
   */
  readonly readyAfter: RawBuilder<string | null>;
  /** When the task's time comes: the later of `not_before` and `ready_after` ('' when neither: now). Indexed by `tasks_due`. */
  readonly dueAt: RawBuilder<string>;
  /** The task has a time to wait for: with readyNow, the WHERE of the partial index `tasks_due` (keep them equal). */
  readonly hasDue: RawBuilder<boolean>;
  /** Ready: startable, not paused, nothing blocking, its time come (`now`, ISO). */
  readyAt(now: string): RawBuilder<boolean>;
  /** Dispatch order: higher priority first (upstream's numbers), then older. */
  readonly readyOrder: RawBuilder<unknown>;
  /** The task `id` has agent work a done did not merge, to be merged when its run ends (DependencyView.workToMerge). */
  workToMerge(id: string): RawBuilder<boolean>;
  /**
   * The blocker count of the row `tasks` (in an UPDATE of tasks): each dependency that does not satisfy it
   * (dependencyBlocks, its status by statusLetsGo, or done with its work still to merge), plus each dependency on an id
   * not in the graph.
   */
  readonly blockersOfRow: RawBuilder<number>;
  /**
   * The evaluation task `evaluationId` (`.evaluate-X`) exists and is not terminal: X's regular dependents wait for it
   * (evaluationPending in dependency-writes.ts, as a condition a statement can carry).
   */
  evaluationPending(evaluationId: string): RawBuilder<boolean>;
  /** evaluationPending of the task aliased `t` in the query: its `.evaluate-X` found by its id. */
  readonly evaluationPendingOfT: RawBuilder<boolean>;
}

const workToMergeOf = (id: RawBuilder<unknown> | string) =>
  sql<boolean>`EXISTS (SELECT 1 FROM worktrees w WHERE w.task_id = ${id} AND w.merge_at_end = 1 AND w.state = 'active')`;

function readinessOf(fn: SqlFunctions): Readiness {
  const readyNow = sql<boolean>`status IN ${STARTABLE} AND paused = 0 AND blockers = 0`;
  const readyAfter = fn.isoTime(fn.jsonText(sql.ref('extra'), 'ready_after'));
  const dueAt = fn.greatest(sql<string>`coalesce(not_before, '')`, sql<string>`coalesce(${readyAfter}, '')`);
  return {
    readyNow,
    readyAfter,
    dueAt,
    hasDue: sql<boolean>`(not_before IS NOT NULL OR ${readyAfter} IS NOT NULL)`,
    readyAt: (now) => sql<boolean>`${readyNow} AND ${dueAt} <= ${now}`,
    readyOrder: sql`priority DESC, seq`,
    workToMerge: (id) => workToMergeOf(id),
    blockersOfRow: sql<number>`(
  SELECT count(*) FROM deps d JOIN tasks u ON u.id = d.dep_id
  WHERE d.task_id = tasks.id AND (
    (u.status NOT IN ${SATISFYING} AND NOT (substr(tasks.id, 1, 1) = '.' AND u.status IN ${AWAITING_EVALUATION})
      AND NOT (u.status = 'failed' AND tasks.id = '.evaluate-' || u.id))
    OR (u.status = 'done' AND ${workToMergeOf(sql.ref('u.id'))})
    OR (substr(tasks.id, 1, 1) <> '.' AND substr(u.id, 1, 1) <> '.' AND EXISTS (
      SELECT 1 FROM tasks e WHERE e.id = '.evaluate-' || u.id AND e.status NOT IN ${TERMINAL}))
  )
) + (SELECT count(*) FROM loose_deps m WHERE m.task_id = tasks.id AND m.kind = 'missing')`,
    evaluationPending: (evaluationId) =>
      sql<boolean>`EXISTS (SELECT 1 FROM tasks e WHERE e.id = ${evaluationId} AND e.status NOT IN ${TERMINAL})`,
    evaluationPendingOfT: sql<boolean>`EXISTS (SELECT 1 FROM tasks e WHERE e.id = '.evaluate-' || t.id AND e.status NOT IN ${TERMINAL})`,
  };
}

export const READINESS: Readonly<Record<StoreKind, Readiness>> = {
  sqlite: readinessOf(SQL_FUNCTIONS.sqlite),
  postgres: readinessOf(SQL_FUNCTIONS.postgres),
};
