import { existsSync } from 'node:fs';
import { errorText } from '../../shared/errors';
import { findTaskState, logHas } from '../store/task-reads';
import { appendLog } from '../store/task-writes';
import type { WorktreeRecord } from '../store/worktree-records';
import { commitLeftWork } from './commit-left-files';
import type { WorktreeScope } from './inspect';
import { fileList } from './file-list';
import { mergeTaskWork } from './merge-on-done';

/** What one try came to: the daemon's line (null: nothing to say), and whether the dependents still wait for a later try. */
interface Tried {
  line: string | null;
  again: boolean;
}

/**
 * An agent's worktree whose task was marked done where no merge is made (upstream's `wg done`, or a hand edit, in
 * graph.jsonl) while the agent worked in it: the sync marked it `merge_at_end`, and the task's dependents wait.
 * Once its run is over (the caller checks), its work is what the done was about: merged onto the base branch as a
 * done's would have been, the task's log saying so. Work that cannot be merged (a conflict, uncommitted tracked
 * files, a folder gone) is said in the log too, once, and kept on a recover/ branch by the sweep as any unmerged
 * work is; the dependents then go. Only a checkout of the base branch in the middle of a person's own merge or
 * rebase holds them on, until a later sweep finds it finished. Returns a line for the daemon's log, or null.
 */
export async function mergeWorkOfTaskDoneElsewhere(scope: WorktreeScope, record: WorktreeRecord): Promise<string | null> {
  if (record.owner !== 'agent' || record.state !== 'active' || record.merge_at_end !== 1) return null;
  let tried: Tried = { line: null, again: false };
  try {
    tried = await mergeWork(scope, record);
  } catch (error) {
    tried = {
      line: await sayOnce(scope, record.task_id, `${doneWhile(record)}, and its work could not be merged: ${errorText(error)}`),
      again: false,
    };
  } finally {
    if (!tried.again && (await scope.store.worktrees.find(record.id))?.merge_at_end === 1) {
      await scope.store.core.write((rev) => scope.store.worktrees.update(record.id, { merge_at_end: 0 }, rev));
    }
  }
  return tried.line;
}

const doneWhile = (record: WorktreeRecord) =>
  `${record.task_id} was marked done while ${record.agent_id ?? record.id} worked in ${record.path}`;

/** `line` in the task's log unless it is there already (each sweep until the worktree goes would find it so again); the line, or null. */
async function sayOnce(scope: WorktreeScope, taskId: string, line: string): Promise<string | null> {
  const core = scope.store.core;
  if (await logHas(core, taskId, line)) return null;
  await core.write(() => appendLog(core, taskId, 'coordinator', line));
  return line;
}

async function mergeWork(scope: WorktreeScope, record: WorktreeRecord): Promise<Tried> {
  const core = scope.store.core;
  // Reopened or removed since: there is no done to merge for any more.
  if ((await findTaskState(core, record.task_id))?.status !== 'done') return { line: null, again: false };
  const agentId = record.agent_id ?? record.id;
  // A folder removed by hand leaves its branch: the merge is made from the branch alone, without its uncommitted files.
  if (existsSync(record.path)) await commitLeftWork(scope, record.task_id, agentId);
  const task = await scope.store.get(record.task_id);
  const merge = await mergeTaskWork(scope, task, agentId);
  if (merge.kind === 'none' || merge.kind === 'checked') return { line: null, again: false };
  const why = doneWhile(record);
  if (merge.kind === 'merged') {
    if (merge.commit === null) return { line: null, again: false };
    await core.write(async (rev) => {
      await scope.store.worktrees.update(record.id, { state: 'merged', merge_commit: merge.commit, conflict_files: [] }, rev);
      await appendLog(core, task.id, 'coordinator', `${why}: its work is merged, as the done's would have been`);
      for (const note of merge.notes) await appendLog(core, task.id, 'coordinator', note);
    });
    return { line: `${why}: merged onto ${record.base_branch} as ${merge.commit.slice(0, 10)}`, again: false };
  }
  // The person's checkout is mid-merge: nothing is final, and the tasks after it wait for the next try.
  if (merge.kind === 'busy') {
    const line = `${why}: its work is not merged yet, as ${merge.why}; it is at the coordinator's next sweep once that is finished or aborted, and the tasks after it wait until then`;
    return { line: await sayOnce(scope, task.id, line), again: true };
  }
  // Not the done's own refusal: its advice (run wg done again) is for a task not done yet.
  const what =
    merge.kind === 'conflict'
      ? `merging ${record.branch} onto ${record.base_branch} conflicts in ${fileList(merge.files)}`
      : `tracked files in it were modified but not committed (${fileList(merge.files)})`;
  const line = `${why}, and its work could not be merged: ${what}; nothing changed on ${record.base_branch}, and its commits are kept on a recover/ branch`;
  return { line: await sayOnce(scope, task.id, line), again: false };
}
