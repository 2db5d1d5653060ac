import type { GateCheck } from '../store/agency/gate-entry';
import { findTaskState, logHas } from '../store/task-reads';
import { appendLog } from '../store/task-writes';
import type { WorktreeRecord } from '../store/worktree-records';
import { existsSync } from 'node:fs';
import { commitFilesLeftAfterDone } from './commit-left-files';
import { localChanges } from './changes';
import { git, gitValue, splitNul } from './git';
import type { WorktreeScope } from './inspect';
import { branchAddsToBase, mergedHead, squashMerge, unrecordedMerge } from './merge';
import { mergeMessage, mergeSubject } from './naming';
import { keepRecoverBranch } from './recover';
import { branchTip, isAncestor, type RepoFacts } from './repo';
import { fileList } from './file-list';
import { gitlinkNote } from './merge-on-done';

const list = fileList;

/** Why late work is kept rather than merged; null when it may be merged as the first merge was. */
async function keptBecause(
  scope: WorktreeScope,
  record: WorktreeRecord,
  agentId: string,
  gate: GateCheck | undefined,
): Promise<string | null> {
  const status = (await findTaskState(scope.store.core, record.task_id))?.status ?? null;
  if (status !== 'done') return `its task is ${status ?? 'gone'} now`;
  // Work the gate covers is merged only on a passing score, and this came after the score.
  if (await gate?.(scope.store.core, record.task_id, agentId)) return 'it was never evaluated (the gate merges only work that passed)';
  return null;
}

/**
 * An agent's worktree after its work was merged (its own `wg done`, its exit, a passing score) whose
 * branch holds more: an agent that went on working after `wg done` (its Stop hook handed it a late
 * message) and committed. Its run is over (the caller checks). By the rule of the first merge, that
 * work is squash-merged onto the base branch too, and the worktree records the new merge; where that
 * rule does not let it through (its task reopened, the evaluation gate, a conflict, uncommitted
 * files), its commits are kept on a recover/ branch. Either way the task's log says which, and the
 * worktree and branch are removed only after (removal-rule.ts). Returns a line for the daemon's log.
 * A merge no longer on the base branch (a person reset it away) is left alone.
 */
export async function settleLateWork(
  scope: WorktreeScope,
  repo: RepoFacts,
  record: WorktreeRecord,
  gate?: GateCheck,
): Promise<string | null> {
  if (record.owner !== 'agent' || record.state !== 'merged') return null;
  // Its run is over: new files it left after its done are committed first, and merged with its late commits.
  await commitFilesLeftAfterDone(scope, record);
  const cwd = repo.top;
  const [head, baseTip] = await Promise.all([branchTip(cwd, record.branch), branchTip(cwd, record.base_branch)]);
  if (!head || !baseTip) return null;
  if (record.merge_commit && !(await isAncestor(cwd, record.merge_commit, baseTip))) return null;
  if (record.recover_branch && (await branchTip(cwd, record.recover_branch)) === head) return null;
  // Only what the branch gained after the commit the last merge took (unknown for a merge from before it was recorded).
  const since = await mergedHead(cwd, record.merge_commit);
  const agentId = record.agent_id ?? record.id;
  // A branch rewritten after the merge (reset, rebase) no longer holds what was merged, and its
  // difference from that commit, merged, took the task's merged work off the base branch. Such a branch is kept, never
  // merged; one rewritten without undoing any of it (an amend that adds to it) merges as any late work does.
  if (since && head !== since && !(await isAncestor(cwd, since, head))) {
    const undone = await undoneFiles(cwd, record.base_commit, since, head);
    if (undone.length > 0) {
      const why = `${record.branch} was rewritten after the merge and no longer holds ${since.slice(0, 10)}, the commit merged: merged, it would undo that work (${list(undone)}); nothing changed on ${record.base_branch}`;
      return keep(scope, cwd, record, agentId, `${agentId} left on ${record.branch} after its work was merged`, why, []);
    }
  }
  const who = `${agentId} committed on ${record.branch} after its work was merged`;
  // Its merge landed and was never recorded (the coordinator stopped in between): recorded now, as it would have been.
  const landed = await unrecordedMerge(cwd, record.base_branch, record.branch, mergeSubject(record.task_id, agentId, 'after done'));
  if (landed && landed.took === head && landed.commit !== record.merge_commit) {
    const files = (await gitValue(cwd, ['diff-tree', '--no-commit-id', '--name-only', '-r', landed.commit])).split('\n').filter(Boolean);
    const line = `What ${who} was merged onto ${record.base_branch} as ${landed.commit.slice(0, 10)} (${list(files)}; recorded after a restart)`;
    await writeDown(scope, record, { merge_commit: landed.commit }, [line]);
    return line;
  }
  if (!(await branchAddsToBase(cwd, record.branch, record.base_branch, since))) return dirtyAfterMerge(scope, record, agentId);
  const kept = await keptBecause(scope, record, agentId, gate);
  if (kept === null) {
    const task = await scope.store.get(record.task_id);
    const outcome = await squashMerge({
      cwd,
      commonDir: repo.commonDir,
      worktree: record.path,
      branch: record.branch,
      baseBranch: record.base_branch,
      message: mergeMessage(task.id, agentId, task.title, record.branch, 'after done'),
      setupFiles: record.setup_files,
      since,
    });
    if (outcome.kind === 'merged' || outcome.kind === 'already') {
      const files = (await gitValue(cwd, ['diff-tree', '--no-commit-id', '--name-only', '-r', outcome.commit])).split('\n').filter(Boolean);
      const line = `What ${who} was merged onto ${record.base_branch} as ${outcome.commit.slice(0, 10)} (${list(files)})`;
      await writeDown(scope, record, { merge_commit: outcome.commit }, [...outcome.recovered, line, ...gitlinkNote(outcome.gitlinks)]);
      return line;
    }
    if (outcome.kind === 'nothing') return null;
    const why =
      outcome.kind === 'conflict'
        ? `it conflicts with ${record.base_branch} in ${list(outcome.files)}`
        : outcome.kind === 'busy'
          ? outcome.why
          : `its worktree has tracked files modified but not committed (${list(outcome.files)})`;
    return keep(scope, cwd, record, agentId, who, `${why}; nothing changed on ${record.base_branch}`, outcome.recovered);
  }
  return keep(scope, cwd, record, agentId, who, kept, []);
}

/** The files the merged commit changed from the branch's start that `head` has back as they were then: its work undone. */
async function undoneFiles(cwd: string, start: string, merged: string, head: string): Promise<string[]> {
  const names = async (to: string) => splitNul((await git(cwd, ['diff', '--name-only', '-z', start, to])).stdout);
  const [changed, stillChanged] = await Promise.all([names(merged), names(head).then((files) => new Set(files))]);
  return changed.filter((file) => !stillChanged.has(file));
}

/**
 * No commits after the merge, but tracked files changed and not committed (an agent's edit after its `wg done`):
 * nothing merges them and the worktree stays for them (removal-rule.ts); the task's log says so, once.
 */
async function dirtyAfterMerge(scope: WorktreeScope, record: WorktreeRecord, agentId: string): Promise<string | null> {
  if (!existsSync(record.path)) return null;
  const changed = (await localChanges(record.path, record.setup_files)).tracked;
  if (changed.length === 0) return null;
  const line = `After its work was merged, ${agentId} left tracked files modified but not committed in ${record.path} (${list(changed)}): not merged; the worktree is kept for you to commit or drop them`;
  if (await logHas(scope.store.core, record.task_id, line)) return null;
  await writeDown(scope, record, {}, [line]);
  return line;
}

async function keep(
  scope: WorktreeScope,
  cwd: string,
  record: WorktreeRecord,
  agentId: string,
  who: string,
  why: string,
  notes: string[],
): Promise<string | null> {
  const branch = await keepRecoverBranch(cwd, { branch: record.branch, baseCommit: record.base_commit, agentId, taskId: record.task_id });
  if (!branch) return null;
  const line = `What ${who} was not merged (${why}): its commits are kept on ${branch}`;
  await writeDown(scope, record, { recover_branch: branch }, [...notes, line]);
  return line;
}

/** The worktree's change and the lines in its task's log, one transaction. */
async function writeDown(
  scope: WorktreeScope,
  worktree: WorktreeRecord,
  change: { merge_commit?: string; recover_branch?: string },
  lines: string[],
): Promise<void> {
  await scope.store.core.write(async (rev) => {
    await scope.store.worktrees.update(worktree.id, change, rev);
    if (!(await findTaskState(scope.store.core, worktree.task_id))) return;
    for (const line of lines) await appendLog(scope.store.core, worktree.task_id, 'coordinator', line);
  });
}
