import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeEnv, isolatedHostEnv, REPO_ROOT } from '../fixtures/claude-env';
import { bash, startFakeAnthropic, text, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { DaemonProject } from '../service/helpers/daemon-project';
import { GIT_ENV } from '../worktrees/git-project';

/**
 * README's "A first graph", followed literally (issue 26 item 5), in a newcomer's Node project
 * (a git repository with a first commit, its dependencies installed, `npm test`), with the REAL
 * Claude Code CLI against the scripted model server. Every `npx wg …` line of the README's block
 * runs as written (through this app's `wg`); as root, the README's own one line for a sandbox
 * (`wg config --sandbox true --global`) too, instead of IS_SANDBOX=1 in the environment. The two
 * Claude tasks work in worktrees (which find the project's node_modules) and are merged; "Run the
 * tests" runs `npm test` in the project folder, on the merged work, with the project's node_modules.
 */
let fake: FakeAnthropic;
let p: DaemonProject;

/** The README section's `npx wg …` lines, from its sh block, and the sandbox line from the text after it. */
function firstGraph(): { block: string[]; sandbox: string } {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A first graph'), readme.indexOf('\n## ', readme.indexOf('## A first graph') + 1));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const sandbox = /`(npx wg config --sandbox[^`]*)`/.exec(section)?.[1] ?? '';
  return { block: block.split('\n').filter((line) => line.startsWith('npx wg ')), sandbox };
}

/** A README line's words, as a shell would split them (double quotes only: that is all it uses). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

const git = (args: string[]) => execFileSync('git', args, { cwd: p.root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });

// Each Claude task writes its file (the migrations need the project's dependency, found through the worktree's
// node_modules), commits it on its branch and reports done.
const WORK =
  'case "$WG_TASK_ID" in ' +
  'design-the-schema) echo "CREATE TABLE users (id INTEGER);" > schema.sql ;; ' +
  `write-the-migrations) node -e "require('sql-helper')" && echo "-- create users" > migration.sql ;; ` +
  'esac && git add -A && git commit -qm "$WG_TASK_ID" && wg done "$WG_TASK_ID"';

beforeAll(async () => {
  fake = await startFakeAnthropic([[bash(WORK, 'Do the work')], [text('Done.')]]);
  const env: Record<string, string> = { ...GIT_ENV };
  p = new DaemonProject('wg-first-graph-', env, isolatedHostEnv());
  mkdirSync(join(p.root, 'home'), { recursive: true });
  const claude = claudeEnv(fake.url, join(p.root, 'home'));
  // As root, the README's own line says this machine is a sandbox: the environment must not say it already.
  delete claude.IS_SANDBOX;
  Object.assign(env, claude);
  // A newcomer's Node project: committed, its dependencies installed (and ignored, as usual).
  writeFileSync(join(p.root, 'package.json'), `${JSON.stringify({ name: 'app', private: true, scripts: { test: 'node test.js' } })}\n`);
  writeFileSync(join(p.root, '.gitignore'), 'node_modules/\nhome/\n');
  writeFileSync(
    join(p.root, 'test.js'),
    [
      "const fs = require('node:fs');",
      "require('sql-helper');",
      "if (!fs.existsSync('schema.sql') || !fs.existsSync('migration.sql')) { console.error('missing work'); process.exit(1); }",
      "fs.writeFileSync('tests-ran.txt', process.cwd() + '\\n');",
      '',
    ].join('\n'),
  );
  mkdirSync(join(p.root, 'node_modules', 'sql-helper'), { recursive: true });
  writeFileSync(join(p.root, 'node_modules', 'sql-helper', 'index.js'), 'module.exports = {};\n');
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'first commit']);
});
afterAll(async () => {
  await p.remove();
  await fake.close();
});

describe("README's first graph, followed literally", () => {
  it('runs end to end: both Claude tasks merged from their worktrees, the tests run in the project folder, all done', async () => {
    const { block, sandbox } = firstGraph();
    expect(block[0]).toBe('npx wg init');
    expect(block.some((line) => line.includes('--executor shell --exec "npm test"'))).toBe(true);
    const isRoot = process.getuid?.() === 0;
    for (const line of block) {
      // The service starts after what must be said before it: as root, the README's sandbox line.
      if (isRoot && line.startsWith('npx wg service start')) {
        expect(sandbox).toBe('npx wg config --sandbox true --global');
        await p.ok(words(sandbox).slice(2));
      }
      await p.ok(words(line).slice(2));
    }

    const ids = ['design-the-schema', 'write-the-migrations', 'run-the-tests'];
    await p.waitFor('every task to be done', () => ids.every((id) => p.task(id).status === 'done'), 120_000);

    // Each Claude task's work was merged onto main as one commit.
    for (const id of ['design-the-schema', 'write-the-migrations']) {
      const task = p.task(id);
      expect(task.worktree?.merge_commit).toMatch(/^[0-9a-f]{40}$/);
      expect(git(['log', '-1', '--format=%s', task.worktree?.merge_commit as string]).trim()).toMatch(new RegExp(`^feat: ${id} `));
    }
    expect(git(['show', 'main:schema.sql'])).toBe('CREATE TABLE users (id INTEGER);\n');
    expect(git(['show', 'main:migration.sql'])).toBe('-- create users\n');
    // Nothing of node_modules was committed from a worktree.
    expect(git(['ls-tree', '-r', '--name-only', 'main'])).not.toMatch(/node_modules/);

    // "Run the tests" ran npm test in the project folder itself (no worktree), with the project's node_modules.
    const tests = p.task('run-the-tests');
    expect(tests.worktree).toBeNull();
    expect(readFileSync(join(p.root, 'tests-ran.txt'), 'utf8')).toBe(`${p.root}\n`);
    expect(p.agentsOf('run-the-tests')[0]).toMatchObject({ state: 'done', exit_code: 0 });

    // The merged worktrees go (their node_modules links with them), and the project's node_modules stays.
    await p.waitFor(
      'the merged worktrees to be removed',
      () => !existsSync(join(p.root, '.wg-worktrees', p.agentsOf('design-the-schema')[0]?.id ?? '')),
    );
    expect(readFileSync(join(p.root, 'node_modules', 'sql-helper', 'index.js'), 'utf8')).toBe('module.exports = {};\n');

    // `wg agents --alive` (the block's last line) ran; nothing is left alive now.
    expect((await p.ok(['agents', '--alive'])).trim()).toBe('(no agents)');
  });
});
