import { sep } from 'node:path';
import { findTaskState } from '../store/task-reads';
import { appendLog, touch } from '../store/task-writes';
import type { WorktreeScope } from './inspect';
import { keepCommit } from './recover';
import { branchTip, isAncestor, repoFacts } from './repo';
import { listGitWorktrees, type GitWorktree } from './worktree-list';

/** Where Claude Code makes its own worktrees (its EnterWorktree tool, a subagent's `isolation: "worktree"`). */
const CLAUDE_WORKTREES = `${sep}.claude${sep}worktrees${sep}`;

/** What became of one worktree a run made: the line for the task's log. */
async function keepStray(cwd: string, stray: GitWorktree, run: StrayRun, base: string | null): Promise<string> {
  const baseTip = base ? await branchTip(cwd, base) : null;
  const own = stray.head !== null && (baseTip === null || !(await isAncestor(cwd, stray.head, baseTip)));
  const kept = own && stray.head ? await keepCommit(cwd, stray.head, run) : null;
  const what = `${stray.branch ? `branch ${stray.branch}` : 'a detached HEAD'}${stray.locked ? ', locked' : ''}`;
  const commits = kept
    ? `its commits that are not on ${base ?? 'the base branch'} are kept on ${kept}`
    : `it holds no commits that are not on ${base ?? 'the base branch'}`;
  return (
    `A worktree of Claude Code's own appeared at ${stray.path} (${what}) while ${run.agentId} ran: nothing in it is merged ` +
    `with the task's work; ${commits}; it is left in place for you (git worktree remove${stray.locked ? ' -f -f' : ''} ${stray.path})`
  );
}

export interface StrayRun {
  agentId: string;
  taskId: string;
  /** The repository's worktrees when the run started (its baseline). */
  before: readonly string[];
}

/**
 * A run that made a worktree of its own under `.claude/worktrees/` (Claude Code's tools) worked outside
 * the folder it was given: its commits there never reach its branch, and `wg done` finds nothing to
 * merge. Found at the run's end against the worktree list taken at its start; each one is named in the
 * task's log, and its commits are kept on a recover/ branch so that removing it loses nothing. It is
 * not removed here (it may hold uncommitted work, and git lets only a forced removal take a locked one).
 * Returns the lines written.
 */
export async function reportStrayWorktrees(scope: WorktreeScope, run: StrayRun): Promise<string[]> {
  const repo = await repoFacts(scope.paths.root);
  if (!repo) return [];
  const before = new Set(run.before);
  const strays = (await listGitWorktrees(repo.top)).filter(
    (w) => !w.bare && !w.prunable && !before.has(w.path) && w.path.includes(CLAUDE_WORKTREES),
  );
  if (strays.length === 0) return [];
  const base = (await scope.store.worktrees.forAgent(run.agentId))?.base_branch ?? repo.branch;
  const lines: string[] = [];
  for (const stray of strays) lines.push(await keepStray(repo.top, stray, run, base));
  await scope.store.core.write(async (rev) => {
    if (!(await findTaskState(scope.store.core, run.taskId))) return;
    for (const line of lines) await appendLog(scope.store.core, run.taskId, 'coordinator', line);
    await touch(scope.store.core, run.taskId, rev);
  });
  return lines;
}
