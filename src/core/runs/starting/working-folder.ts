import { planRunFolder, statIfThere } from '../../worktrees/plan';
import { prepareRunWorktree, type RunRequest } from '../../worktrees/run-worktree';
import { SetupScriptError } from '../../worktrees/setup-script';
import { folderBaseline, type FolderBaseline } from '../../worktrees/folder-baseline';
import { errorText } from '../../../shared/errors';

/**
 * Where a run works. Planned in the claim's transaction (the launch spec and the prompt name it),
 * made ready just before the process starts (outside any transaction: it may take time): a run of a
 * code-changing executor in a git repository works in its own worktree (src/core/worktrees/), made
 * or reused by `runWorktreeFolder`; others in the project folder.
 */
export const plannedWorkingFolder = planRunFolder;

export type PreparedFolder = { ok: true; path: string; baseline: FolderBaseline | null } | { ok: false; reason: string };

/** What a task run needs to find (or make) its worktree. */
export type WorktreeRequest = RunRequest;

/** A run's folder once its worktree (if any) exists, and what the run is told of it. */
export type RunFolder = { ok: true; cwd: string; env: Record<string, string> } | { ok: false; reason: string; detail?: string };

/**
 * Makes or reuses the run's own worktree (a run that should have one and cannot fails with the
 * reason: it never falls back to the shared folder). Its folder, and WG_WORKTREE_PATH, WG_BRANCH,
 * WG_PROJECT_ROOT; the planned folder unchanged for a run without a worktree.
 */
export async function runWorktreeFolder(request: WorktreeRequest, planned: string): Promise<RunFolder> {
  try {
    const worktree = await prepareRunWorktree(request);
    return worktree ? { ok: true, cwd: worktree.cwd, env: worktree.env } : { ok: true, cwd: planned, env: {} };
  } catch (error) {
    const reason = `cannot make the run's worktree: ${errorText(error)}`;
    // A setup script's output goes to the task's log; the reason keeps its one line.
    return error instanceof SetupScriptError && error.output ? { ok: false, reason, detail: error.output } : { ok: false, reason };
  }
}

/**
 * Makes the planned folder ready for the run and notes its state (for the rule that an agent
 * that exits without reporting must have changed something). A folder that cannot be made ready
 * fails the run with that reason; the run never falls back to another folder.
 */
export async function prepareWorkingFolder(path: string, options: { baseline: boolean }): Promise<PreparedFolder> {
  if (!statIfThere(path)?.isDirectory()) return { ok: false, reason: `working folder ${path} does not exist` };
  return { ok: true, path, baseline: options.baseline ? await folderBaseline(path) : null };
}
