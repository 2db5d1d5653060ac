import { sql } from 'kysely';
import type { Line, StoreChange } from './task-merge';
import type { StoreCore } from '../store/store-core';
import { findTaskState } from '../store/task-reads';
import { appendLog } from '../store/task-writes';
import { WorktreeRecords } from '../store/worktree-records';

/**
 * Tasks graph.jsonl marks done (upstream's `wg done`, a hand edit) while this app's agent works on them in a worktree
 * of their own: no done merges that work here, so the coordinator's sweep merges it once the run ends
 * (worktrees/done-elsewhere.ts). Until then the task's dependents wait (the worktree's `merge_at_end`), as they would
 * for a done that merges: they start from a base branch that has the work. Call inside the sync's write, before the
 * new statuses are written (a task already done here is left as it is).
 */
export async function holdDependentsOfDoneWhileWorking(
  core: StoreCore,
  edits: ReadonlyArray<{ id: string; change: StoreChange; line: Line }>,
  rev: number,
): Promise<void> {
  for (const { id, change, line } of edits) {
    if (change.kind !== 'fields' || !change.fields.includes('status') || line.status !== 'done') continue;
    if ((await findTaskState(core, id))?.status === 'done') continue;
    const worktree = await core.get(
      core.build
        .selectFrom('worktrees as w')
        .innerJoin('agents as a', 'a.id', 'w.agent_id')
        .select(['w.id', 'w.agent_id', 'w.path'])
        .where('w.task_id', '=', id)
        .where('w.owner', '=', 'agent')
        .where('w.state', '=', 'active')
        .where('a.state', '=', 'working')
        .orderBy(sql`w.${core.fn.rowid}`, 'desc')
        .limit(1),
    );
    if (!worktree) continue;
    await new WorktreeRecords(core).update(worktree.id, { merge_at_end: 1 }, rev);
    await appendLog(
      core,
      id,
      'sync',
      `graph.jsonl marks this task done while ${worktree.agent_id} works in ${worktree.path}: its work is merged when the run ends, and the tasks after it wait for that`,
    );
  }
}
