import { everyAsync } from '../../src/shared/async-arrays';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeEnv, isolatedHostEnv, REPO_ROOT } from '../fixtures/claude-env';
import { bash, startFakeAnthropic, text, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { DaemonProject } from '../service/helpers/daemon-project';
import { GIT_ENV } from '../worktrees/git-project';

/**
 * README's "A first graph", followed literally (issue 26 item 5), in a newcomer's Node project
 * (a git repository with a first commit, its dependencies installed, `npm test`), with the REAL
 * Claude Code CLI against the scripted model server. The section's commands are read from README
 * and run as written, in its order, through a shell: `npm link` in this checkout (into a temporary
 * npm prefix, which is where the README's PATH comes from), then every `wg …` line in the project
 * folder with that prefix's bin on PATH; as root, the commented sandbox line too, where README puts
 * it (instead of IS_SANDBOX=1 in the environment). The two Claude tasks work in worktrees (which find
 * the project's node_modules) and are merged; "Run the tests" runs `npm test` in the project folder,
 * on the merged work, with the project's node_modules.
 */
let fake: FakeAnthropic;
let p: DaemonProject;
/** The npm prefix `npm link` writes to here: its bin is the newcomer's PATH entry for `wg`. */
let prefix = '';

/** The README section's two sh blocks: what to run in this checkout, and in one's project. */
function firstGraph(): { setup: string[]; project: string[] } {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## A first graph');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').split('\n').filter((line) => line.trim() !== ''));
  return { setup: blocks[0] ?? [], project: blocks[1] ?? [] };
}

/** Runs one README line through a shell, as a person would type it, with the linked `wg` first on PATH. */
async function typed(line: string, cwd: string, extra: Record<string, string> = {}): Promise<string> {
  const base = isolatedHostEnv();
  const env = { ...base, ...p.env, ...extra, PATH: [join(prefix, 'bin'), base.PATH].filter(Boolean).join(delimiter) };
  const result = await execa('sh', ['-c', line], { cwd, env, extendEnv: false, reject: false });
  if (result.exitCode !== 0) throw new Error(`${line} failed (${result.exitCode}): ${String(result.stderr)}`);
  return String(result.stdout);
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
  prefix = mkdtempSync(join(tmpdir(), 'wg-first-graph-npm-'));
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
  rmSync(prefix, { recursive: true, force: true });
});

describe("README's first graph, followed literally", () => {
  it('runs end to end: both Claude tasks merged from their worktrees, the tests run in the project folder, all done', async () => {
    const { setup, project } = firstGraph();
    expect(setup).toEqual(['npm link']);
    expect(project[0]).toBe('wg init');
    expect(project.some((line) => line.includes('--executor shell --exec "npm test"'))).toBe(true);
    // `npm link` as written, in this checkout, into the temporary prefix: offline, and without its
    // prepare script (the CLI is built already, and other tests run it meanwhile).
    await typed(setup[0] as string, REPO_ROOT, {
      npm_config_prefix: prefix,
      npm_config_offline: 'true',
      npm_config_ignore_scripts: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    });
    expect(existsSync(join(prefix, 'bin', 'wg'))).toBe(true);
    const isRoot = process.getuid?.() === 0;
    const said: string[] = [];
    for (const line of project) {
      // A commented command is for some readers only: the sandbox line, as root, where README puts it.
      const commented = /^# (wg .*)$/.exec(line)?.[1];
      if (commented !== undefined) {
        expect(commented).toBe('wg config --sandbox true --global');
        if (isRoot) said.push(await typed(commented, p.root));
        continue;
      }
      if (line.startsWith('#')) continue;
      await typed(line, p.root);
    }
    if (isRoot) expect(said).toEqual(['Set agent.sandbox = true (global)']);

    const ids = ['design-the-schema', 'write-the-migrations', 'run-the-tests'];
    await p.waitFor('every task to be done', () => everyAsync(ids, async (id) => (await p.task(id)).status === 'done'), 120_000);

    // Each Claude task's work was merged onto main as one commit.
    for (const id of ['design-the-schema', 'write-the-migrations']) {
      const task = await p.task(id);
      expect(task.worktree?.merge_commit).toMatch(/^[0-9a-f]{40}$/);
      expect(git(['log', '-1', '--format=%s', task.worktree?.merge_commit as string]).trim()).toMatch(new RegExp(`^feat: ${id} `));
    }
    expect(git(['show', 'main:schema.sql'])).toBe('CREATE TABLE users (id INTEGER);\n');
    expect(git(['show', 'main:migration.sql'])).toBe('-- create users\n');
    // Nothing of node_modules was committed from a worktree.
    expect(git(['ls-tree', '-r', '--name-only', 'main'])).not.toMatch(/node_modules/);

    // "Run the tests" ran npm test in the project folder itself (no worktree), with the project's node_modules.
    const tests = await p.task('run-the-tests');
    expect(tests.worktree).toBeNull();
    expect(readFileSync(join(p.root, 'tests-ran.txt'), 'utf8')).toBe(`${p.root}\n`);
    expect((await p.agentsOf('run-the-tests'))[0]).toMatchObject({ state: 'done', exit_code: 0 });

    // The merged worktrees go (their node_modules links with them), and the project's node_modules stays.
    await p.waitFor(
      'the merged worktrees to be removed',
      async () => !existsSync(join(p.root, '.wg-worktrees', (await p.agentsOf('design-the-schema'))[0]?.id ?? '')),
    );
    expect(readFileSync(join(p.root, 'node_modules', 'sql-helper', 'index.js'), 'utf8')).toBe('module.exports = {};\n');

    // `wg agents --alive` (the block's last line) ran; nothing is left alive now.
    // (A Claude run may still be ending its last turn after its wg done: waited for, not assumed.)
    await p.waitFor('no agent alive', async () => (await p.ok(['agents', '--alive'])).trim() === 'No agents registered.');
  }, 240_000);
});
