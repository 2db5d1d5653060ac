import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import type { ChatMessage } from '../../src/shared/chat';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import {
  bash,
  type RecordedRequest,
  type ScriptTurn,
  startFakeAnthropic,
  text,
  toolResultsOf,
  type FakeAnthropic,
} from '../fixtures/fake-anthropic';
import { DaemonProject } from '../service/helpers/daemon-project';
import { TempProject } from '../helpers/wg-cli';

/**
 * `wg chat` (as upstream's) with the coordinator agent the service hosts: the real Claude Code CLI
 * against a scripted model. A goal becomes linked tasks made by the agent's own `wg add`; a question is answered from
 * what the agent's `wg` read of the graph; the second message goes on in the first one's session (--resume); the
 * exchange is kept in upstream's `.wg/chat/` files.
 */

let fake: FakeAnthropic;
let p: DaemonProject;
/** The coordinator's API, for a person's `wg` with WG_SERVER. */
let api = '';

type Message = { role: string; content: unknown };

/** The messages since the person's last one (the turn under way), and that message's text. */
function currentTurn(body: Record<string, unknown>): { said: string; since: Message[] } {
  const messages = (body.messages ?? []) as Message[];
  let at = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user' && JSON.stringify(m.content).includes('Message from the person')) at = i;
  });
  // Only what the person wrote: the role given to a new session names questions too.
  const said = at >= 0 ? (JSON.stringify(messages[at]?.content).split('Message from the person')[1] ?? '') : '';
  return { said, since: messages.slice(at + 1) };
}

/** The scripted coordinator agent: a plan in two `wg add`s, the second after the first; a question looked up with `wg show`. */
function coordinator(body: Record<string, unknown>): ScriptTurn {
  const { said, since } = currentTurn(body);
  const done = JSON.stringify(since);
  const results = toolResultsOf({ body } as RecordedRequest);
  if (said.includes('plan: a login page')) {
    if (!done.includes('--id login-design'))
      return [bash('wg add "Design the login page" --id login-design -d "Fields, errors, layout."', 'Add the design task')];
    if (!done.includes('--id login-build'))
      return [bash('wg add "Build the login page" --id login-build --after login-design', 'Add the build task after it')];
    return [text('Planned: login-design, then login-build after it.')];
  }
  if (said.includes('what failed and why')) {
    if (!done.includes('wg show broken')) return [bash('wg show broken', 'Look at the failed task')];
    const shown = results.map((r) => r.content).join('\n');
    const reason = /the disk is full[^\n"]*/.exec(shown)?.[0] ?? 'nothing found';
    return [text(`broken failed: ${reason}`)];
  }
  return [text('ok')];
}

beforeAll(async () => {
  fake = await startFakeAnthropic([], { respond: (body) => coordinator(body) });
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-chat-', env, isolatedHostEnv());
  mkdirSync(join(p.root, 'home'), { recursive: true });
  Object.assign(env, claudeEnv(fake.url, join(p.root, 'home')));
  await p.init();
  // Tasks the planner adds are not started: this test is about the chat, not their runs.
  await p.ok(['config', '--executor', 'manual']);
  await p.ok(['add', 'A broken step', '--id', 'broken']);
  await p.ok(['claim', 'broken', '--agent', 'someone']);
  await p.ok(['fail', 'broken', '--reason', 'the disk is full on the build machine']);
  api = (await p.start()).url?.replace(/#.*$/, '') ?? '';
}, 120_000);
afterAll(async () => {
  await p?.remove();
  await fake?.close();
});

/** The chat session's folder under `.workgraph/chat/` (named by its UUID in sessions.json). */
function chatDir(): string {
  const registry = JSON.parse(readFileSync(join(p.paths.dir, 'chat', 'sessions.json'), 'utf8')) as {
    sessions: Record<string, { kind: string; aliases: string[] }>;
  };
  const [uuid, meta] = Object.entries(registry.sessions)[0] ?? [];
  expect(meta).toMatchObject({ kind: 'coordinator', aliases: ['chat-0', 'coordinator-0', '0'] });
  return join(p.paths.dir, 'chat', String(uuid));
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ChatMessage);

describe('wg chat with the coordinator agent', () => {
  it('turns a goal into linked tasks through the agent’s own wg add, and prints its answer', async () => {
    const result = await p.wg(['chat', 'plan: a login page']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('Planned: login-design, then login-build after it.');
    const build = await p.task('login-build');
    expect(build.after).toEqual(['login-design']);
    expect((await p.task('login-design')).title).toBe('Design the login page');
    // Made by the agent's run, under its name, not by a person.
    const runs = (await p.agents()).filter((a: Agent) => a.purpose === 'chat');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ task_id: '.chat-0', state: 'done' });
    expect(build.log.map((e) => e.actor)).toContain(runs[0]?.id);
  }, 180_000);

  it('answers a question from the graph, going on in the same Claude Code session', async () => {
    const result = await p.wg(['chat', 'what failed and why?']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('broken failed: the disk is full on the build machine');
    // The second message's request carries the first exchange: the session was resumed, not begun again.
    const asked = fake.conversation().at(-1)?.body;
    expect(JSON.stringify(asked)).toContain('plan: a login page');
    const runs = (await p.agents()).filter((a: Agent) => a.purpose === 'chat');
    expect(runs).toHaveLength(2);
  }, 180_000);

  it('keeps the exchange in upstream’s .wg/chat files, and shows it with --history', async () => {
    const dir = chatDir();
    const inbox = lines(join(dir, 'inbox.jsonl'));
    const outbox = lines(join(dir, 'outbox.jsonl'));
    expect(inbox.map((m) => [m.id, m.role, m.content])).toEqual([
      [1, 'user', 'plan: a login page'],
      [2, 'user', 'what failed and why?'],
    ]);
    expect(outbox.map((m) => [m.id, m.role, m.request_id])).toEqual([
      [1, 'coordinator', inbox[0]?.request_id],
      [2, 'coordinator', inbox[1]?.request_id],
    ]);
    expect(inbox[0]?.request_id).toMatch(/^chat-\d+-\d+$/);
    expect(readFileSync(join(dir, '.coordinator-cursor'), 'utf8')).toBe('2\n');
    expect(readFileSync(join(dir, 'chat.log'), 'utf8')).toContain('] coordinator: Planned: login-design');
    expect(readFileSync(join(dir, '.claude-session-id'), 'utf8').trim()).toMatch(/^[0-9a-f-]{36}$/);
    const history = await p.ok(['chat', '--history']);
    expect(history.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] user: plan: a login page$/),
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] coordinator: Planned: login-design, then login-build after it\.$/),
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] user: what failed and why\?$/),
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] coordinator: broken failed: the disk is full on the build machine$/),
    ]);
    expect(await p.ok(['chat', '--history', '--history-depth', '1'])).toMatch(/coordinator: broken failed/);
    expect(readdirSync(join(p.paths.dir, 'chat')).sort()).toEqual(['sessions.json', dir.split('/').at(-1)].sort());
  });

  it('counts the coordinator agent’s runs in Spend', async () => {
    const spend = await p.json<{ total_cost: number; by_task: Array<{ task_id: string; total_cost: number; run_count: number }> }>([
      'spend',
    ]);
    const chat = spend.by_task.find((t) => t.task_id === '.chat-0');
    expect(chat?.run_count).toBe(2);
    expect(chat?.total_cost).toBeGreaterThan(0);
    expect(spend.total_cost).toBe(chat?.total_cost);
  });

  it('goes on in the same session after the coordinator restarts', async () => {
    await p.ok(['service', 'stop']);
    api = (await p.start()).url?.replace(/#.*$/, '') ?? '';
    const result = await p.wg(['chat', 'hello again']);
    expect(result.stdout).toBe('ok');
    expect(JSON.stringify(fake.conversation().at(-1)?.body)).toContain('what failed and why?');
  }, 180_000);

  it('starts a new session, told its role again, when its session cannot be resumed', async () => {
    const lost = '0b9b0a4e-0000-4000-8000-000000000000';
    writeFileSync(join(chatDir(), '.claude-session-id'), `${lost}\n`);
    const result = await p.wg(['chat', 'hello after a lost session']);
    expect(result.stdout).toBe('ok');
    const asked = JSON.stringify(fake.conversation().at(-1)?.body);
    expect(asked).not.toContain('plan: a login page');
    expect(asked).toContain('You are the coordinator agent');
    const now = readFileSync(join(chatDir(), '.claude-session-id'), 'utf8').trim();
    expect(now).toMatch(/^[0-9a-f-]{36}$/);
    expect(now).not.toBe(lost);
  }, 180_000);

  it("refuses a person's token: the agent runs commands on the coordinator's machine", async () => {
    const { token } = JSON.parse(await p.ok(['token', 'create', 'ann', '--person', '--json'])) as { token: string };
    const before = readFileSync(join(chatDir(), 'inbox.jsonl'), 'utf8');
    const result = await p.wg(['chat', 'hello'], { env: { WG_SERVER: api, WG_TOKEN: token } });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/^wg: .*talk to the coordinator agent, which runs commands on the coordinator's machine/);
    expect(readFileSync(join(chatDir(), 'inbox.jsonl'), 'utf8')).toBe(before);
  }, 60_000);
});

describe('wg chat, bad input', () => {
  const idle = new TempProject('wg-chat-idle-');
  afterAll(() => idle.remove());

  it('says how to start the coordinator when none runs, in one line, and stores nothing', async () => {
    await idle.ok(['init']);
    expect(await idle.wg(['chat', 'hello'])).toMatchObject({
      exitCode: 1,
      stderr: "wg: the coordinator is not running (start it with 'wg service start')",
    });
    expect(existsSync(join(idle.root, '.workgraph', 'chat'))).toBe(false);
    expect(await idle.ok(['chat', '--history'])).toBe('No chat history.');
  });

  it('refuses an empty message, a bad --timeout and a stray --history-depth, each in one line', async () => {
    expect(await idle.wg(['chat', '  '])).toMatchObject({ exitCode: 1, stderr: 'wg: the message is empty' });
    expect(await idle.wg(['chat', 'hi', '--timeout', 'soon'])).toMatchObject({
      exitCode: 1,
      stderr: "wg: --timeout takes a whole number, not 'soon'",
    });
    expect(await idle.wg(['chat', '--history-depth', '3'])).toMatchObject({
      exitCode: 1,
      stderr: 'wg: --history-depth goes with --history',
    });
  });
});
