import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taskDiff } from '../../src/core/agency/evaluation/task-diff';
import { folderBaseline } from '../../src/core/worktrees/folder-baseline';
import { localChanges } from '../../src/core/worktrees/changes';

/**
 * The app's looks into a folder (what is uncommitted there, what a task changed, the fingerprint of a run's
 * folder) must not write its git index: writing takes index.lock, and a commit made in that folder at that
 * moment fails ("Unable to create index.lock: File exists"). It happened: the sweep's `git status` of every
 * worktree met the commit of the files a run left at its end, and the task failed
 * (test/worktrees/coordinator-worktrees.test.ts, 7 of 48 runs under load). git rewrites the index on such a
 * look when a tracked file's time changed and its content did not, which is what each case sets up.
 */
describe("the app's looks into a folder leave its git index alone", () => {
  let repo = '';
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  const index = () => ({ bytes: readFileSync(join(repo, '.git', 'index')), mtimeMs: statSync(join(repo, '.git', 'index')).mtimeMs });

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'wg-index-untouched-'));
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'a.txt'), 'a\n');
    git('add', 'a.txt');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'a');
    // Same content, a later time: the index's record of a.txt is stale, and a plain `git status` rewrites it.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(repo, 'a.txt'), later, later);
    writeFileSync(join(repo, 'new.txt'), 'new\n');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('the premise: a plain git status rewrites the index here', () => {
    const before = index();
    git('status', '--porcelain');
    expect(index().mtimeMs).not.toBe(before.mtimeMs);
  });

  it('what is uncommitted (the sweep, wg show, a run end committing what it left)', async () => {
    const before = index();
    expect((await localChanges(repo)).untracked).toEqual(['new.txt']);
    expect(index()).toEqual(before);
  });

  it("what a task changed, for its evaluator (the task's files since it started, in the shared folder)", async () => {
    writeFileSync(join(repo, 'b.txt'), 'b\n');
    git('add', 'b.txt');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'b');
    writeFileSync(join(repo, 'b.txt'), 'b, changed\n');
    // The commit refreshed the index: a.txt's record is made stale again.
    const later = new Date(Date.now() + 90_000);
    utimesSync(join(repo, 'a.txt'), later, later);
    const before = index();
    const diff = await taskDiff(repo, { artifacts: ['a.txt', 'b.txt'], started_at: new Date(Date.now() + 120_000).toISOString() });
    expect(diff).toContain('+b, changed');
    expect(diff).not.toContain('a.txt');
    expect(index()).toEqual(before);
  });

  it("the fingerprint of a run's folder (evidence of work)", async () => {
    const before = index();
    expect(await folderBaseline(repo)).not.toBeNull();
    expect(index()).toEqual(before);
  });
});
