import { join } from 'node:path';

/** Where agent worktrees live, inside the project folder (as upstream: `.wg-worktrees/<agent-id>/`). */
export const WORKTREES_DIR = '.wg-worktrees';

export function worktreesRoot(projectRoot: string): string {
  return join(projectRoot, WORKTREES_DIR);
}

export function worktreePath(projectRoot: string, id: string): string {
  return join(worktreesRoot(projectRoot), id);
}

/** `wg/<agent-id>/<task-id>`: the agent that made it, and its task. */
export function worktreeBranch(agentId: string, taskId: string): string {
  return `wg/${agentId}/${taskId}`;
}

/** Where a dead or killed agent's unmerged commits are kept: `recover/<agent-id>/<task-id>`. */
export function recoverBranch(agentId: string, taskId: string): string {
  return `recover/${agentId}/${taskId}`;
}

/** The message of a task's squash merge; its first line is how a merge already made is found again. */
export function mergeSubject(taskId: string, agentId: string, when: string | undefined): string {
  return `feat: ${taskId} (${agentId}${when ? `, ${when}` : ''})`;
}

/** `when`: a merge of work made after the first one ("after done"), told apart in its subject. */
export function mergeMessage(taskId: string, agentId: string, title: string, branch: string, when?: string): string {
  return `${mergeSubject(taskId, agentId, when)}\n\n${title}\n\nSquash-merged from worktree branch ${branch}\n`;
}
