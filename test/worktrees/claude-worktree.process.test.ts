import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeProjectEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, startFakeAnthropic, text, toolResultsOf, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { GIT_ENV, initClaudeRepo } from './git-project';

/**
 * The REAL Claude Code CLI (scripted model) as an agent in its own worktree: its Bash tool writes a
 * file, commits it on the worktree's branch and calls `wg done`, which squash-merges it onto main.
 */
let fake: FakeAnthropic;
let p: DaemonProject;

const SCRIPT = [
  [
    bash(
      'pwd; echo "$WG_BRANCH"; echo "made by claude" > hello.txt && git add hello.txt && git commit -qm "hello" && wg done $WG_TASK_ID',
      'Write, commit, report',
    ),
  ],
  [text('Done.')],
];

const git = (args: string[]) => execFileSync('git', args, { cwd: p.root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });

beforeAll(async () => {
  fake = await startFakeAnthropic(SCRIPT);
  const env: Record<string, string> = { ...GIT_ENV };
  p = new DaemonProject('wg-claude-wt-', env, isolatedHostEnv());
  Object.assign(env, claudeProjectEnv(fake.url, join(p.root, '.home', 'claude')));
  initClaudeRepo(p.root);
  await p.init();
});
afterAll(async () => {
  await p.remove();
  await fake.close();
});

describe('the real Claude Code CLI in its own worktree', () => {
  it('writes and commits a file on its branch, calls wg done, and the file lands on main as one squash commit', async () => {
    const before = git(['rev-parse', 'main']).trim();
    await p.ok(['add', 'Say hello in a file', '--id', 'hello']);
    await p.start(['--model', 'haiku']);
    await waitFor('the claude agent to finish', async () => (await p.agentsOf('hello'))[0]?.state === 'done', 90_000);

    const task = await p.task('hello');
    const agent = (await p.agentsOf('hello'))[0]?.id ?? '';
    expect(task.status).toBe('done');
    expect(task.log.find((l) => l.message === 'Task marked done')?.actor).toBe(agent);
    // Its Bash tool ran in the worktree, on the worktree's branch.
    const second = fake.conversation()[1];
    const output = second ? (toolResultsOf(second)[0]?.content ?? '') : '';
    expect(output).toContain(`${realpathSync(p.root)}/.wg-worktrees/${agent}\nwg/${agent}/hello`);
    // One squash commit on main, recorded on the task, with the file; the project folder has it too.
    expect(git(['rev-list', '--count', `${before}..main`]).trim()).toBe('1');
    expect(git(['log', '-1', '--format=%s', 'main'])).toBe(`feat: hello (${agent})\n`);
    expect(git(['show', 'main:hello.txt'])).toBe('made by claude\n');
    expect(task.worktree?.merge_commit).toBe(git(['rev-parse', 'main']).trim());
    expect(existsSync(join(p.root, 'hello.txt'))).toBe(true);
    // The prompt told the model about its worktree and branch.
    expect(JSON.stringify(fake.conversation()[0]?.body)).toContain(`on branch \`wg/${agent}/hello\``);
  });
});
