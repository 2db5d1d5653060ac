import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../service/helpers/daemon-project';
import { GitProject } from './git-project';

/**
 * A worktree setup script that fails: the task's reason is one sentence (the line of its output that
 * says what went wrong, and where the rest is), and its whole output goes to the task's log. It used
 * to be the reason itself, npm's every line of it ("…exited 3: setting up\nnpm error\nnpm error Run …").
 */
const p = new GitProject('wg-setup-fail-');

const NPM_LIKE = [
  'echo "setting up"',
  'echo "npm error code EUSAGE" >&2',
  'echo "npm error" >&2',
  'echo "npm error The \\`npm ci\\` command can only install with an existing package-lock.json" >&2',
  'echo "npm error A complete log of this run can be found in: /root/.npm/_logs/debug-0.log" >&2',
  'exit 3',
].join('\n');

beforeAll(async () => {
  await p.init({ 'README.md': '# project\n' });
  p.write('.workgraph/worktree-setup.sh', `${NPM_LIKE}\n`);
  await p.ok(['executor', 'add', 'shell', '--type', 'shell', '--worktree', 'true']);
  await p.ok(['add', 'Build', '--id', 'build', '--exec', 'true', '--max-retries', '0']);
  await p.ok(['service', 'start', '--json']);
});
afterAll(() => p.killAllAndRemove());

describe('a failing worktree setup script', () => {
  it("gives a one-line reason naming what went wrong, and its output in the task's log", async () => {
    const task = await waitFor('build to fail', async () =>
      (await (await p.store()).get('build')).status === 'failed' ? (await p.store()).get('build') : null,
    );
    expect(task.failure_reason).toBe(
      "launch failed: cannot make the run's worktree: the worktree setup script .workgraph/worktree-setup.sh exited 3: " +
        'npm error code EUSAGE (its output is in the task log); no retries left (0)',
    );
    expect(task.failure_reason).not.toContain('\n');
    const printed = task.log.find((l) => l.message.startsWith('What the start of agent-1 printed: '))?.message ?? '';
    expect(printed).toContain('setting up');
    expect(printed).toContain('can only install with an existing package-lock.json');
  });
});
