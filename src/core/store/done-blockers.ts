import { sql } from 'kysely';
import { filterAsync } from '../../shared/async-arrays';
import type { StoreCore } from './store-core';

/*
 * Upstream's `wg done` (its `run_inner`) refuses a task that a dependency still
 * holds back, whoever asks. Not counted, as there: a dependency done or abandoned (satisfied), failed
 * (the person decides to go on without it), awaiting its evaluation when the task is a system task
 * (`.evaluate-X` must run on a soft-done X), one in the same cycle (an imported loop's back edge), and
 * an id not in the graph.
 */

interface Blocker {
  id: string;
  title: string;
  status: string;
}

/** Whether `from` reaches `to` through dependencies, imported cycle edges included: then both are in one cycle. */
async function reaches(core: StoreCore, from: string, to: string): Promise<boolean> {
  return (
    (await core.get(
      sql`WITH RECURSIVE up(id) AS (
       SELECT id FROM tasks WHERE id = ${from} UNION
       SELECT e.dep_id FROM up JOIN (SELECT task_id, dep_id FROM deps UNION ALL SELECT task_id, dep_id FROM loose_deps WHERE kind = 'cycle') e
         ON e.task_id = up.id)
     SELECT 1 FROM up WHERE id = ${to} LIMIT 1`,
    )) !== undefined
  );
}

/** Upstream's refusal of a done of `id` (one line), or null when nothing unresolved holds it back. */
export async function doneRefusal(core: StoreCore, id: string): Promise<string | null> {
  const system = id.startsWith('.');
  const candidates: Blocker[] = await core.all(
    core.build
      .selectFrom('deps as d')
      .innerJoin('tasks as t', 't.id', 'd.dep_id')
      .select(['t.id', 't.title', 't.status'])
      .where('d.task_id', '=', id)
      .where('t.status', 'not in', ['done', 'abandoned', 'failed'])
      .orderBy('t.seq'),
  );
  const blockers = candidates.filter((b) => !(system && b.status === 'pending-eval'));
  // Only an imported loop can close a cycle (this app refuses one), and then only through its kept back edge.
  const hasLoops =
    blockers.length > 0 &&
    (await core.get(core.build.selectFrom('loose_deps').select(sql.lit(1).as('one')).where('kind', '=', 'cycle').limit(1))) !== undefined;
  const unresolved = hasLoops ? await filterAsync(blockers, async (b) => !(await reaches(core, b.id, id))) : blockers;
  if (unresolved.length === 0) return null;
  const list = unresolved.map((b) => `${b.id} (${b.title}): ${b.status}`).join('; ');
  return `Cannot mark '${id}' as done: blocked by ${unresolved.length} unresolved task(s): ${list}`;
}
