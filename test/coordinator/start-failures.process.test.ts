import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProject } from '../service/helpers/daemon-project';
import { GIT_ENV } from '../worktrees/git-project';

/**
 * Starts that cannot work fail once, in plain words, using no retry: they burned every retry in
 * milliseconds ("working folder … does not exist" three times in 10 ms), or failed with the shell's
 * own words ("…/runs/agent-1: 1: claude: not found").
 */
let p: DaemonProject;
beforeAll(async () => {
  // A git repository with no commit yet, and no claude anywhere this coordinator looks.
  p = new DaemonProject('wg-start-fail-', { WG_CLAUDE_BIN: '/nonexistent/claude' });
  execFileSync('git', ['init', '-q'], { cwd: p.root });
  await p.init();
  await p.ok(['add', 'First', '--id', 'first']);
  await p.start();
});
afterAll(async () => {
  await p.wg(['service', 'stop']);
  p.remove();
});

describe('a start that cannot work', () => {
  it('a git repository with no commit yet: says so and how to go on, once', async () => {
    const task = await p.waitFor('first to fail', () => (p.task('first').status === 'failed' ? p.task('first') : null));
    expect(task.failure_reason).toBe(
      `the git repository ${p.root} has no commit yet, so no worktree can be made for the run: make a first commit ` +
        '(git add -A && git commit -m "first commit"), or run agents in the folder itself (wg config --worktrees false)',
    );
    expect(task.retry_count).toBe(0);
    expect(p.agentsOf('first')).toHaveLength(1);
  });

  it('a CLI that is not where WG_CLAUDE_BIN says: names the variable and its path, once, counting no retry', async () => {
    await p.ok(['config', '--worktrees', 'false']);
    await p.ok(['add', 'Second', '--id', 'second']);
    const task = await p.waitFor('second to fail', () => (p.task('second').status === 'failed' ? p.task('second') : null));
    expect(task.failure_reason).toBe(
      'WG_CLAUDE_BIN names /nonexistent/claude, where there is no claude: point WG_CLAUDE_BIN at the installed claude, or unset it to use claude on PATH',
    );
    // README: a start that cannot work does not count in retry_count (it was 1).
    expect(task.retry_count).toBe(0);
    expect(p.agentsOf('second')).toHaveLength(1);
  });

  it('a base branch that does not exist: says so and how to name another, once, counting no retry (it was retried at +5 s, +10 s)', async () => {
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'first commit'], { cwd: p.root, env: { ...process.env, ...GIT_ENV } });
    await p.ok(['config', '--worktrees', 'true', '--base-branch', 'nosuch']);
    await p.ok(['executor', 'add', 'shell', '--type', 'shell', '--worktree', 'true']);
    await p.ok(['add', 'Third', '--id', 'third', '--executor', 'shell', '--exec', 'true']);
    const task = await p.waitFor('third to fail', () => (p.task('third').status === 'failed' ? p.task('third') : null));
    expect(task.failure_reason).toBe(
      `cannot make the run's worktree: base branch 'nosuch' (coordinator.base_branch) does not exist in ${p.root}: ` +
        'create it, or name another with wg config --base-branch NAME',
    );
    expect(task.retry_count).toBe(0);
    expect(p.agentsOf('third')).toHaveLength(1);
  });
});
