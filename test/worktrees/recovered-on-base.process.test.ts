import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropRecoveredOnBase } from '../../src/core/worktrees/recovered-on-base';
import { GitProject } from './git-project';

/**
 * A task's recover/ branches once its work is merged (real git): one whose every change is on main goes, however it got
 * there (a retry built on it, a person's squash merge); one holding a change main lacks stays, as does one checked out.
 */
const p = new GitProject('wg-recovered-');

beforeAll(async () => {
  await p.init({ 'README.md': '# project\n' });
});
afterAll(() => p.remove());

/** A branch off main with one commit writing FILE, main left where it was. */
function branchWith(branch: string, file: string, text: string): void {
  p.git(['checkout', '-q', '-b', branch, 'main']);
  p.write(file, text);
  p.git(['add', file]);
  p.git(['commit', '-q', '-m', `${branch} work`]);
  p.git(['checkout', '-q', 'main']);
}

/** The branch's one file, taken onto main as a commit of its own (no ancestry, as the coordinator's squash merges). */
function squashOntoMain(branch: string, file: string): void {
  p.git(['checkout', branch, '--', file]);
  p.git(['commit', '-q', '-m', `squash ${branch}`]);
}

describe('dropRecoveredOnBase', () => {
  it('deletes the task’s recover/ branches whose changes are all on main, and only those', async () => {
    branchWith('recover/agent-2/t', 'a.txt', 'a\n');
    branchWith('recover/agent-4/t-2', 'b.txt', 'b\n');
    branchWith('recover/agent-5/t', 'c.txt', 'not merged\n');
    // Another task's, its work on main too: not this task's to delete.
    branchWith('recover/agent-6/other', 'd.txt', 'd\n');
    squashOntoMain('recover/agent-2/t', 'a.txt');
    squashOntoMain('recover/agent-4/t-2', 'b.txt');
    squashOntoMain('recover/agent-6/other', 'd.txt');
    // Main moved on since: a later change to another file does not keep them.
    p.write('README.md', '# project, later\n');
    p.git(['commit', '-q', '-am', 'later']);

    expect((await dropRecoveredOnBase(p.dir, 't', 'main')).sort()).toEqual(['recover/agent-2/t', 'recover/agent-4/t-2']);
    expect(p.branches('recover/*').sort()).toEqual(['recover/agent-5/t', 'recover/agent-6/other']);
  });

  it('keeps a branch whose change main has since changed again (merging it would change main)', async () => {
    branchWith('recover/agent-7/u', 'u.txt', 'first\n');
    squashOntoMain('recover/agent-7/u', 'u.txt');
    p.write('u.txt', 'changed by a person\n');
    p.git(['commit', '-q', '-am', 'person edits u']);
    expect(await dropRecoveredOnBase(p.dir, 'u', 'main')).toEqual([]);
    expect(p.branches('recover/agent-7/*')).toEqual(['recover/agent-7/u']);
  });

  it('keeps a branch checked out in a worktree, and does nothing without such branches or a base', async () => {
    branchWith('recover/agent-8/v', 'v.txt', 'v\n');
    squashOntoMain('recover/agent-8/v', 'v.txt');
    p.git(['worktree', 'add', '-q', join(p.root, 'look'), 'recover/agent-8/v']);
    expect(await dropRecoveredOnBase(p.dir, 'v', 'main')).toEqual([]);
    expect(await dropRecoveredOnBase(p.dir, 'none', 'main')).toEqual([]);
    expect(await dropRecoveredOnBase(p.dir, 'v', 'no-such-branch')).toEqual([]);
  });
});
