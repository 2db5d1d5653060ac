import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, startFakeAnthropic, text, toolResultsOf, type FakeAnthropic, type RecordedRequest } from '../fixtures/fake-anthropic';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * The REAL Claude Code CLI (2.1.330) as an agent whose Bash commands run in login shells that set PATH afresh. Claude
 * Code runs a command with `bash -c -l` whenever its shell snapshot is missing: on a loaded machine, one not made
 * within 10 s of the session's start, or one that failed. Here it fails at once (its snapshots folder is a file), and
 * the HOME's login profile sets PATH=/usr/bin:/bin, as Debian's /etc/profile and many people's own do. The scripted
 * model types plain `wg`, as the prompt's examples do: before the run's CLAUDE_ENV_FILE, every call was "command not
 * found" and the task failed "exited without reporting or changing anything".
 */
let fake: FakeAnthropic;
let p: DaemonProject;

const SCRIPT = [
  [bash('echo "PATH=$PATH"; wg log $WG_TASK_ID "logged from a login shell"', 'Log progress')],
  [bash('wg done $WG_TASK_ID', 'Mark the task done')],
  [text('Done.')],
];

beforeAll(async () => {
  fake = await startFakeAnthropic(SCRIPT);
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-claude-login-', env, isolatedHostEnv());
  const home = join(p.root, 'home');
  mkdirSync(join(home, '.claude'), { recursive: true });
  const profile = 'PATH=/usr/bin:/bin\nexport PATH\n';
  for (const file of ['.profile', '.bash_profile']) writeFileSync(join(home, file), profile);
  // Where Claude Code writes its shell snapshot, taken by a file: no snapshot, so every command runs in a login shell.
  writeFileSync(join(home, '.claude', 'shell-snapshots'), '');
  Object.assign(env, claudeEnv(fake.url, home));
  await p.init();
});
afterAll(async () => {
  await p.remove();
  await fake.close();
});

describe('the real Claude Code CLI in login shells whose profile sets PATH afresh', () => {
  it('finds this app’s wg by its plain name: wg log and wg done from the model reach the task', async () => {
    await p.ok(['add', 'Say hello', '--id', 'hello']);
    await p.start(['--model', 'haiku']);
    await waitFor(
      'the claude agent to finish',
      async () => {
        const state = (await p.agentsOf('hello'))[0]?.state;
        return state !== undefined && state !== 'working';
      },
      90_000,
    );

    const task = await p.task('hello');
    const [agent] = await p.agentsOf('hello');
    expect(task.status, task.failure_reason ?? '').toBe('done');
    expect(task.log.find((l) => l.message === 'logged from a login shell')?.actor).toBe(agent?.id);
    expect(task.log.find((l) => l.message === 'Task marked done')?.actor).toBe(agent?.id);
    // The command did run in a login shell that set PATH afresh: the profile's PATH, with only the app's wg before it.
    const output = toolResultsOf(fake.conversation()[1] as RecordedRequest)[0]?.content ?? '';
    expect(output).toContain(`PATH=${join(p.paths.serviceDir, 'bin')}:/usr/bin:/bin\n`);
  });
});
