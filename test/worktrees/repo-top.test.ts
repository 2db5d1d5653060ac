import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareWorkingFolder } from '../../src/core/runs/starting/working-folder';
import { findRepoTop } from '../../src/core/worktrees/plan';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the repository a folder is in, from the files alone', () => {
  it('finds a .git folder at the folder or above it, follows a .git file to its git folder, and says none where there is neither', () => {
    root = mkdtempSync(join(tmpdir(), 'wg-repo-top-'));
    const repo = join(root, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, 'a', 'b'), { recursive: true });
    expect(findRepoTop(repo)).toEqual({ top: repo, gitDir: join(repo, '.git') });
    expect(findRepoTop(join(repo, 'a', 'b'))).toEqual({ top: repo, gitDir: join(repo, '.git') });
    expect(findRepoTop(`${repo}/a/../a/b/`)).toEqual({ top: repo, gitDir: join(repo, '.git') });
    // A linked worktree: `.git` is a file naming its git folder (relative to the worktree here).
    const linked = join(root, 'linked');
    mkdirSync(linked);
    writeFileSync(join(linked, '.git'), 'gitdir: ../repo/.git/worktrees/linked\n');
    expect(findRepoTop(linked)).toEqual({ top: linked, gitDir: join(repo, '.git', 'worktrees', 'linked') });
    const broken = join(root, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, '.git'), 'not a pointer\n');
    expect(findRepoTop(broken)).toBeNull();
    // Outside any repository (as long as nothing above the temporary folder is one).
    const plain = join(root, 'plain');
    mkdirSync(plain);
    const above = findRepoTop(root);
    expect(findRepoTop(plain)).toEqual(above);
    if (above === null) expect(findRepoTop(plain)).toBeNull();
  });

  it('takes a .git it cannot stat (a symlink loop) as no .git, as before, and a working folder it cannot stat as missing', async () => {
    root = mkdtempSync(join(tmpdir(), 'wg-repo-top-'));
    const repo = join(root, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    const inner = join(repo, 'inner');
    mkdirSync(inner);
    symlinkSync('.git', join(inner, '.git'));
    expect(findRepoTop(inner)).toEqual({ top: repo, gitDir: join(repo, '.git') });
    const loop = join(root, 'loop');
    symlinkSync('loop', loop);
    expect(await prepareWorkingFolder(loop, { baseline: false })).toEqual({ ok: false, reason: `working folder ${loop} does not exist` });
    expect(await prepareWorkingFolder(repo, { baseline: false })).toEqual({ ok: true, path: repo, baseline: null });
  });
});
