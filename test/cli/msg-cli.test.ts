import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/message';
import { TempProject, wgInProcess } from '../helpers/wg-cli';

/**
 * `wg msg` on the command line, translated from upstream's tests/integration_messaging.rs (section 2,
 * CLI COMMANDS; the CLI cases of section 5; the smoke tests of section 7) and src/commands/msg.rs
 * (mod tests), each named in its test's title. Upstream's "not found" wording is this app's
 * "task 'x' not found" (exit 3).
 */
const p = new TempProject('wg-msg-');
beforeAll(async () => {
  await p.ok(['init']);
  for (const id of ['cli-send', 'read-1', 'poll-cli', 'empty-1', 'cli-smoke', 'done-task', 'agent-task'])
    await p.ok(['add', id, '--id', id]);
});
afterAll(() => p.remove());

describe('wg msg send and list', () => {
  it('cli_msg_send_and_list: ids, --priority, --from, the urgent marker and the total', async () => {
    expect(await p.ok(['msg', 'send', 'cli-send', 'Hello from CLI'])).toBe("Message #1 sent to 'cli-send'");
    expect(await p.ok(['msg', 'send', 'cli-send', 'Urgent!', '--priority', 'urgent', '--from', 'coordinator'])).toContain('#2');
    const list = await p.ok(['msg', 'list', 'cli-send']);
    expect(list).toMatch(
      /^Messages for 'cli-send' \(2 total\):\n\n {2}#1 \u2709 \[[^\]]+\] user\n {4}Hello from CLI\n\n {2}#2 \u2709 \[[^\]]+\] coordinator \[URGENT\]\n {4}Urgent!$/,
    );
  });

  it('says when no agent will read the message, and keeps it all the same', async () => {
    await p.ok(['add', 'Finished', '--id', 'finished']);
    await p.ok(['done', 'finished']);
    const toDone = await p.wg(['msg', 'send', 'finished', 'hello?']);
    expect([toDone.exitCode, toDone.stdout, toDone.stderr]).toEqual([
      0,
      "Message #1 sent to 'finished'",
      "wg: 'finished' is done: no agent reads this message unless the task runs again (wg retry finished)",
    ]);
    // An open task's next run has it in its prompt: nothing to say.
    await p.ok(['add', 'Still open', '--id', 'still-open']);
    expect((await p.wg(['msg', 'send', 'still-open', 'for the next run'])).stderr).toBe('');
  });

  it('cli_msg_list_json: an array of upstream-shaped messages', async () => {
    const msgs = await p.json<Message[]>(['msg', 'list', 'cli-send']);
    expect(msgs.map((m) => Object.keys(m))).toEqual([
      ['id', 'task_id', 'timestamp', 'sender', 'body', 'priority', 'status'],
      ['id', 'task_id', 'timestamp', 'sender', 'body', 'priority', 'status'],
    ]);
    expect(msgs[0]).toMatchObject({ id: 1, body: 'Hello from CLI', sender: 'user', priority: 'normal', status: 'sent' });
    // --json after the subcommand, as upstream's tests write it.
    expect(JSON.parse((await p.wg(['msg', 'list', 'cli-send', '--json'])).stdout)).toHaveLength(2);
  });

  it('cli_msg_list_empty', async () => {
    expect(await p.ok(['msg', 'list', 'empty-1'])).toBe("No messages for task 'empty-1'");
  });

  it('edge_message_to_completed_task: a done task still takes messages', async () => {
    await p.ok(['claim', 'done-task', '--agent', 'someone']);
    await p.ok(['done', 'done-task']);
    expect(await p.ok(['msg', 'send', 'done-task', 'Post-completion note'])).toContain('#1');
  });
});

describe('wg msg read and poll', () => {
  it('cli_msg_read_advances_cursor', async () => {
    await p.ok(['msg', 'send', 'read-1', 'First']);
    await p.ok(['msg', 'send', 'read-1', 'Second']);
    const first = await p.ok(['msg', 'read', 'read-1', '--agent', 'test-agent']);
    expect(first).toMatch(/^2 unread messages for 'read-1' \(agent: test-agent\):/);
    expect(first).toContain('First');
    expect(first).toContain('Second');
    expect(await p.ok(['msg', 'read', 'read-1', '--agent', 'test-agent'])).toBe("No unread messages for task 'read-1' (agent: test-agent)");
    await p.ok(['msg', 'send', 'read-1', 'Third']);
    const third = await p.ok(['msg', 'read', 'read-1', '--agent', 'test-agent']);
    expect(third).toContain('Third');
    expect(third).not.toContain('First');
  });

  it('cli_msg_poll_exit_codes / cli_msg_poll_json / test_read_and_poll', async () => {
    const none = await p.wg(['msg', 'poll', 'poll-cli', '--agent', 'test-agent']);
    expect(none).toMatchObject({ exitCode: 1, stdout: "No new messages for task 'poll-cli' (agent: test-agent)" });
    await p.ok(['msg', 'send', 'poll-cli', 'New!']);
    for (let i = 0; i < 2; i++) {
      const some = await p.wg(['msg', 'poll', 'poll-cli', '--agent', 'test-agent']);
      expect(some.exitCode).toBe(0);
      expect(some.stdout).toContain('New!');
    }
    expect(await p.json<Message[]>(['msg', 'poll', 'poll-cli', '--agent', 'test-agent'])).toHaveLength(1);
    await p.ok(['msg', 'read', 'poll-cli', '--agent', 'test-agent']);
    expect((await p.wg(['msg', 'poll', 'poll-cli', '--agent', 'test-agent'])).exitCode).toBe(1);
  });

  it('reads as WG_AGENT_ID by default, else as user (upstream main.rs)', async () => {
    await p.ok(['msg', 'send', 'cli-smoke', 'For whoever reads']);
    expect((await p.wg(['msg', 'read', 'cli-smoke'], { env: { WG_AGENT_ID: 'agent-9' } })).stdout).toMatch(
      /^1 unread message for 'cli-smoke' \(agent: agent-9\):/,
    );
    expect(await p.ok(['msg', 'read', 'cli-smoke'])).toMatch(/^1 unread message for 'cli-smoke' \(agent: user\):/);
  });

  it('smoke_test_messaging_cli_only', async () => {
    await p.ok(['add', 'CLI smoke 2', '--id', 'smoke-2']);
    await p.ok(['msg', 'send', 'smoke-2', 'CLI message 1']);
    await p.ok(['msg', 'send', 'smoke-2', 'CLI message 2', '--priority', 'urgent']);
    const list = await p.ok(['msg', 'list', 'smoke-2']);
    expect(list).toContain('[URGENT]');
    expect(list).toContain('2 total');
    expect(await p.json<Message[]>(['msg', 'list', 'smoke-2'])).toHaveLength(2);
    expect(await p.ok(['msg', 'read', 'smoke-2', '--agent', 'cli-agent'])).toContain('CLI message 2');
    expect(await p.ok(['msg', 'read', 'smoke-2', '--agent', 'cli-agent'])).toContain('No unread');
    await p.ok(['msg', 'send', 'smoke-2', 'CLI message 3']);
    expect((await p.wg(['msg', 'poll', 'smoke-2', '--agent', 'cli-agent'])).stdout).toContain('CLI message 3');
    const fresh = await p.ok(['msg', 'read', 'smoke-2', '--agent', 'cli-agent']);
    expect(fresh).toContain('CLI message 3');
    expect(fresh).not.toContain('CLI message 1');
  });
});

describe('bad input: one line, nonzero, nothing stored', () => {
  it('edge_empty_message_body_rejected_by_cli / test_send_empty_body_fails / a missing body / a bad priority', async () => {
    expect(await p.wg(['msg', 'send', 'empty-1', ''])).toMatchObject({ exitCode: 1, stderr: 'wg: the message is empty' });
    expect(await p.wg(['msg', 'send', 'empty-1'])).toMatchObject({ exitCode: 1, stderr: 'wg: a message is required (or use --stdin)' });
    expect((await p.wg(['msg', 'send', 'empty-1', 'x', '--priority', 'high'])).exitCode).not.toBe(0);
    expect(await p.json<Message[]>(['msg', 'list', 'empty-1'])).toHaveLength(0);
  });

  it('edge_message_to_nonexistent_task_errors / edge_cli_msg_{list,read,poll}_nonexistent_task / test_send_to_nonexistent_task', async () => {
    for (const args of [
      ['send', 'no-such-task', 'Hello'],
      ['list', 'no-such-task'],
      ['read', 'no-such-task', '--agent', 'x'],
      ['poll', 'no-such-task', '--agent', 'x'],
    ]) {
      expect(await p.wg(['msg', ...args])).toMatchObject({ exitCode: 3, stderr: "wg: task 'no-such-task' not found" });
    }
  });
});

describe('inside an agent run', () => {
  const run = { WG_AGENT_ID: 'agent-1', WG_TASK_ID: 'agent-task', WG_BIN: '/opt/wg' };

  it("an agent's message is from its task (upstream: WG_TASK_ID), and a person's send leaves the hook's marker", async () => {
    const marker = join(p.root, '.workgraph', 'service', 'inbox', 'agent-task');
    await p.ok(['msg', 'send', 'agent-task', 'Use the existing auth helper']);
    expect(existsSync(marker)).toBe(true);

    // The PostToolUse hook: the message, marked read, in the shape both CLIs read; the marker gone.
    const hook = await p.wg(['msg', 'hook', 'post-tool-use'], { env: run });
    expect(hook.exitCode).toBe(0);
    const answer = JSON.parse(hook.stdout) as { hookSpecificOutput: { hookEventName: string; additionalContext: string } };
    expect(answer.hookSpecificOutput.hookEventName).toBe('PostToolUse');
    expect(answer.hookSpecificOutput.additionalContext).toMatch(
      /^New message on your task agent-task, sent while you work \(now marked read\), quoted under who sent it:\n\nmessage from user, sent [^\n]+:\n> Use the existing auth helper\n\nAct on it now, and reply to each: \/opt\/wg msg send agent-task "your reply"$/,
    );
    expect(existsSync(marker)).toBe(false);
    expect((await p.wg(['msg', 'hook', 'post-tool-use'], { env: run })).stdout).toBe('');

    // The Stop hook blocks the stop with what is new, and only then.
    await p.ok(['msg', 'send', 'agent-task', 'One more thing', '--priority', 'urgent']);
    const stop = JSON.parse((await p.wg(['msg', 'hook', 'stop'], { env: run })).stdout) as { decision: string; reason: string };
    expect(stop.decision).toBe('block');
    expect(stop.reason).toMatch(/\nmessage from user, sent [^\n]+, marked urgent:\n> One more thing\n/);
    expect((await p.wg(['msg', 'hook', 'stop'], { env: run })).stdout).toBe('');
    // Outside a run the hook says nothing.
    await p.ok(['msg', 'send', 'agent-task', 'Later']);
    expect(await p.wg(['msg', 'hook', 'post-tool-use'])).toMatchObject({ exitCode: 0, stdout: '' });

    // A run's message is signed by the task its agent works on (an agent this project does not know signs with its id).
    await p.wg(['msg', 'send', 'agent-task', 'Acknowledged'], { env: run });
    const msgs = await p.json<Message[]>(['msg', 'list', 'agent-task']);
    expect(msgs.at(-1)).toMatchObject({ sender: 'agent-1', body: 'Acknowledged', agent_id: 'agent-1' });
  });

  it('--help says a run may message only its own task (run-authority.ts)', async () => {
    expect((await p.ok(['msg', 'send', '--help'])).replace(/\s+/g, ' ')).toContain(
      "from inside an agent's run: only to the run's own task",
    );
  });
});

describe('wg msg list keeps one head line a message', () => {
  it("a sender with a line break (upstream's wg takes any, in its messages/<task>.jsonl) is shown escaped on the line", async () => {
    // A folder upstream's wg uses: its graph.jsonl, and a message file its `wg msg send --from` wrote.
    const root = mkdtempSync(join(tmpdir(), 'wg-msg-sender-'));
    try {
      mkdirSync(join(root, '.wg', 'messages'), { recursive: true });
      writeFileSync(join(root, '.wg', 'graph.jsonl'), `${JSON.stringify({ kind: 'task', id: 't1', title: 'T1', status: 'open' })}\n`);
      const message = (id: number, sender: string, body: string) =>
        JSON.stringify({ id, timestamp: '2026-03-01T12:00:00+00:00', sender, body, priority: 'normal', status: 'sent' });
      writeFileSync(join(root, '.wg', 'messages', 't1.jsonl'), `${message(1, 'ops\nbot', 'first')}\n${message(2, 'lead', 'second')}\n`);
      const result = await wgInProcess(['msg', 'list', 't1'], {
        cwd: root,
        env: { WG_HOME: join(root, '.home'), WG_DIR: '', WG_AGENT_ID: '' },
      });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(
        [
          "Messages for 't1' (2 total):",
          '',
          '  #1 \u2709 [2026-03-01T12:00:00+00:00] ops\\nbot',
          '    first',
          '',
          '  #2 \u2709 [2026-03-01T12:00:00+00:00] lead',
          '    second',
        ].join('\n'),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('wg msg questions (not upstream: what running agents asked and nobody answered)', () => {
  it("lists each running task's unanswered question from its agent, and says when there is none", async () => {
    const q = new TempProject('wg-msg-questions-');
    try {
      await q.ok(['init']);
      await q.ok(['add', 'Choose a region', '--id', 'region']);
      await q.ok(['claim', 'region', '--agent', 'agent-r']);
      expect(await q.ok(['msg', 'questions'])).toBe('No running task waits on an answer');
      // Sent from inside the run (WG_AGENT_ID; no run row here, so it is signed with the agent's id).
      const asked = await q.wg(['msg', 'send', 'region', 'Which region:\neu-west or us-east?'], { env: { WG_AGENT_ID: 'agent-r' } });
      expect(asked.exitCode).toBe(0);
      expect(await q.ok(['msg', 'questions'])).toMatch(
        /^1 running task waits on an answer \(reply with 'wg msg send TASK MESSAGE'\):\n\n'region':\n {2}#1 \u2709 \[[^\]]+\] agent-r\n {4}Which region:\n {4}eu-west or us-east\?$/,
      );
      expect((await q.json<Message[]>(['msg', 'questions'])).map((m) => [m.task_id, m.agent_id])).toEqual([['region', 'agent-r']]);
      await q.ok(['msg', 'send', 'region', 'eu-west']);
      expect(await q.ok(['msg', 'questions'])).toBe('No running task waits on an answer');
    } finally {
      q.remove();
    }
  });
});
