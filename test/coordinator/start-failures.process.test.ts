import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProject } from '../service/helpers/daemon-project';
import { GIT_ENV } from '../worktrees/git-project';
import type { ServiceStatus } from '../../src/shared/service-types';

/**
 * Starts that cannot work fail once, in plain words, using no retry: they burned every retry in
 * milliseconds ("working folder … does not exist" three times in 10 ms). What this machine lacks for
 * every start alike (an agent CLI not installed, a first commit, the configured base branch) fails nothing: the tasks wait for it,
 * and start once it is there (they all failed, one after the other, with the shell's own
 * "…/runs/agent-1: 1: claude: not found", or "no commit yet").
 */
let p: DaemonProject;
/** Where WG_CLAUDE_BIN points: nothing there until a test puts a stand-in for Claude Code there. */
let claudeBin: string;
beforeAll(async () => {
  // A git repository with no commit yet, and no claude anywhere this coordinator looks (npm test's PATH has
  // node_modules/.bin, where Claude Code is: WG_CLAUDE_BIN names the place looked at instead).
  p = new DaemonProject('wg-start-fail-');
  claudeBin = join(p.root, '.bin', 'claude');
  p.extraEnv.WG_CLAUDE_BIN = claudeBin;
  // Codex is installed (a stand-in that reports done): a task whose model it serves does not wait for claude. It is
  // started as `codex app-server`, whose stdin its holder keeps open: it reports done at once, without reading it.
  const codexBin = join(p.root, '.bin', 'codex');
  mkdirSync(join(p.root, '.bin'), { recursive: true });
  writeFileSync(codexBin, '#!/bin/sh\nexec "$WG_BIN" done "$WG_TASK_ID"\n');
  chmodSync(codexBin, 0o755);
  p.extraEnv.WG_CODEX_BIN = codexBin;
  execFileSync('git', ['init', '-q'], { cwd: p.root });
  await p.init();
  await p.ok(['executor', 'add', 'shell', '--type', 'shell', '--worktree', 'true']);
  await p.ok(['add', 'First', '--id', 'first', '--executor', 'shell', '--exec', 'true']);
  await p.start();
});
afterAll(async () => {
  await p.wg(['service', 'stop']);
  await p.remove();
});

describe('a start that cannot work', () => {
  it('a git repository with no commit yet: the task waits, saying so and how to go on, once, and starts once there is a commit', async () => {
    const told = await p.waitFor('first to say why it waits', async () => {
      const found = await p.task('first');
      return found.log.find((entry) => entry.message.startsWith('Waiting:'));
    });
    expect(told.message).toBe(
      `Waiting: the git repository ${p.root} has no commit yet, so no worktree can be made for the run: make a first commit ` +
        '(git add -A && git commit -m "first commit"), or run agents in the folder itself (wg config --worktrees false); ' +
        'it starts by itself once there is a commit (or worktrees are off)',
    );
    expect(await p.task('first')).toMatchObject({ status: 'open', retry_count: 0 });
    expect(await p.agentsOf('first')).toEqual([]);
    // Runs in the folder itself: the settings changed, and what waited starts at once.
    await p.ok(['config', '--worktrees', 'false']);
    await p.waitFor('first to be done', async () => (await p.task('first')).status === 'done');
    expect(await p.agentsOf('first')).toHaveLength(1);
    // Worktrees again, still no commit: the next task waits, and starts once there is one.
    await p.ok(['config', '--worktrees', 'true']);
    await p.ok(['add', 'Again', '--id', 'again', '--executor', 'shell', '--exec', 'true']);
    await p.waitFor('again to say why it waits', async () => (await p.task('again')).log.some((entry) => entry.message === told.message));
    expect(await p.agentsOf('again')).toEqual([]);
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'first commit'], { cwd: p.root, env: { ...process.env, ...GIT_ENV } });
    await p.waitFor('again to be done', async () => (await p.task('again')).status === 'done');
    expect(await p.agentsOf('again')).toHaveLength(1);
  });

  it('a base branch that does not exist: the task waits, saying so and how to name another, once, and starts once the branch is there (each task failed)', async () => {
    await p.ok(['config', '--base-branch', 'nosuch']);
    await p.ok(['add', 'Third', '--id', 'third', '--executor', 'shell', '--exec', 'true']);
    const told = await p.waitFor('third to say why it waits', async () =>
      (await p.task('third')).log.find((entry) => entry.message.startsWith('Waiting:')),
    );
    expect(told.message).toBe(
      `Waiting: base branch 'nosuch' (coordinator.base_branch) does not exist in ${p.root}, so no worktree can be made for the run: ` +
        'create it, or name another with wg config --base-branch NAME; it starts by itself once that branch is there (or another is named)',
    );
    expect(await p.task('third')).toMatchObject({ status: 'open', retry_count: 0 });
    expect(await p.agentsOf('third')).toEqual([]);
    execFileSync('git', ['branch', 'nosuch'], { cwd: p.root, env: { ...process.env, ...GIT_ENV } });
    await p.waitFor('third to be done', async () => (await p.task('third')).status === 'done');
    expect(await p.agentsOf('third')).toHaveLength(1);
    await p.ok(['config', '--unset', 'coordinator.base_branch']);
  });
});

describe('an agent CLI that is not installed', () => {
  const waiting = () =>
    `WG_CLAUDE_BIN names ${claudeBin}, where there is no claude: point WG_CLAUDE_BIN at the installed claude, or unset it to use claude on PATH`;

  it('fails no task: the tasks wait for it, say so once each, and the rest of the graph goes on without them', async () => {
    await p.ok(['config', '--worktrees', 'false', '--max-agents', '1']);
    for (const id of ['c1', 'c2', 'c3']) await p.ok(['add', `Needs claude ${id}`, '--id', id]);
    // Behind them in the queue, with the one slot: it still starts (the waiting tasks take no slot).
    await p.ok(['add', 'Shell work', '--id', 'sh', '--executor', 'shell', '--exec', 'true']);
    await p.waitFor('the shell task to be done', async () => (await p.task('sh')).status === 'done');
    const reason = waiting();
    for (const id of ['c1', 'c2', 'c3']) {
      const task = await p.waitFor(`${id} to say why it waits`, async () => {
        const found = await p.task(id);
        return found.log.some((entry) => entry.message.startsWith('Waiting:')) ? found : null;
      });
      expect(task.status).toBe('open');
      expect(task.retry_count).toBe(0);
      expect(await p.agentsOf(id)).toEqual([]);
      expect(task.log.filter((entry) => entry.message.startsWith('Waiting:')).map((entry) => entry.message)).toEqual([
        `Waiting: ${reason}; it starts by itself once that is found`,
      ]);
    }
    // Said once in the service's errors, and as what waits while it does: `wg service status` and the window show both.
    const status = JSON.parse(await p.ok(['service', 'status', '--json'])) as ServiceStatus;
    expect(status.waiting).toEqual([{ reason, executors: ['claude'] }]);
    expect(await p.ok(['service', 'status'])).toContain(`\nwaiting: tasks of executor 'claude': ${reason}\n`);
    expect(
      status.recent_errors.map((error) => error.message).filter((message) => message.startsWith("tasks of executor 'claude'")),
    ).toEqual([`tasks of executor 'claude' wait: ${reason}`]);
  });

  it('a task whose model another installed CLI serves is not held with them: it starts there (it waited for claude)', async () => {
    // Provider `codex`: the model runs through codex (guide: a task that names no executor goes to one that reaches its model).
    await p.ok(['model', 'add', 'own-codex', '--provider', 'codex', '--model-id', 'gpt-5']);
    await p.ok(['add', 'Through codex', '--id', 'cx', '--model', 'own-codex']);
    await p.waitFor('cx to be done by codex', async () => (await p.task('cx')).status === 'done');
    expect((await p.agentsOf('cx')).map((agent) => agent.executor)).toEqual(['codex']);
    expect((await p.task('cx')).log.some((entry) => entry.message.startsWith('Waiting:'))).toBe(false);
    // The tasks of the default executor still wait.
    expect((await p.task('c1')).status).toBe('open');
  });

  it('`wg spawn` by hand says the same in one line, exits 1 and changes nothing', async () => {
    const result = await p.wg(['spawn', 'c1']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe(`wg: ${waiting()}`);
    expect((await p.task('c1')).status).toBe('open');
    expect(await p.agentsOf('c1')).toEqual([]);
  });

  it('once the CLI is there, the waiting tasks start by themselves', async () => {
    // A stand-in for Claude Code: what is asserted is that the coordinator finds the program and starts the tasks.
    mkdirSync(join(p.root, '.bin'), { recursive: true });
    writeFileSync(claudeBin, '#!/bin/sh\ncat >/dev/null\nexec "$WG_BIN" done "$WG_TASK_ID"\n');
    chmodSync(claudeBin, 0o755);
    for (const id of ['c1', 'c2', 'c3']) {
      await p.waitFor(
        `${id} to be done by one run`,
        async () => (await p.task(id)).status === 'done' && (await p.agentsOf(id))[0]?.state === 'done',
      );
      expect(await p.agentsOf(id)).toHaveLength(1);
    }
    const status = JSON.parse(await p.ok(['service', 'status', '--json'])) as ServiceStatus;
    expect(status.waiting).toBeUndefined();
    expect(await p.ok(['service', 'status'])).not.toContain('waiting:');
  });
});
