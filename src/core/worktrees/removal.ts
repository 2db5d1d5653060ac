import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { WgError } from '../../shared/errors';
import { git } from './git';
import { branchTip } from './repo';
import { keepDetachedHead, keepRecoverBranch } from './recover';
import { type GitWorktree, listGitWorktrees } from './worktree-list';

export interface RemovalTarget {
  path: string;
  branch: string;
  baseCommit: string;
  /** The agent and task named in a recover/ branch. */
  agentId: string;
  taskId: string;
  /** Its work is on the base branch (the recorded merge commit is there): no recover/ branch needed. */
  merged: boolean;
  /** Remove even with uncommitted changes (`wg worktree remove ID --force`). */
  force: boolean;
  /**
   * The branch's tip the caller judged the worktree by (`merged`, say); undefined: its tip when the removal begins.
   * The branch is deleted only while it still points there.
   */
  tip?: string | null;
}

/**
 * Removes a worktree and its `wg/` branch. Its commits that are not on the base branch (on its branch,
 * or on a HEAD it detached) are first kept on a `recover/` branch, so removing never loses a commit; uncommitted files are lost only
 * with `force` (git refuses otherwise, and says which). Never `git worktree prune`: that would touch
 * other worktrees, whose folders may be only briefly missing.
 */
export async function removeWorktree(
  cwd: string,
  target: RemovalTarget,
): Promise<{ recoverBranch: string | null; branchKept: string | null; leftOn: string | null }> {
  // Another worktree inside it (Claude Code makes its own under .claude/worktrees/ of the folder it works in) would
  // go with its folder, uncommitted work and all: git removes the outer one without a word, --force or not.
  const worktrees = await listGitWorktrees(cwd);
  const inside = worktrees.find((w) => !w.prunable && w.path.startsWith(`${target.path}${sep}`));
  if (inside) {
    throw new WgError(
      'conflict',
      `${target.path} was not removed: the worktree ${inside.path} is inside it (remove that one first: git worktree remove ${inside.path})`,
    );
  }
  const judged = target.tip !== undefined ? target.tip : await branchTip(cwd, target.branch);
  const kept = target.merged ? null : await keepRecoverBranch(cwd, target);
  // Commits made on a detached HEAD are on no branch at all: kept too, or they would go with the folder.
  const detached = await keepDetachedHead(cwd, target);
  const recover = kept ?? detached;
  const leftOn = await ownBranchWithCommits(cwd, target);
  if (existsSync(target.path) || worktrees.some((w) => w.path === target.path)) {
    await git(cwd, ['worktree', 'remove', ...(target.force ? ['--force'] : []), target.path]).catch((error: unknown) => {
      throw error instanceof WgError
        ? new WgError('conflict', `${target.path} was not removed: ${error.message.replace(/^git worktree: /, '')}`)
        : error;
    });
  }
  const others = worktrees.filter((w) => w.path !== target.path);
  const deleted = await deleteBranchAt(cwd, target.branch, judged, others);
  return { recoverBranch: recover, branchKept: deleted ? null : target.branch, leftOn };
}

/**
 * A branch of the agent's own checked out in the worktree (`git checkout -b fixup` after its done) with commits its
 * `wg/` branch lacks: they stay on that branch, which the removal leaves alone, but nothing else says so (the log
 * said only that the worktree was removed). Its name, or null.
 */
async function ownBranchWithCommits(cwd: string, target: RemovalTarget): Promise<string | null> {
  if (!existsSync(target.path)) return null;
  const ref = await git(target.path, ['symbolic-ref', '-q', '--short', 'HEAD'], { okCodes: [1, 128] });
  const name = ref.stdout.trim();
  if (ref.exitCode !== 0 || name === '' || name === target.branch) return null;
  const own = await branchTip(cwd, target.branch);
  const count = await git(cwd, ['rev-list', '--count', `refs/heads/${name}`, '--not', target.baseCommit, ...(own ? [own] : [])], {
    okCodes: [128],
  });
  return count.exitCode === 0 && Number(count.stdout.trim()) > 0 ? name : null;
}

/**
 * Deletes the branch if it still points at `tip` (a compare-and-swap: `update-ref -d REF OLD`). A commit made on it
 * after the worktree was judged (by a process that outlived its run, or a person) keeps the branch: that commit is on
 * no recover/ branch and would be lost with it. A branch checked out in another worktree is kept too, as
 * `git branch -D` keeps it. True when the branch is gone (or never was).
 */
async function deleteBranchAt(cwd: string, branch: string, tip: string | null, worktrees: readonly GitWorktree[]): Promise<boolean> {
  if (tip === null) return (await branchTip(cwd, branch)) === null;
  if (worktrees.some((w) => w.branch === branch && !w.prunable && existsSync(w.path))) return false;
  const result = await git(cwd, ['update-ref', '-d', `refs/heads/${branch}`, tip], { okCodes: [1] });
  return result.exitCode === 0;
}

/** What a removal's line in the task's log adds: where commits are kept, and a branch left because it moved. */
export function removalNotes(recoverBranch: string | null, branchKept: string | null, leftOn: string | null = null): string {
  const kept = recoverBranch ? `; its commits are kept on ${recoverBranch}` : '';
  const moved = branchKept ? `; its branch ${branchKept} was left in place: it changed while the worktree was removed` : '';
  const own = leftOn ? `; it had branch ${leftOn} checked out, whose commits were not merged and stay on ${leftOn}` : '';
  return kept + moved + own;
}
