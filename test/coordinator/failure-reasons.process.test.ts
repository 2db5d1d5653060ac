import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { codexEnv } from '../fixtures/codex-env';
import { bash, startFakeAnthropic, taskOf, text, write, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { openAiTaskOf, startFakeOpenAi, type FakeOpenAi, type OpenAiTurn } from '../fixtures/fake-openai';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * Why a run failed, with the REAL Claude Code and codex CLIs against scripted model servers: the
 * agent's own account (not "exit code 1", not codex's stdin notice); a rate limit or quota puts
 * the task back until the time it names, without using a retry; and an agent that exits 0
 * without reporting done counts as done only with evidence of work.
 */
let anthropic: FakeAnthropic;
let openai: FakeOpenAi;
let p: DaemonProject;
let home = '';
/** More than a day: codex then names the date too ("try again at Nov 24th, 2026 5:31 AM."), at any hour this runs. */
const RESET_IN_S = 30 * 3600;
let resetAtMs = 0;

beforeAll(async () => {
  anthropic = await startFakeAnthropic([], {
    respond: (body, turn) => {
      switch (taskOf(body)) {
        case 'too-long':
          return { status: 400, type: 'invalid_request_error', message: 'prompt is too long: 212000 tokens > 200000 maximum' };
        case 'overloaded':
          return { status: 529, type: 'overloaded_error', message: 'Overloaded' };
        case 'limited':
          return {
            status: 429,
            type: 'rate_limit_error',
            message: "This request would exceed your account's rate limit. Please try again later.",
            headers: { 'retry-after': '30' },
          };
        case 'idle':
          return [[text('I looked at it and everything is fine.')]][turn];
        case 'wrote':
          // Its Write names the file: its own, though 'logged' (and a retry of 'limited') share the folder meanwhile.
          return [[write(join(p.root, 'result.txt'), 'data\n')], [text('Written.')]][turn];
        case 'logged':
          return [[bash('wg log $WG_TASK_ID "checked the config: nothing to change"', 'Report')], [text('Nothing to do.')]][turn];
        default:
          return undefined;
      }
    },
  });
  const resetAt = Math.floor(Date.now() / 1000) + RESET_IN_S;
  resetAtMs = resetAt * 1000;
  openai = await startFakeOpenAi((body): OpenAiTurn => {
    switch (openAiTaskOf(body)) {
      case 'codex-too-long':
        return { status: 400, error: { type: 'invalid_request_error', message: 'Your input exceeds the context window of this model.' } };
      case 'codex-quota':
        return {
          status: 429,
          error: {
            type: 'usage_limit_reached',
            message: 'The usage limit has been reached',
            plan_type: 'plus',
            resets_at: resetAt,
            resets_in_seconds: RESET_IN_S,
          },
        };
      default:
        return { say: 'ok' };
    }
  });
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-reasons-', env, isolatedHostEnv());
  // Outside the project folder: what the CLIs write under HOME is no change of the agents' working folder.
  home = mkdtempSync(join(tmpdir(), 'wg-reasons-home-'));
  Object.assign(env, claudeEnv(anthropic.url, home), codexEnv(openai.url, home), { CLAUDE_CODE_MAX_RETRIES: '0' });
  await p.init();
  await p.ok(['model', 'add', 'router-model', '--provider', 'openrouter', '--model-id', 'gpt-fake']);
  await p.ok(['config', '--max-agents', '8']);
  // 'wrote' and 'logged' are added once 'idle' has ended: until worktrees, agents share the project folder, and
  // a file one writes would count as another's change.
  for (const id of ['too-long', 'limited', 'idle', 'overloaded']) await p.ok(['add', id, '--id', id, '--model', 'haiku']);
  for (const id of ['codex-too-long', 'codex-quota']) await p.ok(['add', id, '--id', id, '--model', 'router-model']);
  await p.ok([
    'add',
    'limiter-test',
    '--id',
    'limiter-test',
    '--executor',
    'shell',
    '--exec',
    'echo "FAIL rate limiter: expected 429 Too Many Requests, quota left 0" >&2; exit 1',
  ]);
  // A program that crashes with a stack trace: one line of reason, the trace in the task's log.
  await p.ok(['add', 'crashes', '--id', 'crashes', '--executor', 'shell', '--exec', `node -e "throw new Error('disk full')"`]);
  // The real npm, whose last stderr line says where its log is.
  writeFileSync(join(p.root, 'package.json'), '{"name":"reasons","version":"1.0.0","scripts":{}}\n');
  await p.ok(['add', 'npm-task', '--id', 'npm-task', '--executor', 'shell', '--exec', 'npm run lint']);
  await p.start();
});
afterAll(async () => {
  await p.remove();
  await anthropic.close();
  await openai.close();
  rmSync(home, { recursive: true, force: true });
});

const settled = (id: string, status: Task['status']) =>
  waitFor(`${id} to be ${status}`, async () => ((await p.task(id)).status === status ? p.task(id) : null), 90_000);
const firstRunOver = (id: string) =>
  waitFor(
    `${id}'s run to end`,
    async () => ((await p.agentsOf(id))[0] && (await p.agentsOf(id))[0]?.state !== 'working' ? p.task(id) : null),
    90_000,
  );

describe('why a run failed', () => {
  it("Claude Code: the agent's own account (its result event), not the exit code", async () => {
    const task = await settled('too-long', 'failed');
    expect(task.failure_reason).toMatch(/^Prompt is too long · the request is ~212000 tokens \(limit 200000\).* \(exit code 1\)$/);
    // The failed attempt counts, as upstream's wrapper's `wg fail` counts it.
    expect(task.retry_count).toBe(1);
  });

  it("codex: turn.failed's message, not its stdin notice", async () => {
    const task = await settled('codex-too-long', 'failed');
    expect(task.failure_reason).toBe('Your input exceeds the context window of this model. (exit code 1)');
    expect(task.failure_reason).not.toMatch(/Reading additional input/);
  });

  it('Claude Code rate limit: back to open until later, no retry used, the reason kept', async () => {
    const task = await firstRunOver('limited');
    expect(task).toMatchObject({ status: 'open', retry_count: 0 });
    expect(task.failure_reason).toMatch(
      /^rate limit or quota reached: API Error: Request rejected \(429\) · This request would exceed your account's rate limit/,
    );
    // No reset time named: a minute.
    const wait = Date.parse(task.not_before as string) - Date.now();
    expect(wait).toBeGreaterThan(30_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(await p.agentsOf('limited')).toHaveLength(1);
  });

  it('codex usage limit: back to open until the time it names', async () => {
    const task = await firstRunOver('codex-quota');
    expect(task).toMatchObject({ status: 'open', retry_count: 0 });
    expect(task.failure_reason).toMatch(
      /^rate limit or quota reached: You’ve hit your usage limit\..* try again at [A-Z][a-z]{2} \d{1,2}(?:st|nd|rd|th), \d{4} \d{1,2}:\d{2} [AP]M/,
    );
    // "try again at Nov 24th, 2026 5:31 AM": named to the minute (rounded down), so the end of that minute,
    // never before the reset itself.
    expect(Date.parse(task.not_before as string)).toBeGreaterThanOrEqual(resetAtMs);
    expect(Date.parse(task.not_before as string)).toBeLessThanOrEqual(resetAtMs + 60_000);
  });
});

describe('the model API failing on its side, or the conversation outgrowing its context', () => {
  it('a 529 (Overloaded) is retried after a wait, counted against the retry budget that wg show says', async () => {
    const task = await firstRunOver('overloaded');
    expect(task).toMatchObject({ status: 'open', retry_count: 1 });
    expect(task.failure_reason).toMatch(/^the model API failed on its side \(API Error: 529\b.*\); retry 1 of 3 in 30 s$/);
    const wait = Date.parse(task.not_before as string) - Date.now();
    expect(wait).toBeGreaterThan(15_000);
    expect(wait).toBeLessThanOrEqual(30_000);
    expect((await p.agentsOf('overloaded'))[0]).toMatchObject({ state: 'failed', exit_code: 1 });
    expect(
      (await p.ok(['show', 'overloaded']))
        .split('\n')
        .find((l) => l.trim().startsWith('Retries'))
        ?.trim(),
    ).toMatch(/^Retries +1 of 3$/);
  });

  it('wg retry after "Prompt is too long" starts a fresh session with a shorter prompt, not the same one resumed', async () => {
    await settled('too-long', 'failed');
    const [first] = await p.agentsOf('too-long');
    // The run had a session, which a retry resumed with the same prompt before.
    expect(first?.session_id).toBeTruthy();
    expect((await p.task('too-long')).session_id).toBeNull();
    const before = anthropic.conversation().length;
    await p.ok(['retry', 'too-long']);
    await waitFor('the second run to end', async () => (await p.agentsOf('too-long'))[1]?.state === 'failed', 90_000);
    const second = (await p.agentsOf('too-long'))[1];
    const spawned = (await p.task('too-long')).log.find(
      (l) => l.message.startsWith('Spawned by') && l.message.includes(`as ${second?.id}`),
    );
    expect(spawned?.message).not.toMatch(/resuming session/);
    const asked = anthropic
      .conversation()
      .slice(before)
      .filter((r) => taskOf(r.body as Record<string, unknown>) === 'too-long');
    expect(asked.length).toBeGreaterThan(0);
    const messages = (asked[0]?.body as { messages?: unknown[] } | undefined)?.messages ?? [];
    // One prompt: the new one, not the old conversation with it (Claude Code adds a system message of its own).
    const prompts = messages.filter((m) => JSON.stringify(m).includes('# Task too-long:'));
    expect(prompts).toHaveLength(1);
    expect(JSON.stringify(prompts[0])).toContain('this is a fresh session with a shorter prompt');
  });
});

describe('a rate limit is only what an agent CLI says', () => {
  it('a shell task whose failing test prints rate limit, 429 and quota fails like any other (it was requeued every minute forever)', async () => {
    const task = await settled('limiter-test', 'failed');
    expect(task.failure_reason).toBe('exit code 1: FAIL rate limiter: expected 429 Too Many Requests, quota left 0');
    expect(await p.agentsOf('limiter-test')).toHaveLength(1);
  });
});

describe('every failure reason is one sentence', () => {
  it("a crash's reason is the line that says what went wrong; its stack trace is in the task's log", async () => {
    const task = await settled('crashes', 'failed');
    expect(task.failure_reason).toBe('exit code 1: Error: disk full');
    const detail = task.log.find((l) => l.message.startsWith('The end of its stderr: '))?.message ?? '';
    expect(detail).toMatch(/throw new Error\('disk full'\)/);
    expect(detail).toMatch(/\n\s+at /);
  });
});

describe("a shell task's reason is the line that says the error", () => {
  it('npm: its message, not its footer ("A complete log of this run can be found in…")', async () => {
    const task = await settled('npm-task', 'failed');
    expect(task.failure_reason).toBe('exit code 1: npm error Missing script: "lint"');
  });
});

describe('exit 0 is not proof of work', () => {
  it('an agent that exits 0 without reporting or changing anything fails the task, saying so', async () => {
    const task = await settled('idle', 'failed');
    expect(task.failure_reason).toBe('agent exited without reporting or changing anything');
    expect(task.retry_count).toBe(1);
    expect((await p.agentsOf('idle'))[0]).toMatchObject({ state: 'failed', exit_code: 0 });
  });

  it('one that changed its working folder, or logged what it did, is done', async () => {
    await settled('idle', 'failed');
    for (const id of ['wrote', 'logged']) await p.ok(['add', id, '--id', id, '--model', 'haiku']);
    await settled('wrote', 'done');
    await settled('logged', 'done');
    expect((await p.agentsOf('wrote'))[0]).toMatchObject({ state: 'done', exit_code: 0 });
  });
});
