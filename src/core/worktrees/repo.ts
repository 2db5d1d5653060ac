import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { WgError } from '../../shared/errors';
import { git, gitValue } from './git';

/** What the coordinator needs to know about the project folder's repository. */
export interface RepoFacts {
  /** The top of the project folder's working tree. */
  top: string;
  /** The repository's shared git folder (`.git` of the main worktree), where refs and `info/exclude` live. */
  commonDir: string;
  /** The branch checked out in the project folder; null on a detached HEAD. */
  branch: string | null;
  /** The git folder of the project folder's own worktree, where its HEAD is. */
  gitDir: string;
}

/** Null when `folder` is not inside a git working tree. One git call, and a read of HEAD's file. */
export async function repoFacts(folder: string): Promise<RepoFacts | null> {
  const result = await git(folder, ['rev-parse', '--is-inside-work-tree', '--show-toplevel', '--git-common-dir', '--git-dir'], {
    okCodes: [128],
  }).catch((error: unknown) => {
    // A folder that does not exist or is no repository: not a repo, for our purposes.
    if (error instanceof WgError && error.code === 'conflict') return null;
    throw error;
  });
  if (result?.exitCode !== 0) return null;
  const [inside, top, common, gitDir] = result.stdout.split('\n');
  if (inside !== 'true' || !top || !common || !gitDir) return null;
  const ownGitDir = isAbsolute(gitDir) ? gitDir : resolve(folder, gitDir);
  const branch = await checkedOutBranch(top, ownGitDir);
  return { top, commonDir: isAbsolute(common) ? common : resolve(folder, common), gitDir: ownGitDir, branch };
}

/**
 * The branch HEAD names, also on a branch with no commit yet (just after `git init`), where `git rev-parse
 * --abbrev-ref HEAD` fails and the folder would read as no repository at all. Null when detached. Read from HEAD's
 * file; a reftable repository keeps only a stub there (`refs/heads/.invalid`), and git is asked.
 */
async function checkedOutBranch(top: string, gitDir: string): Promise<string | null> {
  // Undefined: the file does not say (unreadable, or reftable's stub), and git is asked.
  let named: string | null | undefined;
  try {
    named = /^ref: refs\/heads\/(.+)$/.exec(readFileSync(join(gitDir, 'HEAD'), 'utf8').trim())?.[1] ?? null;
  } catch {
    named = undefined;
  }
  if (named !== undefined && named !== '.invalid') return named;
  const result = await git(top, ['symbolic-ref', '--short', '-q', 'HEAD'], { okCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() || null : null;
}

/** The commit a branch points at, or null when there is no such branch. */
export async function branchTip(cwd: string, branch: string): Promise<string | null> {
  const result = await git(cwd, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { okCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** Whether `commit` is reachable from `tip` (a squash merge's commit on its base branch, say). */
export async function isAncestor(cwd: string, commit: string, tip: string): Promise<boolean> {
  const result = await git(cwd, ['merge-base', '--is-ancestor', commit, tip], { okCodes: [1, 128] });
  return result.exitCode === 0;
}

/** How many commits `head` has that `base` does not. */
export async function commitsAhead(cwd: string, base: string, head: string): Promise<number> {
  return Number(await gitValue(cwd, ['rev-list', '--count', `${base}..${head}`]));
}

/**
 * The branch new worktrees start from: `[coordinator] base_branch` when set, else the branch checked
 * out in the project folder. A detached HEAD without a configured base has none: say how to fix it.
 */
export async function resolveBaseBranch(facts: RepoFacts, configured: string | null): Promise<{ branch: string; tip: string }> {
  const branch = configured ?? facts.branch;
  if (!branch) {
    throw new WgError(
      'invalid',
      `the project folder ${facts.top} has a detached HEAD: check out a branch or set [coordinator] base_branch`,
    );
  }
  const tip = await branchTip(facts.top, branch);
  if (!tip && configured) {
    throw new WgError(
      'invalid',
      `base branch '${branch}' (coordinator.base_branch) does not exist in ${facts.top}: create it, or name another with wg config --base-branch NAME`,
    );
  }
  if (!tip) throw new WgError('invalid', `base branch '${branch}' does not exist (or has no commits yet) in ${facts.top}`);
  return { branch, tip };
}
