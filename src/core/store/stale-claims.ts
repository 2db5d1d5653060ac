import { sql } from 'kysely';
import type { TaskStatus } from '../../shared/task';
import type { StoreKind } from './sql-connection';
import type { StoreCore } from './store-core';
import { appendLog, transition } from './task-writes';

/**
 * The edges upstream's `before` field makes (each task to every task its `before` array names, text
 * only; anything else there is no edge), as rows (src, dst): SQLite walks the array with json_each and
 * json_type, PostgreSQL with jsonb's own functions, its task ids compared byte by byte as the tables' are.
 */
const BEFORE_EDGES: Readonly<Record<StoreKind, string>> = {
  sqlite: `SELECT t.id AS src, b.value AS dst FROM tasks t, json_each(t.extra, '$.before') b
      WHERE json_type(t.extra, '$.before') = 'array' AND b.type = 'text'`,
  postgres: `SELECT t.id AS src, (b.value #>> '{}') COLLATE "C" AS dst
      FROM tasks t CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(CAST(t.extra AS jsonb) -> 'before') = 'array' THEN CAST(t.extra AS jsonb) -> 'before' END) b
      WHERE jsonb_typeof(b.value) = 'string'`,
};

interface DownstreamClaim {
  id: string;
  status: TaskStatus;
  assigned: string;
  run_state: string | null;
}

/**
 * Every task downstream of `seed` (its dependents, theirs, and the tasks upstream's `before` names),
 * system tasks left out as upstream's compute_closure leaves them, with what holds each.
 */
const downstreamClaims = (kind: StoreKind, seed: string) => sql<DownstreamClaim>`
  WITH RECURSIVE edges(src, dst) AS (
    SELECT dep_id, task_id FROM deps
    UNION ALL SELECT dep_id, task_id FROM loose_deps
    UNION ALL ${sql.raw(BEFORE_EDGES[kind])}
  ),
  down(id) AS (
    SELECT id FROM tasks WHERE id = ${seed}
    UNION SELECT e.dst FROM edges e JOIN down ON e.src = down.id WHERE substr(e.dst, 1, 1) <> '.'
  )
  SELECT t.id, t.status, t.assigned, a.state AS run_state
  FROM down JOIN tasks t ON t.id = down.id LEFT JOIN agents a ON a.id = t.assigned
  WHERE t.id <> ${seed} AND t.assigned IS NOT NULL AND t.status NOT IN ('done', 'failed', 'abandoned')
  ORDER BY t.id`;

/**
 * Upstream's clear_stale_downstream_claims, run by `wg retry`: the work below the retried task is to
 * be redone, so a downstream task still claimed by a run that is no longer working (or by a name no
 * run of this project has, as upstream counts an agent missing from its registry) is released:
 * unassigned, its start cleared, back to open if it was in progress, with a log line saying why. A
 * working run's claim is left alone. Call inside the retry's write; returns the tasks released.
 */
export async function clearStaleDownstreamClaims(core: StoreCore, seed: string, rev: number): Promise<string[]> {
  const rows = await core.all(downstreamClaims(core.kind, seed));
  const cleared: string[] = [];
  for (const row of rows) {
    if (row.run_state === 'working') continue;
    await transition(
      core,
      row,
      { assigned: null, started_at: null, ...(row.status === 'in-progress' ? { status: 'open' as const } : {}) },
      rev,
    );
    await appendLog(
      core,
      row.id,
      'claim-lifecycle',
      `stale-claim cleared via retry of ${seed} (was assigned to @${row.assigned} — agent dead/missing)`,
    );
    cleared.push(row.id);
  }
  return cleared;
}
