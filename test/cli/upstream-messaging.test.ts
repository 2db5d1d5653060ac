import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPrompt } from '../../src/core/executors/prompt';
import { Store } from '../../src/core/store/store';
import type { Message } from '../../src/shared/message';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * The rest of upstream's tests/integration_messaging.rs (graphwork/workgraph), each named in its `it`; its other
 * cases are in test/cli/msg-cli.test.ts, test/messages/message-store.test.ts and test/executors/prompt.test.ts.
 * Upstream's `deliver_message` stores a message and writes the agent's `agents/<id>/pending_messages.txt`;
 * here a send stores it and leaves the task's marker (`service/inbox/<task>`), and the run's hook hands over
 * what is unread. Upstream's queued-messages section is buildPrompt's, given what the spawn delivers.
 *
 * not ported:
 * - adapter_shell_writes_notification_file, adapter_factory_returns_correct_types: upstream's per-executor
 *   message adapters (claude, codex, shell) and their notification file; here the hooks of Claude Code and
 *   Codex hand messages over, and a run without them reads them with `wg msg read`.
 */

let p: InProcessProject;
const marker = (task: string) => join(p.root, '.workgraph', 'service', 'inbox', task);
const hook = async (agent: string, task: string) => {
  const result = await p.wg(['msg', 'hook', 'post-tool-use'], { WG_AGENT_ID: agent, WG_TASK_ID: task });
  expect(result.exitCode).toBe(0);
  return result.stdout === ''
    ? ''
    : (JSON.parse(result.stdout) as { hookSpecificOutput: { additionalContext: string } }).hookSpecificOutput.additionalContext;
};

beforeEach(async () => {
  p = new InProcessProject('wg-upstream-msg-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

describe('messages before the task is picked up', () => {
  it('pending_task_queued_messages_in_context', async () => {
    await p.ok(['add', 'Pending pickup', '--id', 'pending-1']);
    await p.ok(['msg', 'send', 'pending-1', 'Pre-claim context']);
    await p.ok(['msg', 'send', 'pending-1', 'Urgent pre-claim', '--from', 'coordinator', '--priority', 'urgent']);
    const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
    try {
      const prompt = buildPrompt({
        task: await store.get('pending-1'),
        dependencies: [],
        wgPath: 'wg',
        messages: await store.messages.deliverAtSpawn('pending-1', 'agent-1'),
      });
      expect(prompt).toContain('## Queued Messages');
      expect(prompt).toContain('message from user, sent ');
      expect(prompt).toContain('> Pre-claim context');
      // Upstream's "[URGENT]" marker, in this prompt's words.
      expect(prompt).toMatch(/message from coordinator, sent [^\n]+, marked urgent:\n> Urgent pre-claim/);
    } finally {
      await store.close();
    }
  });
});

describe('messages to a working agent', () => {
  it('coordinator_deliver_message_stores_and_notifies / adapter_claude_writes_notification_file', async () => {
    await p.ok(['add', 'Coord test', '--id', 'coord-1']);
    expect(await p.ok(['msg', 'send', 'coord-1', 'Dependency completed', '--from', 'coordinator'])).toBe("Message #1 sent to 'coord-1'");
    expect(await p.json<Message[]>(['msg', 'list', 'coord-1'])).toMatchObject([
      { id: 1, body: 'Dependency completed', sender: 'coordinator' },
    ]);
    expect(existsSync(marker('coord-1'))).toBe(true);
    expect(await hook('coord-agent', 'coord-1')).toMatch(/message from coordinator, sent [^\n]+:\n> Dependency completed/);
  });

  it('coordinator_multiple_deliveries_across_tasks', async () => {
    await p.ok(['add', 'Task A', '--id', 'multi-a']);
    await p.ok(['add', 'Task B', '--id', 'multi-b']);
    await p.ok(['msg', 'send', 'multi-a', 'For A', '--from', 'coordinator']);
    await p.ok(['msg', 'send', 'multi-b', 'For B', '--from', 'coordinator', '--priority', 'urgent']);
    expect((await p.json<Message[]>(['msg', 'list', 'multi-a'])).map((m) => m.body)).toEqual(['For A']);
    expect((await p.json<Message[]>(['msg', 'list', 'multi-b'])).map((m) => m.body)).toEqual(['For B']);
    expect(existsSync(marker('multi-a')) && existsSync(marker('multi-b'))).toBe(true);
    const forA = await hook('agent-a', 'multi-a');
    const forB = await hook('agent-b', 'multi-b');
    expect(forA).toContain('> For A');
    expect(forA).not.toContain('For B');
    expect(forB).toContain('> For B');
    expect(forB).not.toContain('For A');
  });

  it('adapter_notification_accumulates_multiple_messages', async () => {
    await p.ok(['add', 'Accumulate', '--id', 'accum-1']);
    for (let i = 1; i <= 5; i++) await p.ok(['msg', 'send', 'accum-1', `Message ${i}`]);
    const handed = await hook('agent-accum', 'accum-1');
    for (let i = 1; i <= 5; i++) expect(handed).toContain(`> Message ${i}`);
    expect(await p.json<Message[]>(['msg', 'list', 'accum-1'])).toHaveLength(5);
  });
});

describe('bad input', () => {
  it('edge_cli_msg_list_nonexistent_task / edge_cli_msg_read_nonexistent_task / edge_cli_msg_poll_nonexistent_task', async () => {
    for (const args of [
      ['list', 'no-such-task'],
      ['read', 'no-such-task', '--agent', 'x'],
      ['poll', 'no-such-task', '--agent', 'x'],
    ]) {
      const result = await p.wg(['msg', ...args]);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toBe("wg: task 'no-such-task' not found");
    }
  });
});

describe('the whole lifecycle', () => {
  it('smoke_test_messaging_lifecycle', async () => {
    await p.ok(['add', 'E2E messaging', '--id', 'e2e-msg']);
    await p.ok(['msg', 'send', 'e2e-msg', 'Pre-claim context: focus on edge cases']);
    await p.ok(['msg', 'send', 'e2e-msg', 'Urgent: API changed, use v2', '--priority', 'urgent', '--from', 'coordinator']);
    await p.ok(['claim', 'e2e-msg', '--agent', 'e2e-agent']);

    // The spawn hands the queued messages to the prompt and moves the agent's cursor past them.
    const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
    try {
      const prompt = buildPrompt({
        task: await store.get('e2e-msg'),
        dependencies: [],
        wgPath: 'wg',
        messages: await store.messages.deliverAtSpawn('e2e-msg', 'e2e-agent'),
      });
      expect(prompt).toContain('## Queued Messages');
      expect(prompt).toContain('> Pre-claim context');
      expect(prompt).toMatch(/marked urgent:\n> Urgent: API changed/);
    } finally {
      await store.close();
    }
    expect(await p.ok(['msg', 'read', 'e2e-msg', '--agent', 'e2e-agent'])).toContain('No unread messages');

    await p.ok(['msg', 'send', 'e2e-msg', 'Mid-exec: also test logging']);
    const polled = await p.json<Message[]>(['msg', 'poll', 'e2e-msg', '--agent', 'e2e-agent']);
    expect(polled.map((m) => m.body)).toEqual(['Mid-exec: also test logging']);
    const read = await p.json<Message[]>(['msg', 'read', 'e2e-msg', '--agent', 'e2e-agent']);
    expect(read.map((m) => m.body)).toEqual(['Mid-exec: also test logging']);
    expect(await p.json<Message[]>(['msg', 'read', 'e2e-msg', '--agent', 'e2e-agent'])).toEqual([]);

    await p.ok(['done', 'e2e-msg']);
    expect((await p.json<Task>(['show', 'e2e-msg'])).status).toBe('done');
    expect(await p.json<Message[]>(['msg', 'list', 'e2e-msg'])).toHaveLength(3);
  });
});
