import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { WgError } from '../../shared/errors';
import { git } from './git';
import { keepDetachedHead, keepRecoverBranch } from './recover';
import { listGitWorktrees } from './worktree-list';

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
}

/**
 * Removes a worktree and its `wg/` branch. Its commits that are not on the base branch (on its branch,
 * or on a HEAD it detached) are first kept on a `recover/` branch, so removing never loses a commit; uncommitted files are lost only
 * with `force` (git refuses otherwise, and says which). Never `git worktree prune`: that would touch
 * other worktrees, whose folders may be only briefly missing.
 */
export async function removeWorktree(cwd: string, target: RemovalTarget): Promise<{ recoverBranch: string | null }> {
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
  const kept = target.merged ? null : await keepRecoverBranch(cwd, target);
  // Commits made on a detached HEAD are on no branch at all: kept too, or they would go with the folder.
  const detached = await keepDetachedHead(cwd, target);
  const recover = kept ?? detached;
  if (existsSync(target.path) || worktrees.some((w) => w.path === target.path)) {
    await git(cwd, ['worktree', 'remove', ...(target.force ? ['--force'] : []), target.path]).catch((error: unknown) => {
      throw error instanceof WgError
        ? new WgError('conflict', `${target.path} was not removed: ${error.message.replace(/^git worktree: /, '')}`)
        : error;
    });
  }
  await git(cwd, ['branch', '-D', target.branch], { okCodes: [1] });
  return { recoverBranch: recover };
}
