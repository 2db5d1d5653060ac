import { sqlText } from './sql-text';
import { filterAsync } from '../../src/shared/async-arrays';
import { isReady, isTerminal } from '../../src/core/graph/readiness';
import type { Store } from '../../src/core/store/store';

/** The ready tasks by the pure rule (graph/readiness.ts), to compare with the store's materialized answer. */
export async function readyByRule(store: Store, now: Date): Promise<string[]> {
  const tasks = await store.list();
  const status = new Map(tasks.map((t) => [t.id, t.status]));
  // Dependencies kept as an upstream loop's back edge do not count; the store knows which those are.
  const backEdges = new Set(
    (
      await sqlText<{ task_id: string; dep_id: string }>(store.core, "SELECT task_id, dep_id FROM loose_deps WHERE kind = 'cycle'").all()
    ).map((r) => `${r.task_id} ${r.dep_id}`),
  );
  const view = async (id: string) => {
    const gate = status.get(`.evaluate-${id}`);
    const workToMerge = await sqlText(
      store.core,
      "SELECT 1 AS found FROM worktrees WHERE task_id = ? AND merge_at_end = 1 AND state = 'active'",
    ).get(id);
    return {
      id,
      status: status.get(id) ?? null,
      evaluationPending: gate !== undefined && !isTerminal(gate),
      workToMerge: workToMerge !== undefined,
    };
  };
  return (
    await filterAsync(tasks, async (t) =>
      isReady(t, await Promise.all(t.after.filter((d) => !backEdges.has(`${t.id} ${d}`)).map(view)), now),
    )
  )
    .map((t) => t.id)
    .sort();
}
