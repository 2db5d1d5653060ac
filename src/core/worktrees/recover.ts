import { git } from './git';
import { recoverBranch } from './naming';
import { branchTip, commitsAhead } from './repo';

/**
 * Keeps a branch's commits that are not on the base as `recover/<agent-id>/<task-id>` (a second
 * `-2`, `-3` when an earlier one holds something else). Returns the branch name, or null when there
 * was nothing to keep. Done before anything is removed, and when an agent dies or is killed.
 */
export async function keepRecoverBranch(
  cwd: string,
  input: { branch: string; baseCommit: string; agentId: string; taskId: string },
): Promise<string | null> {
  const head = await branchTip(cwd, input.branch);
  if (!head || (await commitsAhead(cwd, input.baseCommit, head)) === 0) return null;
  return keepCommit(cwd, head, input);
}

/** `head` kept as `recover/<agent-id>/<task-id>` (or the first `-N` free or already holding it). */
export async function keepCommit(cwd: string, head: string, input: { agentId: string; taskId: string }): Promise<string | null> {
  const name = recoverBranch(input.agentId, input.taskId);
  for (let n = 1; n < 100; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    const existing = await branchTip(cwd, candidate);
    if (existing === head) return candidate;
    if (existing) continue;
    await git(cwd, ['branch', candidate, head]);
    return candidate;
  }
  return null;
}
