import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cachedRepoFacts } from '../../src/core/worktrees/repo-facts-cache';
import { GIT_ENV } from './git-project';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-repo-facts-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const PATH = process.env.PATH;
afterEach(() => {
  process.env.PATH = PATH;
});
const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: 'ignore' });

/** With no git on PATH, only a remembered answer can come back (a git call would find nothing). */
function withoutGit<T>(work: () => Promise<T>): Promise<T> {
  process.env.PATH = '/nonexistent';
  return work().finally(() => {
    process.env.PATH = PATH;
  });
}

describe('the repository facts the coordinator asks for at every run start', () => {
  it('are remembered while nothing git reads changed, and asked again when it did', async () => {
    const folder = join(root, 'plain');
    mkdirSync(folder);
    expect(await cachedRepoFacts(folder)).toBeNull();

    // Made a repository: seen at the next call.
    git(folder, ['init', '-q', '-b', 'main']);
    git(folder, ['commit', '-q', '--allow-empty', '-m', 'first']);
    const facts = await cachedRepoFacts(folder);
    expect(facts).toMatchObject({ top: folder, branch: 'main' });
    // Unchanged: answered without git.
    expect(await withoutGit(() => cachedRepoFacts(folder))).toEqual(facts);

    // Another branch checked out: asked again.
    git(folder, ['checkout', '-q', '-b', 'other']);
    expect((await cachedRepoFacts(folder))?.branch).toBe('other');
    expect((await withoutGit(() => cachedRepoFacts(folder)))?.branch).toBe('other');
  });

  it('see a repository made in a folder inside another one', async () => {
    const outer = join(root, 'outer');
    const inner = join(outer, 'inner');
    mkdirSync(inner, { recursive: true });
    git(outer, ['init', '-q', '-b', 'main']);
    git(outer, ['commit', '-q', '--allow-empty', '-m', 'first']);
    expect((await cachedRepoFacts(inner))?.top).toBe(outer);
    git(inner, ['init', '-q', '-b', 'main']);
    git(inner, ['commit', '-q', '--allow-empty', '-m', 'first']);
    expect((await cachedRepoFacts(inner))?.top).toBe(inner);
  });
});
