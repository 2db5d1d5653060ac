import { existsSync } from 'node:fs';
import { WgError } from '../../shared/errors';
import { git, gitValue } from './git';
import { branchTip, isAncestor } from './repo';

/** The worktree's HEAD and its branch hold different commits: a done is refused with this (its message says how to join them). */
export class HeadApartError extends WgError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/**
 * An agent's worktree whose HEAD left its `wg/` branch (`git checkout -b my-feature`, `git checkout --detach`)
 * and committed there: the merge takes the branch, which then holds none of that work, and "nothing to merge"
 * would mark the task done with its work on a branch no line names. What the worktree's HEAD holds is its work:
 * when it only adds to the branch, the branch is moved up to it (a fast-forward: nothing on the branch is lost)
 * and the worktree put back on the branch (same commit, so no file changes), and the merge takes it all. When
 * the two hold different commits there is no safe choice: refused, naming both and how to put them together.
 * Returns a line for the task's log, or null when HEAD holds nothing the branch and the base lack.
 */
export async function followWorktreeHead(
  cwd: string,
  record: { path: string; branch: string; base_branch: string },
): Promise<string | null> {
  const { path, branch } = record;
  if (!existsSync(path)) return null;
  const ref = (await git(path, ['symbolic-ref', '-q', 'HEAD'], { okCodes: [1, 128] })).stdout.trim();
  if (ref === `refs/heads/${branch}`) return null;
  const read = await git(path, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { okCodes: [1, 128] });
  const head = read.stdout.trim();
  if (read.exitCode !== 0 || head === '') return null;
  const [tip, baseTip] = await Promise.all([branchTip(cwd, branch), branchTip(cwd, record.base_branch)]);
  // A HEAD that only looks at older work (`git checkout main~2` to read it) holds nothing to merge.
  const fresh = await gitValue(cwd, ['rev-list', '-1', head, ...[tip, baseTip].filter((c): c is string => c !== null).map((c) => `^${c}`)]);
  if (fresh === '') return null;
  const where = ref.startsWith('refs/heads/') ? `branch ${ref.slice('refs/heads/'.length)}` : 'a detached HEAD';
  if (tip !== null && !(await isAncestor(cwd, tip, head))) {
    const name = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : head.slice(0, 10);
    throw new HeadApartError(
      `the worktree ${path} is on ${where}, not ${branch}, and each holds commits the other lacks: nothing was merged; put them together on ${branch} (git checkout ${branch} && git merge ${name}) and run wg done again`,
    );
  }
  // Compare-and-swap: moved only from the tip just read (or created, if the agent deleted it).
  await git(cwd, ['update-ref', '-m', `wg: follow the worktree's HEAD (${where})`, `refs/heads/${branch}`, head, tip ?? '']);
  // Same commit, so only HEAD's name changes: the index and files stay as they are, and later commits land on the branch.
  await git(path, ['symbolic-ref', '-m', `wg: back on ${branch}`, 'HEAD', `refs/heads/${branch}`]);
  return `The worktree was on ${where}, not ${branch}, with commits of its own there: ${branch} was moved up to them (${head.slice(0, 10)}) so they are merged, and the worktree is back on ${branch}`;
}
