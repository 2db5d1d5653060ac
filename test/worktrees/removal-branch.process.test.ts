import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeWorktree } from '../../src/core/worktrees/removal';
import { GIT_ENV, GitProject } from './git-project';

/*
 * A worktree's removal deletes its wg/ branch only while the branch still points where the worktree was judged by
 * (a compare-and-swap): a commit made on it after (by a process that outlived its run, or a person) would be on no
 * recover/ branch when the worktree was judged merged, and would go with the branch.
 */
Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-removal-branch-');
let base = '';

beforeAll(async () => {
  await p.init({ 'a.txt': 'a\n' });
  base = p.git(['rev-parse', 'main']).trim();
});
afterAll(() => p.remove());

/** A worktree on its own branch with one commit; returns its path, branch and that commit. */
function worktree(name: string): { path: string; branch: string; tip: string } {
  const path = join(p.root, `wt-${name}`);
  const branch = `wg/agent-${name}/t-${name}`;
  p.git(['worktree', 'add', '-q', '-b', branch, path, 'main']);
  p.git(['commit', '-q', '--allow-empty', '-m', `work of ${name}`], path);
  return { path, branch, tip: p.git(['rev-parse', branch]).trim() };
}

const target = (wt: { path: string; branch: string }, name: string, tip?: string) => ({
  path: wt.path,
  branch: wt.branch,
  baseCommit: base,
  agentId: `agent-${name}`,
  taskId: `t-${name}`,
  merged: true,
  force: false,
  ...(tip === undefined ? {} : { tip }),
});

const tipOf = (branch: string) => p.git(['for-each-ref', '--format=%(objectname)', `refs/heads/${branch}`]).trim();

describe("a worktree's removal and its branch", () => {
  it('deletes the branch where it still points where it was judged', async () => {
    const wt = worktree('same');
    await expect(removeWorktree(p.dir, target(wt, 'same', wt.tip))).resolves.toEqual({
      recoverBranch: null,
      branchKept: null,
      leftOn: null,
    });
    expect(tipOf(wt.branch)).toBe('');
  });

  it('keeps the branch, and says so, where a commit came after the worktree was judged', async () => {
    const wt = worktree('moved');
    // What another process committed on the branch after the caller looked (here, from the project folder).
    const late = p.git(['commit-tree', '-p', wt.tip, '-m', 'late work', `${wt.tip}^{tree}`]).trim();
    p.git(['update-ref', `refs/heads/${wt.branch}`, late]);
    const result = await removeWorktree(p.dir, target(wt, 'moved', wt.tip));
    expect(result).toEqual({ recoverBranch: null, branchKept: wt.branch, leftOn: null });
    expect(tipOf(wt.branch)).toBe(late);
  });

  it('keeps a branch checked out in another worktree', async () => {
    const wt = worktree('elsewhere');
    p.git(['worktree', 'remove', wt.path]);
    const other = join(p.root, 'wt-person');
    p.git(['worktree', 'add', '-q', other, wt.branch]);
    const result = await removeWorktree(p.dir, target({ path: wt.path, branch: wt.branch }, 'elsewhere', wt.tip));
    expect(result.branchKept).toBe(wt.branch);
    expect(p.git(['-C', other, 'rev-parse', 'HEAD']).trim()).toBe(wt.tip);
  });
});
