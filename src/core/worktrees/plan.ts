import { readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { worktreeBranch, worktreePath } from './naming';
import { wantsWorktree } from './isolated';
// A type only: the claim that plans must not load git (run-worktree.ts) into every `wg`.
import type { RunRequest } from './run-worktree';

/** Where a run will work, decided inside its claim's transaction (no git process: files only). */
export interface PlannedFolder {
  cwd: string;
  /** Its worktree's branch and the base branch it merges onto; null when it runs in the project folder. */
  worktree: { branch: string; base: string | null } | null;
}

/**
 * A path's stat, or undefined where it cannot be stat'ed (missing, or any other error: as
 * existsSync answers false), in one system call where existsSync and then statSync made two.
 */
export function statIfThere(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** The top of the git working tree holding `folder` and its git folder, from the files alone. */
export function findRepoTop(folder: string): { top: string; gitDir: string } | null {
  let current = resolve(folder);
  for (;;) {
    // `current` is resolved already: no `join` (which normalizes the whole path again, each folder up).
    const dotGit = current.endsWith(sep) ? `${current}.git` : `${current}${sep}.git`;
    // One stat a folder, the answer whether it is there too (a claim walks this for every run).
    const found = statIfThere(dotGit);
    if (found) {
      if (found.isDirectory()) return { top: current, gitDir: dotGit };
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      return pointer ? { top: current, gitDir: resolve(current, pointer) } : null;
    }
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

/** The branch checked out where `gitDir` belongs (its HEAD file), or null when detached. */
function checkedOutBranch(gitDir: string): string | null {
  try {
    return /^ref: refs\/heads\/(.+)$/m.exec(readFileSync(join(gitDir, 'HEAD'), 'utf8'))?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}

/**
 * The folder a run will work in, as the claim names it to the executor and the prompt: the task's
 * kept worktree (a retry resumes it), a person's own, or the new `.wg-worktrees/<agent-id>/`; the
 * project folder when the project does not isolate runs. prepareRunWorktree makes it so, or fails.
 */
export async function planRunFolder(input: RunRequest): Promise<PlannedFolder> {
  const { store, paths, settings, taskId, agentId } = input;
  const inProject: PlannedFolder = { cwd: paths.root, worktree: null };
  if (!wantsWorktree(input.executorType, input.worktree)) return inProject;
  const current = await store.worktrees.newestForTask(taskId);
  if (current?.owner === 'person' && current.state !== 'removed') return { cwd: current.path, worktree: null };
  const wanted = settings.coordinator.worktrees;
  const repo = wanted === false ? null : findRepoTop(paths.root);
  if (!repo)
    return wanted === true
      ? { cwd: worktreePath(paths.root, agentId), worktree: { branch: worktreeBranch(agentId, taskId), base: null } }
      : inProject;
  const inside = relative(repo.top, paths.root);
  const at = (top: string) => (inside ? join(top, inside) : top);
  // A kept worktree whose folder went is checked out again at the same place (prepareRunWorktree).
  if (current && (current.state === 'active' || current.state === 'conflict')) {
    return { cwd: at(current.path), worktree: { branch: current.branch, base: current.base_branch } };
  }
  const base = settings.coordinator.base_branch ?? checkedOutBranch(repo.gitDir);
  return { cwd: at(worktreePath(paths.root, agentId)), worktree: { branch: worktreeBranch(agentId, taskId), base } };
}
