import { findTaskState, logHas } from '../store/task-reads';
import { appendLog } from '../store/task-writes';
import type { WorktreeRecord } from '../store/worktree-records';
import { commitLeftWork } from './commit-left-files';
import type { WorktreeScope } from './inspect';
import { mergeTaskWork, refusal } from './merge-on-done';

/**
 * An agent's worktree whose task was marked done where no merge is made (upstream's `wg done`, or a hand edit, in
 * graph.jsonl) while the agent worked in it. Once its run is over (the caller checks), its work is what the done
 * was about: merged onto the base branch as a done's would have been, the task's log saying so. Work that cannot
 * be merged (a conflict, uncommitted tracked files) is said in the log too, and kept on a recover/ branch by the
 * sweep as any unmerged work is. Returns a line for the daemon's log, or null when there was nothing to merge. The
 * dependents held for it (its `merge_at_end`, set when the sync took the done in) go once it is tried.
 */
export async function mergeWorkOfTaskDoneElsewhere(scope: WorktreeScope, record: WorktreeRecord): Promise<string | null> {
  try {
    return await mergeWork(scope, record);
  } finally {
    // Merged or not (a conflict, uncommitted files, a failure of git), its run is over: the task's dependents held
    // for this merge go now. Work that did not merge is said in the log and kept on a recover/ branch.
    if (scope.store.worktrees.find(record.id)?.merge_at_end === 1) {
      scope.store.core.write((rev) => scope.store.worktrees.update(record.id, { merge_at_end: 0 }, rev));
    }
  }
}

async function mergeWork(scope: WorktreeScope, record: WorktreeRecord): Promise<string | null> {
  if (record.owner !== 'agent' || record.state !== 'active') return null;
  const core = scope.store.core;
  if (findTaskState(core, record.task_id)?.status !== 'done') return null;
  // Done by a person past its unmerged work (`wg done --ignore-unmerged-worktree`): its `.merge-X` is theirs to do.
  if (findTaskState(core, `.merge-${record.task_id}`)) return null;
  const agentId = record.agent_id ?? record.id;
  await commitLeftWork(scope, record.task_id, agentId);
  const task = scope.store.get(record.task_id);
  const merge = await mergeTaskWork(scope, task, agentId);
  if (merge.kind === 'none' || merge.kind === 'checked') return null;
  const why = `${task.id} was marked done while ${agentId} worked in ${record.path}`;
  if (merge.kind === 'merged') {
    if (merge.commit === null) return null;
    core.write((rev) => {
      scope.store.worktrees.update(record.id, { state: 'merged', merge_commit: merge.commit, conflict_files: [] }, rev);
      appendLog(core, task.id, 'coordinator', `${why}: its work is merged, as the done's would have been`);
      for (const note of merge.notes) appendLog(core, task.id, 'coordinator', note);
    });
    return `${why}: merged onto ${record.base_branch} as ${merge.commit.slice(0, 10)}`;
  }
  const line = `${why}, and its work could not be merged: ${refusal(merge, task.id)}`;
  // Said once: each sweep until the worktree goes would find it so again.
  if (logHas(core, task.id, line)) return null;
  core.write(() => appendLog(core, task.id, 'coordinator', line));
  return line;
}
