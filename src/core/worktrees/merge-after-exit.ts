import type { Task } from '../../shared/task';
import type { GateCheck } from '../store/agency/gate-entry';
import type { Reporter } from '../store/run-reports';
import type { Store } from '../store/store';
import type { WorktreeRecord } from '../store/worktree-records';
import { appendLog } from '../store/task-writes';
import { doneRefusal } from '../store/done-blockers';
import type { WorktreeScope } from './inspect';
import { checkTaskWork, doneWorktree, mergeTaskWork, type UnmergedTaskWork } from './merge-on-done';
import { commitLeftWork } from './commit-left-files';
import { fileList } from './file-list';

/** What the end of a run that exited 0 without `wg done` came to, for its worktree. */
export type AfterExit =
  /** No work of its own to merge (no worktree, or no commits): judged as any exit 0 is. */
  | { kind: 'none' }
  /** Its commits were merged and the task marked done (or pending-eval), as its own `wg done` would have. */
  | { kind: 'done' }
  /** Its work could not be merged; the task fails with this reason and the worktree stays for a retry. */
  | { kind: 'unmerged'; reason: string };

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

const list = fileList;

/**
 * `ended`: how the run ended, in words: "exited without wg done", or, where its own `wg done` was refused for a
 * conflict (the task's log says so, by its agent), that (it did report; its done could not go through).
 */
function unmergedReason(merge: UnmergedTaskWork, ended: string): string {
  const { record, files } = merge;
  const kept = `its worktree ${record.path} is kept for a retry (which resumes in it) or for you`;
  if (merge.kind === 'busy') return `${ended} and its work was not merged: ${merge.why}; nothing changed on ${record.base_branch}; ${kept}`;
  if (merge.kind === 'dirty') return `${ended}, leaving tracked files modified but not committed (${list(files)}); ${kept}`;
  return `${ended} and its work conflicts with ${record.base_branch} in ${list(files)}; nothing changed on ${record.base_branch}; ${kept}`;
}

/** How the agent's run ended, for the reason its task fails: its own `wg done` refused, or none. */
export function howItEnded(task: Task, agentId: string): string {
  const refused = task.log.some((entry) => entry.actor === agentId && entry.message.startsWith('Done refused:'));
  return refused ? 'exited after its wg done was refused' : 'exited without wg done';
}

/** Whether the task's agent worktree holds work a done would merge (a store read: no git). */
export async function hasWorkToMerge(store: Store, taskId: string): Promise<boolean> {
  return holdsWorkToMerge(await store.worktrees.newestForTask(taskId));
}

/**
 * The tasks of the runs `agentIds` whose agent worktree holds work a done would merge: `hasWorkToMerge` of many, in one
 * read, sent when called (started before other reads and awaited after them, it travels with them: in-flight.ts).
 */
export async function tasksWithWorkToMerge(store: Store, agentIds: readonly string[]): Promise<Set<string>> {
  const newest = await store.worktrees.newestForTasksOfAgents(agentIds);
  return new Set([...newest].filter(([, record]) => holdsWorkToMerge(record)).map(([taskId]) => taskId));
}

function holdsWorkToMerge(record: WorktreeRecord | undefined): boolean {
  return record !== undefined && record.owner === 'agent' && (record.state === 'active' || record.state === 'conflict');
}

/**
 * A run that exits 0 without `wg done` is treated as a done from its agent: its worktree's commits
 * are squash-merged onto the base branch and the task is marked done in the same transaction that
 * records the merge commit (the agent's run id proves the report, as `wg done` from the run does).
 * Work that cannot be merged (a conflict, uncommitted tracked files) fails the task; a conflict is
 * recorded on the worktree (state conflict). Nothing of the worktree is removed here. Work the
 * evaluation gate covers (`gate`) is only checked to merge, and the task left pending-eval with its
 * worktree awaiting the score, as the agent's own done would: the merge is made on a pass.
 */
export async function mergeAfterExit(scope: WorktreeScope, taskId: string, agentId: string, gate?: GateCheck): Promise<AfterExit> {
  if (!(await hasWorkToMerge(scope.store, taskId))) return { kind: 'none' };
  // A dependency added while it ran holds the task back: a done would be refused, so nothing is merged for one (as
  // `wg done` refuses before its merge), and the base branch does not gain the work of a task that is not done.
  const blocked = await doneRefusal(scope.store.core, taskId);
  if (blocked !== null) {
    const record = await scope.store.worktrees.newestForTask(taskId);
    const where = record ? `; nothing changed on ${record.base_branch}; its worktree ${record.path} is kept for a retry` : '';
    return { kind: 'unmerged', reason: `exited without wg done, and its work was not merged: ${lowerFirst(blocked)}${where}` };
  }
  const left = await commitLeftWork(scope, taskId, agentId);
  if (left.kind === 'failed') {
    const path = (await scope.store.worktrees.newestForTask(taskId))?.path ?? '';
    return {
      kind: 'unmerged',
      reason: `exited without wg done, leaving new files not committed (${list(left.files)}) that could not be committed: ${left.why}; its worktree ${path} is kept`,
    };
  }
  const task = await scope.store.get(taskId);
  const evaluated = (await gate?.(scope.store.core, taskId, agentId)) ?? false;
  const merge = evaluated ? await checkTaskWork(scope, task) : await mergeTaskWork(scope, task, agentId);
  switch (merge.kind) {
    case 'none':
      return { kind: 'none' };
    case 'merged':
    case 'checked': {
      // A branch that adds nothing is no evidence of work: the usual exit-0 rule judges it.
      if (merge.kind === 'merged' ? merge.commit === null : merge.empty) return { kind: 'none' };
      const reporter: Reporter = { kind: 'agent', agentId, runId: await scope.store.agents.runId(agentId) };
      await scope.store.tasks.done(
        taskId,
        { worktree: doneWorktree(merge, taskId, false), gate: evaluated ? async () => true : undefined, afterExit: true },
        agentId,
        reporter,
      );
      return { kind: 'done' };
    }
    case 'conflict':
      await scope.store.core.write(async (rev) => {
        await scope.store.worktrees.update(merge.record.id, { state: 'conflict', conflict_files: merge.files }, rev);
        await appendLog(
          scope.store.core,
          taskId,
          'coordinator',
          `Merge after exit refused: ${merge.record.branch} conflicts in ${list(merge.files)}`,
        );
      });
      return { kind: 'unmerged', reason: unmergedReason(merge, howItEnded(task, agentId)) };
    case 'dirty':
    case 'busy':
      return { kind: 'unmerged', reason: unmergedReason(merge, howItEnded(task, agentId)) };
  }
}
