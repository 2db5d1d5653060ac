import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/**
 * `wg init` keeps the workgraph folder out of git as upstream's does: its name in the repository's
 * .gitignore and a .gitignore of its own, so `git add -A` never takes the API token, graph.db or a
 * run's prompt. Here what git stages; the .gitignore files wg init writes are in init-gitignore.test.ts.
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

  it("a team's upstream folder committed to git: this app's own folder in it (graph.db, the token, run prompts) is never staged", async () => {
    p = new TempProject('wg-init-ignore-');
    git(p.root, 'init', '-q', '-b', 'main');
    writeFileSync(join(p.root, '.gitignore'), '.home/\n');
    // Upstream's folder as a team commits it: its graph.jsonl, and the .gitignore upstream's init wrote (no desktop/ in it).
    mkdirSync(join(p.root, '.wg'));
    writeFileSync(
      join(p.root, '.wg', 'graph.jsonl'),
      `${JSON.stringify({ kind: 'task', id: 'thing', title: 'Write the thing', status: 'open' })}\n`,
    );
    writeFileSync(
      join(p.root, '.wg', '.gitignore'),
      '# WG gitignore\n# Agent output logs (can be large)\nagents/\n\n# Service files\nservice/\n',
    );
    git(p.root, 'add', '-A');
    git(p.root, 'commit', '-q', '-m', 'the team graph');
    const fake = join(p.home, 'fake-claude');
    mkdirSync(p.home, { recursive: true });
    writeFileSync(fake, '#!/bin/sh\ncat > /dev/null\n', { mode: 0o755 });
    expect((await p.wg(['service', 'start'], { env: { WG_CLAUDE_BIN: fake } })).exitCode).toBe(0);
    const runs = join(p.root, '.wg', 'desktop', 'runs');
    const deadline = Date.now() + 20_000;
    while (!(existsSync(runs) && readdirSync(runs).some((run) => existsSync(join(runs, run, 'stdin'))))) {
      if (Date.now() > deadline) throw new Error('no run folder with a prompt');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(existsSync(join(p.root, '.wg', 'desktop', 'graph.db'))).toBe(true);
    git(p.root, 'add', '-A');
    const staged = git(p.root, 'diff', '--cached', '--name-only').trim().split('\n');
    expect(staged.filter((file) => file.startsWith('.wg/desktop/'))).toEqual([]);
    // Upstream's own .gitignore is left as the team wrote it.
    expect(readFileSync(join(p.root, '.wg', '.gitignore'), 'utf8')).toContain('service/');
    expect(readFileSync(join(p.root, '.wg', '.gitignore'), 'utf8')).not.toContain('desktop');
  });
});
