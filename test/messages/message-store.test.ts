import { sqlText } from '../helpers/sql-text';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roundTripsDuring } from '../helpers/round-trips';
import { statementsDuring } from '../helpers/statements';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  /**
   * The message queue in the store, translated from upstream's tests: src/messages.rs (mod tests) and
   * tests/integration_messaging.rs (sections 1, 3 and 5), each named in its test's title. Upstream calls
   * `send_message(dir, task, body, sender, priority)`, `read_unread(dir, task, agent)` and
   * `poll_messages(dir, task, agent)`; here they are `send`, `read` and `unread`.
   */
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore(undefined, kind);
    for (const id of ['task-1', 'task-2']) await t.store.tasks.add({ title: id, id }, 'user');
  });
  afterEach(() => t.dispose());

  const send = (taskId: string, body: string, sender = 'user', priority: 'normal' | 'urgent' = 'normal', agentId: string | null = null) =>
    t.store.messages.send({ taskId, body, sender, priority, agentId });

  describe('the message queue of a task', () => {
    it('test_send_and_list_messages / msg_storage_send_and_persist: ids from 1, fields kept', async () => {
      expect((await send('task-1', 'Hello')).id).toBe(1);
      expect((await send('task-1', 'World', 'coordinator', 'urgent')).id).toBe(2);
      const msgs = await t.store.messages.list('task-1');
      expect(msgs.map((m) => [m.id, m.body, m.sender, m.priority, m.status])).toEqual([
        [1, 'Hello', 'user', 'normal', 'sent'],
        [2, 'World', 'coordinator', 'urgent', 'sent'],
      ]);
    });

    it('msg_storage_ordering_is_by_id / edge_multiple_messages_rapid_succession_all_delivered_in_order', async () => {
      for (let i = 1; i <= 20; i++) await send('task-1', `Rapid ${i}`);
      const msgs = await t.store.messages.list('task-1');
      expect(msgs.map((m) => m.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await t.store.messages.read('task-1', 'fast-reader')).map((m) => m.body)).toEqual(msgs.map((m) => m.body));
    });

    it('smoke_test_multi_task_messaging: each task has its own queue and ids', async () => {
      await send('task-1', 'Alpha context');
      await send('task-2', 'Beta context');
      await send('task-1', 'More alpha');
      expect((await t.store.messages.list('task-1')).map((m) => m.id)).toEqual([1, 2]);
      expect((await t.store.messages.list('task-2')).map((m) => [m.id, m.body])).toEqual([[1, 'Beta context']]);
    });

    it('msg_storage_timestamps_are_valid_rfc3339', async () => {
      await send('task-1', 'Check timestamp');
      const [msg] = await t.store.messages.list('task-1');
      expect(new Date(msg?.timestamp ?? '').toISOString()).toBe('2026-03-01T12:00:00.000Z');
    });

    it('edge_empty_queue_list_returns_empty / edge_message_to_nonexistent_task_errors', async () => {
      expect(await t.store.messages.list('task-1')).toEqual([]);
      await expect(() => send('nope', 'Hello')).rejects.toThrow("task 'nope' not found");
      await expect(() => t.store.messages.list('nope')).rejects.toThrow("task 'nope' not found");
      await expect(() => t.store.messages.read('nope', 'a')).rejects.toThrow("task 'nope' not found");
    });
  });

  describe('reading: cursors and delivery status', () => {
    it('test_read_unread / msg_storage_read_unread_tracking: read returns what is new, once, and marks it read', async () => {
      await send('task-1', 'Alpha');
      await send('task-1', 'Beta');
      t.setNow(new Date('2026-03-01T12:05:00Z'));
      const first = await t.store.messages.read('task-1', 'agent-x');
      expect(first.map((m) => [m.body, m.status, m.read_at])).toEqual([
        ['Alpha', 'read', '2026-03-01T12:05:00.000Z'],
        ['Beta', 'read', '2026-03-01T12:05:00.000Z'],
      ]);
      expect(await t.store.messages.read('task-1', 'agent-x')).toEqual([]);
      await send('task-1', 'Gamma');
      expect((await t.store.messages.read('task-1', 'agent-x')).map((m) => m.body)).toEqual(['Gamma']);
      expect((await t.store.messages.list('task-1')).map((m) => m.status)).toEqual(['read', 'read', 'read']);
    });

    it('msg_storage_separate_cursors_per_agent', async () => {
      await send('task-1', 'Shared msg');
      expect(await t.store.messages.read('task-1', 'agent-a')).toHaveLength(1);
      expect(await t.store.messages.read('task-1', 'agent-b')).toHaveLength(1);
      expect(await t.store.messages.read('task-1', 'agent-a')).toEqual([]);
    });

    it('test_poll_messages / msg_storage_poll_does_not_advance_cursor', async () => {
      await send('task-1', 'Peek');
      expect(await t.store.messages.unread('task-1', 'agent-p')).toHaveLength(1);
      expect(await t.store.messages.unread('task-1', 'agent-p')).toHaveLength(1);
      expect(await t.store.messages.read('task-1', 'agent-p')).toHaveLength(1);
      expect(await t.store.messages.unread('task-1', 'agent-p')).toEqual([]);
    });

    it('a read with nothing new writes nothing (agents ask after every tool call)', async () => {
      await send('task-1', 'Once');
      await t.store.messages.read('task-1', 'agent-q');
      const rev = await t.store.core.currentRev();
      expect(await t.store.messages.read('task-1', 'agent-q')).toEqual([]);
      expect(await t.store.core.currentRev()).toBe(rev);
    });

    it('an agent is never handed its own messages, and its cursor moves past them', async () => {
      await send('task-1', 'Use the auth helper');
      expect(await t.store.messages.read('task-1', 'agent-1')).toHaveLength(1);
      await send('task-1', 'Acknowledged', 'task-1', 'normal', 'agent-1');
      expect(await t.store.messages.unread('task-1', 'agent-1')).toEqual([]);
      expect(await t.store.messages.read('task-1', 'agent-1')).toEqual([]);
      expect(await t.store.messages.cursor('task-1', 'agent-1')).toBe(2);
      // The person reading the task's queue sees the reply.
      expect((await t.store.messages.read('task-1', 'user')).map((m) => m.body)).toEqual(['Use the auth helper', 'Acknowledged']);
    });

    it('edge_agent_dies_before_reading_messages_persist_for_retry / edge_agent_dies_after_partial_read', async () => {
      await send('task-1', 'Msg 1');
      await send('task-1', 'Msg 2');
      await t.store.messages.read('task-1', 'agent-old');
      await send('task-1', 'Msg 3');
      // A new agent starts with a fresh cursor and sees everything, read or not by the old one.
      expect((await t.store.messages.read('task-1', 'agent-new')).map((m) => m.body)).toEqual(['Msg 1', 'Msg 2', 'Msg 3']);
    });

    it('pending_task_cursor_advancement_at_spawn: what the prompt carries is delivered and not handed over again', async () => {
      await send('task-1', 'Pre-spawn 1');
      await send('task-1', 'Pre-spawn 2');
      const queued = await t.store.core.write(() => t.store.messages.deliverAtSpawn('task-1', 'spawn-agent-1'));
      expect(queued.map((m) => m.body)).toEqual(['Pre-spawn 1', 'Pre-spawn 2']);
      expect((await t.store.messages.list('task-1')).map((m) => m.status)).toEqual(['delivered', 'delivered']);
      expect(await t.store.messages.read('task-1', 'spawn-agent-1')).toEqual([]);
      await send('task-1', 'Post-spawn');
      expect((await t.store.messages.read('task-1', 'spawn-agent-1')).map((m) => m.body)).toEqual(['Post-spawn']);
      // Status only moves forward: a delivered message read later is read.
      expect((await t.store.messages.read('task-1', 'someone')).map((m) => m.status)).toEqual(['read', 'read', 'read']);
    });

    it('pending_task_empty_queue_formats_as_empty_string: a task without messages gets nothing and no cursor', async () => {
      expect(await t.store.core.write(() => t.store.messages.deliverAtSpawn('task-1', 'a'))).toEqual([]);
      expect(await t.store.messages.cursor('task-1', 'a')).toBe(0);
    });

    it('messages go with their task when it is removed', async () => {
      await send('task-1', 'x');
      await t.store.messages.read('task-1', 'a');
      await t.store.core.write(() => sqlText(t.store.core, 'DELETE FROM tasks WHERE id = ?').run('task-1'));
      expect(await sqlText(t.store.core, 'SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 0 });
      expect(await sqlText(t.store.core, 'SELECT COUNT(*) AS n FROM message_cursors').get()).toEqual({ n: 0 });
    });
  });

  describe("the running tasks' open questions (openQuestions: what the window shows under Needs you)", () => {
    it("is each running task's last message, where its agent wrote it and nobody has read it, in one statement", async () => {
      const { store } = t;
      for (const id of ['task-3', 'task-4', 'task-5', 'idle']) await store.tasks.add({ title: id, id }, 'user');
      const running = ['task-1', 'task-2', 'task-3', 'task-4', 'task-5'];
      await store.core.write(() =>
        store.core.send(store.core.build.updateTable('tasks').set({ status: 'in-progress' }).where('id', 'in', running)),
      );
      // Asked and unanswered.
      await send('task-1', 'earlier', 'task-1', 'normal', 'agent-1');
      await send('task-1', 'Which region?', 'task-1', 'urgent', 'agent-1');
      // Answered by a person.
      await send('task-2', 'Drop the old table?', 'task-2', 'normal', 'agent-2');
      await send('task-2', 'Yes');
      // Read by a person (`wg msg read`).
      await send('task-3', 'Go ahead?', 'task-3', 'normal', 'agent-3');
      await store.messages.read('task-3', 'user');
      // A person's message last: no question.
      await send('task-4', 'Start with the docs');
      // Asked, after the person's answer to an earlier one.
      await send('task-5', 'First?', 'task-5', 'normal', 'agent-5');
      await send('task-5', 'Yes');
      await send('task-5', 'And then?', 'task-5', 'normal', 'agent-5');
      // Not running: a question left by a run that ended is not the person's to answer now.
      await send('idle', 'Anyone?', 'idle', 'normal', 'agent-9');

      let open: Awaited<ReturnType<typeof store.messages.openQuestions>> = [];
      const read = async () => {
        open = await store.messages.openQuestions();
      };
      if (kind === 'postgres') expect(await roundTripsDuring(read)).toBe(1);
      else expect(await statementsDuring(store.core, read)).toHaveLength(1);
      expect(open.map((m) => [m.task_id, m.id, m.body, m.priority, m.agent_id])).toEqual([
        ['task-1', 2, 'Which region?', 'urgent', 'agent-1'],
        ['task-5', 3, 'And then?', 'normal', 'agent-5'],
      ]);
      expect(await store.messages.runningTasks()).toEqual(running);
    });
  });
});
