import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/**
 * `wg init` keeps the workgraph folder out of git as upstream's does: its name in the repository's
 * .gitignore and a .gitignore of its own, so `git add -A` never takes the API token, graph.db or a
 * run's prompt.
 */
let p: TempProject;
afterEach(async () => {
  await p?.wg(['service', 'stop', '--kill-agents']);
  p?.remove();
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  });

describe('wg init and git (upstream init.rs tests)', () => {
  it('test_creates_inner_gitignore: the folder ignores its service files, credentials and this app’s own files', async () => {
    p = new TempProject('wg-init-ignore-');
    await p.ok(['init']);
    const inner = readFileSync(join(p.root, '.workgraph', '.gitignore'), 'utf8');
    for (const line of ['agents/', 'service/', '*.secret', '*.credentials', 'graph.db', 'runs/', 'desktop/'])
      expect(inner.split('\n')).toContain(line);
  });

  it('test_creates_repo_level_gitignore_when_missing', async () => {
    p = new TempProject('wg-init-ignore-');
    expect(await p.ok(['init'])).toBe(`Added .workgraph to .gitignore\nInitialized workgraph in ${join(p.root, '.workgraph')}`);
    expect(readFileSync(join(p.root, '.gitignore'), 'utf8')).toBe('.workgraph\n');
  });

  it('test_appends_to_existing_repo_gitignore (a last line without its newline kept whole)', async () => {
    p = new TempProject('wg-init-ignore-');
    writeFileSync(join(p.root, '.gitignore'), 'node_modules/\ndist');
    await p.ok(['init']);
    expect(readFileSync(join(p.root, '.gitignore'), 'utf8')).toBe('node_modules/\ndist\n.workgraph\n');
  });

  it('test_does_not_duplicate_repo_gitignore_entry; a folder that was there is left as it is', async () => {
    p = new TempProject('wg-init-ignore-');
    writeFileSync(join(p.root, '.gitignore'), '/.workgraph/\n');
    expect(await p.ok(['init'])).not.toContain('Added');
    expect(readFileSync(join(p.root, '.gitignore'), 'utf8')).toBe('/.workgraph/\n');
    writeFileSync(join(p.root, '.gitignore'), 'other\n');
    expect(await p.ok(['init'])).toBe(`Workgraph already initialized in ${join(p.root, '.workgraph')}`);
    expect(readFileSync(join(p.root, '.gitignore'), 'utf8')).toBe('other\n');
  });

  it('git add -A after wg init stages no token, graph.db or run prompt, even with the folder taken out of .gitignore', async () => {
    p = new TempProject('wg-init-ignore-');
    // A repository with a first commit (the test's WG_HOME, .home/, kept out of it).
    git(p.root, 'init', '-q', '-b', 'main');
    writeFileSync(join(p.root, '.gitignore'), '.home/\n');
    writeFileSync(join(p.root, 'README.md'), '# project\n');
    git(p.root, 'add', '-A');
    git(p.root, 'commit', '-q', '-m', 'first');
    await p.ok(['init']);
    // A service with its token, and an agent's run with its prompt (a stand-in for the claude CLI that exits at once).
    const fake = join(p.home, 'fake-claude');
    mkdirSync(p.home, { recursive: true });
    writeFileSync(fake, '#!/bin/sh\ncat > /dev/null\n', { mode: 0o755 });
    expect((await p.wg(['service', 'start'], { env: { WG_CLAUDE_BIN: fake } })).exitCode).toBe(0);
    await p.ok(['add', 'Write the thing', '--id', 'thing', '--executor', 'claude']);
    const runs = join(p.root, '.workgraph', 'runs');
    const deadline = Date.now() + 20_000;
    while (!(existsSync(runs) && readdirSync(runs).some((run) => existsSync(join(runs, run, 'stdin'))))) {
      if (Date.now() > deadline) throw new Error('no run folder with a prompt');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(existsSync(join(p.root, '.workgraph', 'service', 'token'))).toBe(true);

    git(p.root, 'add', '-A');
    expect(git(p.root, 'diff', '--cached', '--name-only').trim().split('\n')).toEqual(['.gitignore']);

    // Someone commits the folder after all (as some commit upstream's graph.jsonl): still none of them.
    writeFileSync(join(p.root, '.gitignore'), '.home/\n');
    git(p.root, 'add', '-A');
    const staged = git(p.root, 'diff', '--cached', '--name-only').trim().split('\n');
    const inside = staged.filter((file) => file.startsWith('.workgraph/'));
    expect(inside).toContain('.workgraph/.gitignore');
    expect(inside.filter((file) => /\/(service|runs|desktop)\/|\/graph\.db/.test(file))).toEqual([]);
  });
});
