import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WgError } from '../../shared/errors';
import { localChanges } from './changes';
import { ensureExcluded } from './exclude';
import { git } from './git';
import { worktreeBranch, worktreePath, worktreesRoot } from './naming';
import { branchTip, type RepoFacts } from './repo';
import { linkNodeModules } from './node-dependencies';
import { runSetupScript } from './setup-script';
import { oneAddAtATime } from './worktree-adds';
import { listGitWorktrees } from './worktree-list';

export interface CreateRequest {
  facts: RepoFacts;
  projectRoot: string;
  wgDir: string;
  agentId: string;
  taskId: string;
  /** The base branch and the tip to start from (resolveBaseBranch). */
  base: { branch: string; tip: string };
  /** What the setup script sees besides the arguments (WG_* of the run). */
  env?: Record<string, string>;
}

export interface CreatedWorktree {
  path: string;
  branch: string;
  /** Untracked paths the setup script left: not anyone's work. */
  setupFiles: string[];
}

/**
 * Makes `.wg-worktrees/<agent-id>/` on a new branch `wg/<agent-id>/<task-id>` from the base branch's tip, keeps the folder out of `git status`, and runs the project's setup script in it (without one, a Node project's
 * node_modules is linked in: linkNodeModules). A folder or
 * branch of that name already there is refused, never reused or replaced: it may hold someone's work.
 * If the setup script fails, the worktree just made (nothing in it but the checkout) is taken away again.
 */
export async function createWorktree(request: CreateRequest): Promise<CreatedWorktree> {
  const { facts, projectRoot, agentId, taskId, base } = request;
  const path = worktreePath(projectRoot, agentId);
  const branch = worktreeBranch(agentId, taskId);
  if (existsSync(path)) throw new WgError('conflict', `${path} already exists; it is kept as it is (see wg worktree list)`);
  if (await branchTip(facts.top, branch)) throw new WgError('conflict', `branch ${branch} already exists; it is kept as it is`);
  mkdirSync(worktreesRoot(projectRoot), { recursive: true });
  ensureExcluded(facts.commonDir);
  await oneAddAtATime(facts.commonDir, () => git(facts.top, ['worktree', 'add', '--quiet', '--no-track', '-b', branch, path, base.tip]));
  try {
    const ran = await runSetupScript(request.wgDir, path, projectRoot, request.env);
    // No setup script: the documented default for a Node project (its node_modules linked in).
    const inside = relative(facts.top, projectRoot);
    const linked = !ran && linkNodeModules(projectRoot, inside ? join(path, inside) : path);
    const setupFiles = ran || linked ? (await localChanges(path)).untracked : [];
    return { path, branch, setupFiles };
  } catch (error) {
    await git(facts.top, ['worktree', 'remove', '--force', path]).catch(() => undefined);
    await git(facts.top, ['branch', '-D', branch]).catch(() => undefined);
    throw error;
  }
}

/**
 * A kept worktree whose folder was deleted by hand but whose branch survives: checked out again in
 * the same place, so a retry still resumes its commits.
 */
export async function reattachWorktree(facts: RepoFacts, path: string, branch: string): Promise<void> {
  if (!(await branchTip(facts.top, branch))) throw new WgError('not_found', `worktree ${path} and its branch ${branch} are both gone`);
  const elsewhere = (await listGitWorktrees(facts.top)).find((w) => w.branch === branch && w.path !== path && !w.prunable);
  if (elsewhere) throw new WgError('conflict', `branch ${branch} is checked out in ${elsewhere.path}`);
  // The folder is gone, so git may still list it as "missing but registered": --force reuses the entry.
  await oneAddAtATime(facts.commonDir, () => git(facts.top, ['worktree', 'add', '--quiet', '--force', path, branch]));
}
