import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEventPage } from '../../src/shared/run-event';
import { isolatedHostEnv } from '../fixtures/claude-env';
import { codexEnv } from '../fixtures/codex-env';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { GIT_ENV } from './git-project';

/**
 * The REAL codex CLI (scripted Responses API) and a `cli` executor (a command line with {cwd} and the
 * prompt on stdin) as agents in their own worktrees: each writes a file, commits it on its branch and
 * calls `wg done`, which squash-merges it onto main as one commit recorded on the task.
 */
let fake: FakeOpenAi;
let p: DaemonProject;
/** Outside the repository (ignored): the codex home and what the cli agent writes about itself. */
let side = '';

const git = (args: string[]) => execFileSync('git', args, { cwd: p.root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });

/** A cli agent: changes to {cwd}, keeps its prompt and where it ran, then does its work and reports. */
const CLI_AGENT = [
  'cd "$1" || exit 3',
  `cat > ${'"$SIDE"'}/prompt.txt`,
  `echo "$(pwd)|$WG_BRANCH" > "$SIDE"/where.txt`,
  'echo "made by cli" > cli.txt && git add cli.txt && git commit -qm "cli work" && wg done "$2"',
].join('\n');

beforeAll(async () => {
  const env: Record<string, string> = { ...GIT_ENV };
  p = new DaemonProject('wg-codex-wt-', env, isolatedHostEnv());
  side = join(p.root, '.side');
  fake = await startFakeOpenAi([
    {
      exec: 'pwd; echo "$WG_BRANCH"; echo "made by codex" > codex.txt && git add codex.txt && git commit -qm "codex work" && "$WG_BIN" done hello',
    },
    { say: 'Done.' },
  ]);
  Object.assign(env, codexEnv(fake.url, side), { SIDE: side });
  writeFileSync(join(side, 'agent.sh'), CLI_AGENT);
  git(['init', '-q', '-b', 'main']);
  writeFileSync(join(p.root, '.gitignore'), '.side/\n');
  writeFileSync(join(p.root, 'README.md'), '# project\n');
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'initial']);
  await p.init();
  await p.ok(['model', 'add', 'router-model', '--provider', 'openrouter', '--model-id', 'gpt-fake']);
  await p.ok(['executor', 'add', 'mine', '--type', 'cli', '--command', 'bash', '--args', `'${join(side, 'agent.sh')}' {cwd} {task_id}`]);
});
afterAll(async () => {
  await p.remove();
  await fake.close();
});

/** The task's work landed on main as one squash commit, recorded on the task, and in the project folder. */
async function expectMerged(id: string, file: string, text: string, before: string): Promise<string> {
  const task = await p.task(id);
  const agent = (await p.agentsOf(id))[0]?.id ?? '';
  expect(task.status).toBe('done');
  expect(task.log.find((l) => l.message === 'Task marked done')?.actor).toBe(agent);
  expect(git(['rev-list', '--count', `${before}..main`]).trim()).toBe('1');
  expect(git(['log', '-1', '--format=%s', 'main'])).toBe(`feat: ${id} (${agent})\n`);
  expect(git(['show', `main:${file}`])).toBe(text);
  expect(task.worktree?.merge_commit).toBe(git(['rev-parse', 'main']).trim());
  expect(readFileSync(join(p.root, file), 'utf8')).toBe(text);
  return agent;
}

describe('codex and a cli executor in their own worktrees', () => {
  it('the real codex CLI: its shell tool writes and commits a file on its branch, calls wg done, and the file lands on main as one squash commit', async () => {
    const before = git(['rev-parse', 'main']).trim();
    await p.ok(['add', 'Say hello in a file', '--id', 'hello', '--model', 'router-model']);
    await p.start();
    await waitFor('the codex agent to finish', async () => (await p.agentsOf('hello'))[0]?.state === 'done', 90_000);
    const agent = await expectMerged('hello', 'codex.txt', 'made by codex\n', before);
    // Its shell tool ran in the worktree, on the worktree's branch.
    const page = await p.json<RunEventPage>(['output', agent]);
    const result = page.events.flatMap((e) => (e.event.type === 'tool_result' ? [e.event] : []))[0];
    expect(result?.is_error).toBe(false);
    expect(JSON.stringify(result)).toContain(`${realpathSync(p.root)}/.wg-worktrees/${agent}\\nwg/${agent}/hello`);
    expect(JSON.stringify(fake.requests.find((r) => r.turn === 0)?.body)).toContain(`on branch \`wg/${agent}/hello\``);
  });

  it('a cli executor: {cwd} is its worktree, its prompt names the branch, and its commit lands on main as one squash commit', async () => {
    const before = git(['rev-parse', 'main']).trim();
    await p.ok(['add', 'Write a file', '--id', 'write', '--executor', 'mine']);
    await waitFor('the cli agent to finish', async () => (await p.agentsOf('write'))[0]?.state === 'done', 60_000);
    const agent = await expectMerged('write', 'cli.txt', 'made by cli\n', before);
    expect(readFileSync(join(side, 'where.txt'), 'utf8')).toBe(`${realpathSync(p.root)}/.wg-worktrees/${agent}|wg/${agent}/write\n`);
    expect(readFileSync(join(side, 'prompt.txt'), 'utf8')).toContain(`on branch \`wg/${agent}/write\``);
  });
});
