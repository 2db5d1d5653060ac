import { git, gitValue } from './git';
import { listGitWorktrees } from './worktree-list';

/** A task's recover/ branch name: `recover/<agent-id>/<task-id>`, or a second one's `-N` (recover.ts). */
function isTasksRecoverBranch(name: string, taskId: string): boolean {
  const prefix = name.match(/^recover\/[^/]+\//)?.[0];
  if (!prefix) return false;
  const rest = name.slice(prefix.length);
  return rest === taskId || (rest.startsWith(`${taskId}-`) && /^\d+$/.test(rest.slice(taskId.length + 1)));
}

/**
 * Deletes the task's recover/ branches whose work is all on the base branch now: a retry that built on the kept commits
 * was merged, or a person merged them by hand (squash or not, so ancestry cannot tell). The test is the content: a
 * branch goes only when merging it into the base would change nothing (`git merge-tree` gives the base's own tree), so
 * a commit whose change is not on the base keeps its branch, whoever's it is. A branch checked out somewhere, or moved
 * since it was read, stays. Returns the names deleted.
 */
export async function dropRecoveredOnBase(cwd: string, taskId: string, baseBranch: string): Promise<string[]> {
  const refs = await gitValue(cwd, ['for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads/recover/']);
  const candidates = refs
    .split('\n')
    .map((line) => line.split(' '))
    .filter((parts): parts is [string, string] => parts.length === 2 && isTasksRecoverBranch(parts[0] as string, taskId));
  if (candidates.length === 0) return [];
  const baseTree = await gitValue(cwd, ['rev-parse', '--verify', '--quiet', `refs/heads/${baseBranch}^{tree}`]).catch(() => '');
  if (baseTree === '') return [];
  const checkedOut = new Set((await listGitWorktrees(cwd)).map((w) => w.branch));
  const dropped: string[] = [];
  for (const [name, tip] of candidates) {
    if (checkedOut.has(name)) continue;
    const merged = await git(cwd, ['merge-tree', '--write-tree', '--no-messages', `refs/heads/${baseBranch}`, tip], { okCodes: [1] });
    if (merged.exitCode !== 0 || merged.stdout.split('\n')[0] !== baseTree) continue;
    // Only while it still points where it was judged: a commit added meanwhile keeps it.
    const deleted = await git(cwd, ['update-ref', '-d', `refs/heads/${name}`, tip], { okCodes: [1] });
    if (deleted.exitCode === 0) dropped.push(name);
  }
  return dropped;
}
