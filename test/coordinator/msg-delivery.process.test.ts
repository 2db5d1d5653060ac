import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/message';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { codexEnv } from '../fixtures/codex-env';
import { bash, startFakeAnthropic, taskOf, text, type FakeAnthropic, type ScriptTurn } from '../fixtures/fake-anthropic';
import { openAiTaskOf, startFakeOpenAi, type FakeOpenAi, type OpenAiTurn } from '../fixtures/fake-openai';
import { DaemonProject } from '../service/helpers/daemon-project';

/**
 * `wg msg send TASK "…"` reaching the agent working on TASK while it works, with the REAL Claude Code
 * and codex CLIs against scripted model servers (core/messages/delivery-hooks.ts). Each scripted model
 * keeps making short tool calls (`sleep 1`) until a request hands it the message, outside any tool
 * result (Claude Code: a system message from its hook; codex: a user message, steered into its turn by
 * `wg codex-run`); then it answers with `wg msg send` and reports done. A message that never arrives
 * makes it fail the task instead. And one that comes after the agent's last tool call reaches it when it
 * tries to stop (Claude Code's Stop hook; codex's holder, as its turn ends). Upstream's
 * counterpart is the coordinator and smoke tests of tests/integration_messaging.rs, where the agent
 * polls with `wg msg read` (upstream delivers mid-run only to its native executor).
 */
const CORRECTION = 'Use the existing auth helper in src/auth.ts';
const REPLY = 'Acknowledged: switching to the auth helper';
const MAX_WAIT_TURNS = 90;

/** Where the correction showed up in a request, if it did: the role of the message carrying it. */
function carrier(items: unknown[]): string | null {
  for (const item of items) {
    const raw = JSON.stringify(item);
    if (!raw.includes(CORRECTION)) continue;
    const role = (item as { role?: unknown; type?: unknown }).role ?? (item as { type?: unknown }).type;
    return typeof role === 'string' ? role : 'unknown';
  }
  return null;
}

const seen = new Map<string, string>();

/**
 * The same little program for both models: wait in short tool calls, then acknowledge and finish. A
 * `-stop` task instead waits in one tool call and then ends its turn with a text answer: a message
 * that came during that call (its marker taken away, as if it came after the last tool call) must
 * reach it through the Stop hook.
 */
function decide(task: string, turn: number, items: unknown[]): 'wait' | 'hold' | 'answer' | 'give-up' | 'finish' | 'stop' {
  if (seen.has(`${task}:answered`)) return 'stop';
  const where = carrier(items);
  if (where !== null && turn > 0) {
    seen.set(task, where);
    seen.set(`${task}:answered`, 'yes');
    return 'answer';
  }
  if (task.endsWith('-stop')) {
    if (turn === 0) return 'hold';
    if (seen.has(`${task}:finished`)) return 'give-up';
    seen.set(`${task}:finished`, 'yes');
    return 'finish';
  }
  return turn < MAX_WAIT_TURNS ? 'wait' : 'give-up';
}

const WAIT = '"$WG_BIN" log $WG_TASK_ID "waiting for a message" 2>/dev/null; sleep 1';
// The holding-… file says its `wg log` has ended: a message sent before then is printed by that `wg log` itself.
const HOLD =
  '"$WG_BIN" log $WG_TASK_ID "waiting for a message"; touch "$WG_DIR/../holding-$WG_TASK_ID"; until [ -f "$WG_DIR/../go-$WG_TASK_ID" ]; do sleep 0.2; done';
const ANSWER = `"$WG_BIN" msg send $WG_TASK_ID "${REPLY}" && "$WG_BIN" done $WG_TASK_ID`;
const GIVE_UP = '"$WG_BIN" fail $WG_TASK_ID --reason "no message arrived"';

/*
 * codex's long command: one that outlasts the 10 s codex waits before it answers the model that it still runs
 * ("Process running with session ID N"), after which the model polls it (`write_stdin`) until it exits. A message
 * sent meanwhile is steered into the turn (`turn/steer`) and is in the model's next request, while the command
 * still runs: at that answer or a poll after it. (`codex exec`'s PostToolUse hook ran only once the command had
 * exited: no request made while it ran carried the message.)
 */
const LONG_TASK = 'codex-long';
const LONG =
  '"$WG_BIN" log $WG_TASK_ID "waiting for a message"; touch "$WG_DIR/../holding-$WG_TASK_ID"; until [ -f "$WG_DIR/../go-$WG_TASK_ID" ]; do sleep 0.2; done; echo released';
/** What the long command's requests carried: the correction's carrier at each request while it ran, and after. */
const long: { whileRunning: Array<string | null>; after: string | null } = { whileRunning: [], after: null };

function longCall(items: unknown[]): OpenAiTurn {
  if (long.after !== null) return { say: 'Done.' };
  const outputs = items.filter((item) => (item as { type?: unknown }).type === 'function_call_output');
  if (outputs.length === 0) return { exec: LONG };
  const running = /Process running with session ID (\d+)/.exec(JSON.stringify(outputs[outputs.length - 1]));
  if (running) {
    long.whileRunning.push(carrier(items));
    return { call: 'write_stdin', arguments: { session_id: Number(running[1]), chars: '', yield_time_ms: 1_000 } };
  }
  long.after = carrier(items);
  return long.after === null ? { exec: GIVE_UP } : { exec: ANSWER };
}

/*
 * codex's last answer: a message sent while the model writes the answer that ends its turn (no tool call left to
 * follow) still reaches it: steered into the turn, or, once the turn has ended, as the prompt of the next.
 */
const LAST_TASK = 'codex-last';
let answering: () => void = () => undefined;
const last = {
  asked: false,
  finished: false,
  carrier: null as string | null,
  answerWhen: new Promise<void>((resolve) => (answering = resolve)),
};

async function lastCall(items: unknown[]): Promise<OpenAiTurn> {
  const where = carrier(items);
  if (last.carrier !== null) return { say: 'Done.' };
  if (where !== null) {
    last.carrier = where;
    return { exec: ANSWER };
  }
  if (last.finished) return { exec: GIVE_UP };
  // The first request: its answer ends the turn, and is given once the message has been sent.
  last.asked = true;
  await last.answerWhen;
  last.finished = true;
  return { say: 'Done.' };
}

let p: DaemonProject;
let anthropic: FakeAnthropic;
let openai: FakeOpenAi;

beforeAll(async () => {
  anthropic = await startFakeAnthropic([], {
    respond: (body, turn): ScriptTurn => {
      const task = taskOf(body) ?? '?';
      const step = decide(task, turn, Array.isArray(body.messages) ? body.messages : []);
      if (step === 'answer') return [bash(ANSWER)];
      if (step === 'give-up') return [bash(GIVE_UP)];
      if (step === 'stop' || step === 'finish') return [text('Done.')];
      if (step === 'hold') return [bash(HOLD)];
      return [bash(WAIT)];
    },
  });
  openai = await startFakeOpenAi((body, turn): OpenAiTurn | Promise<OpenAiTurn> => {
    const task = openAiTaskOf(body) ?? '?';
    if (task === LONG_TASK) return longCall(Array.isArray(body.input) ? body.input : []);
    if (task === LAST_TASK) return lastCall(Array.isArray(body.input) ? body.input : []);
    const step = decide(task, turn, Array.isArray(body.input) ? body.input : []);
    if (step === 'answer') return { exec: ANSWER };
    if (step === 'give-up') return { exec: GIVE_UP };
    if (step === 'stop' || step === 'finish') return { say: 'Done.' };
    if (step === 'hold') return { exec: HOLD };
    return { exec: WAIT };
  });
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-msg-run-', env, isolatedHostEnv());
  const home = join(p.root, 'home');
  Object.assign(env, claudeEnv(anthropic.url, home), codexEnv(openai.url, home));
  await p.init();
  await p.ok(['model', 'add', 'router-model', '--provider', 'openrouter', '--model-id', 'gpt-fake']);
});
afterAll(async () => {
  await p.remove();
  await anthropic.close();
  await openai.close();
});

/** Waits until the task is done and none of its runs still works. */
async function doneAndEnded(id: string): Promise<void> {
  await p.waitFor(
    `${id} to be done`,
    async () => (await p.task(id)).status === 'done' && (await p.agentsOf(id)).every((a) => a.state !== 'working'),
    120_000,
  );
}

/** The person's correction was read, and the agent's reply is the task's only other message. */
async function expectReadAndAnswered(id: string): Promise<void> {
  expect((await p.json<Message[]>(['msg', 'list', id])).map((m) => [m.sender, m.body, m.status])).toEqual([
    ['user', CORRECTION, 'read'],
    [id, REPLY, 'sent'],
  ]);
}

describe('a message reaches the agent working on the task, while it works', () => {
  it.each([
    // The hook's own message (codex: the message steered in), or, when the message lands while a `wg log` of the
    // loop runs, that tool call's output (an agent's `wg log` prints its unread messages, as upstream's does).
    ['claude', 'claude-task', ['--executor', 'claude', '--model', 'haiku'], ['system', 'user']],
    ['codex', 'codex-task', ['--executor', 'codex', '--model', 'router-model'], ['user', 'function_call_output']],
  ])(
    '%s: delivered after a tool call, acted on, and the reply is in wg msg list',
    async (_cli, id, flags, roles) => {
      await p.ok(['add', `Talk to ${id}`, '--id', id, ...flags]);
      if (p.daemonPid() === null) await p.start();
      // Mid-run: the agent has started working (it logs before each wait) and has not finished.
      await p.waitFor(
        `${id} to be working`,
        async () => (await p.task(id)).log.some((l) => l.message === 'waiting for a message'),
        120_000,
      );
      expect((await p.task(id)).status).toBe('in-progress');
      expect(await p.ok(['msg', 'send', id, CORRECTION])).toBe(`Message #1 sent to '${id}'`);

      await doneAndEnded(id);
      expect(roles).toContain(seen.get(id));
      const [agent] = await p.agentsOf(id);
      const messages = await p.json<Message[]>(['msg', 'list', id]);
      expect(messages.map((m) => [m.id, m.sender, m.body])).toEqual([
        [1, 'user', CORRECTION],
        [2, id, REPLY],
      ]);
      // Handed over by the hook: read by that agent; its reply is its own and not handed back to it.
      expect(messages[0]).toMatchObject({ status: 'read' });
      expect(messages[0]?.read_at).toBeDefined();
      expect(messages[1]).toMatchObject({ agent_id: agent?.id, status: 'sent' });
      expect((await p.task(id)).log.some((l) => l.message === 'Task marked done' && l.actor === agent?.id)).toBe(true);
    },
    300_000,
  );

  it("codex: a message sent during a command that outlasts its 10 s wait is in the model's next request, while the command still runs", async () => {
    // Issue 74: a person's message came only after the agent's next command (its wg done): codex exec's PostToolUse
    // hook runs only once a command has exited. Steered into the turn, it is in a request made while the command runs
    // (codex's answer that it still runs, or a poll after it), and read; the command is let go only after that.
    await p.ok(['add', 'Wait long', '--id', LONG_TASK, '--executor', 'codex', '--model', 'router-model']);
    if (p.daemonPid() === null) await p.start();
    await p.waitFor(`${LONG_TASK} in its long command`, () => existsSync(join(p.root, `holding-${LONG_TASK}`)), 120_000);
    expect(await p.ok(['msg', 'send', LONG_TASK, CORRECTION])).toBe(`Message #1 sent to '${LONG_TASK}'`);
    await p.waitFor('a request made while the command runs to carry the message', () => long.whileRunning.includes('user'), 120_000);
    expect(existsSync(join(p.root, `go-${LONG_TASK}`))).toBe(false);
    expect((await p.json<Message[]>(['msg', 'list', LONG_TASK])).map((m) => m.status)).toEqual(['read']);

    writeFileSync(join(p.root, `go-${LONG_TASK}`), '');
    await doneAndEnded(LONG_TASK);
    expect(long.after).toBe('user');
    await expectReadAndAnswered(LONG_TASK);
  }, 300_000);

  it('codex: a message sent while the model writes its last answer is handed over, not lost as the turn ends', async () => {
    await p.ok(['add', 'Finish last', '--id', LAST_TASK, '--executor', 'codex', '--model', 'router-model']);
    if (p.daemonPid() === null) await p.start();
    await p.waitFor(`${LAST_TASK}'s model to be writing its last answer`, () => last.asked, 120_000);
    await p.ok(['msg', 'send', LAST_TASK, CORRECTION]);
    answering();
    await doneAndEnded(LAST_TASK);
    expect(last.carrier).toBe('user');
    await expectReadAndAnswered(LAST_TASK);
  }, 300_000);

  it.each([['claude', 'claude-stop', ['--executor', 'claude', '--model', 'haiku']]])(
    '%s: a message that comes after the last tool call stops the agent from ending, and is answered',
    async (_cli, id, flags) => {
      await p.ok(['add', `Finish ${id}`, '--id', id, ...flags]);
      if (p.daemonPid() === null) await p.start();
      await p.waitFor(`${id} to be in its tool call`, () => existsSync(join(p.root, `holding-${id}`)), 120_000);
      await p.ok(['msg', 'send', id, CORRECTION]);
      // No marker: the PostToolUse hook lets this one pass, as if it came after the agent's last tool call.
      rmSync(join(p.paths.serviceDir, 'inbox', id), { force: true });
      writeFileSync(join(p.root, `go-${id}`), '');

      await doneAndEnded(id);
      // Handed over by the Stop hook: as the prompt of the next turn.
      expect(seen.get(id)).toBe('user');
      expect(seen.get(`${id}:finished`)).toBe('yes');
      await expectReadAndAnswered(id);
    },
    300_000,
  );
});
