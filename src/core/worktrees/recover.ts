import { existsSync } from 'node:fs';
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
    if ((await git(cwd, ['branch', candidate, head], { okCodes: [128] })).exitCode === 0) return candidate;
    // Made meanwhile by another process keeping the same run's work (`wg retry --fresh` beside the coordinator's end
    // of that run): the same commit is kept once; another commit there, the next name. Neither: git's own refusal.
    const made = await branchTip(cwd, candidate);
    if (made === head) return candidate;
    if (made) continue;
    await git(cwd, ['branch', candidate, head]);
    return candidate;
  }
  return null;
}

/**
 * The worktree's own HEAD when it left its branch (an agent's `git checkout --detach`, then commits):
 * commits no branch holds, which its removal would leave reachable from nothing. Kept on a recover/
 * branch like unmerged work; null when HEAD is on a branch, adds nothing to the base, or a branch other
 * than `branch` (about to go) holds it already.
 */
export async function keepDetachedHead(
  cwd: string,
  input: { path: string; branch: string; baseCommit: string; agentId: string; taskId: string },
): Promise<string | null> {
  if (!existsSync(input.path)) return null;
  if ((await git(input.path, ['symbolic-ref', '-q', 'HEAD'], { okCodes: [1, 128] })).exitCode === 0) return null;
  const read = await git(input.path, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { okCodes: [1, 128] });
  const head = read.stdout.trim();
  if (read.exitCode !== 0 || (await commitsAhead(cwd, input.baseCommit, head)) === 0) return null;
  const holders = (await git(cwd, ['for-each-ref', '--contains', head, '--format=%(refname:short)', 'refs/heads/'])).stdout
    .split('\n')
    .filter((name) => name !== '' && name !== input.branch);
  return holders.length > 0 ? null : keepCommit(cwd, head, input);
}
