import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    for (const id of ['task-1', 'task-2']) t.store.tasks.add({ title: id, id }, 'user');
  });
  afterEach(() => t.dispose());

  const send = (taskId: string, body: string, sender = 'user', priority: 'normal' | 'urgent' = 'normal', agentId: string | null = null) =>
    t.store.messages.send({ taskId, body, sender, priority, agentId });

  describe('the message queue of a task', () => {
    it('test_send_and_list_messages / msg_storage_send_and_persist: ids from 1, fields kept', () => {
      expect(send('task-1', 'Hello').id).toBe(1);
      expect(send('task-1', 'World', 'coordinator', 'urgent').id).toBe(2);
      const msgs = t.store.messages.list('task-1');
      expect(msgs.map((m) => [m.id, m.body, m.sender, m.priority, m.status])).toEqual([
        [1, 'Hello', 'user', 'normal', 'sent'],
        [2, 'World', 'coordinator', 'urgent', 'sent'],
      ]);
    });

    it('msg_storage_ordering_is_by_id / edge_multiple_messages_rapid_succession_all_delivered_in_order', () => {
      for (let i = 1; i <= 20; i++) send('task-1', `Rapid ${i}`);
      const msgs = t.store.messages.list('task-1');
      expect(msgs.map((m) => m.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(t.store.messages.read('task-1', 'fast-reader').map((m) => m.body)).toEqual(msgs.map((m) => m.body));
    });

    it('smoke_test_multi_task_messaging: each task has its own queue and ids', () => {
      send('task-1', 'Alpha context');
      send('task-2', 'Beta context');
      send('task-1', 'More alpha');
      expect(t.store.messages.list('task-1').map((m) => m.id)).toEqual([1, 2]);
      expect(t.store.messages.list('task-2').map((m) => [m.id, m.body])).toEqual([[1, 'Beta context']]);
    });

    it('msg_storage_timestamps_are_valid_rfc3339', () => {
      send('task-1', 'Check timestamp');
      const [msg] = t.store.messages.list('task-1');
      expect(new Date(msg?.timestamp ?? '').toISOString()).toBe('2026-03-01T12:00:00.000Z');
    });

    it('edge_empty_queue_list_returns_empty / edge_message_to_nonexistent_task_errors', () => {
      expect(t.store.messages.list('task-1')).toEqual([]);
      expect(() => send('nope', 'Hello')).toThrow("task 'nope' not found");
      expect(() => t.store.messages.list('nope')).toThrow("task 'nope' not found");
      expect(() => t.store.messages.read('nope', 'a')).toThrow("task 'nope' not found");
    });
  });

  describe('reading: cursors and delivery status', () => {
    it('test_read_unread / msg_storage_read_unread_tracking: read returns what is new, once, and marks it read', () => {
      send('task-1', 'Alpha');
      send('task-1', 'Beta');
      t.setNow(new Date('2026-03-01T12:05:00Z'));
      const first = t.store.messages.read('task-1', 'agent-x');
      expect(first.map((m) => [m.body, m.status, m.read_at])).toEqual([
        ['Alpha', 'read', '2026-03-01T12:05:00.000Z'],
        ['Beta', 'read', '2026-03-01T12:05:00.000Z'],
      ]);
      expect(t.store.messages.read('task-1', 'agent-x')).toEqual([]);
      send('task-1', 'Gamma');
      expect(t.store.messages.read('task-1', 'agent-x').map((m) => m.body)).toEqual(['Gamma']);
      expect(t.store.messages.list('task-1').map((m) => m.status)).toEqual(['read', 'read', 'read']);
    });

    it('msg_storage_separate_cursors_per_agent', () => {
      send('task-1', 'Shared msg');
      expect(t.store.messages.read('task-1', 'agent-a')).toHaveLength(1);
      expect(t.store.messages.read('task-1', 'agent-b')).toHaveLength(1);
      expect(t.store.messages.read('task-1', 'agent-a')).toEqual([]);
    });

    it('test_poll_messages / msg_storage_poll_does_not_advance_cursor', () => {
      send('task-1', 'Peek');
      expect(t.store.messages.unread('task-1', 'agent-p')).toHaveLength(1);
      expect(t.store.messages.unread('task-1', 'agent-p')).toHaveLength(1);
      expect(t.store.messages.read('task-1', 'agent-p')).toHaveLength(1);
      expect(t.store.messages.unread('task-1', 'agent-p')).toEqual([]);
    });

    it('a read with nothing new writes nothing (agents ask after every tool call)', () => {
      send('task-1', 'Once');
      t.store.messages.read('task-1', 'agent-q');
      const rev = t.store.core.currentRev();
      expect(t.store.messages.read('task-1', 'agent-q')).toEqual([]);
      expect(t.store.core.currentRev()).toBe(rev);
    });

    it('an agent is never handed its own messages, and its cursor moves past them', () => {
      send('task-1', 'Use the auth helper');
      expect(t.store.messages.read('task-1', 'agent-1')).toHaveLength(1);
      send('task-1', 'Acknowledged', 'task-1', 'normal', 'agent-1');
      expect(t.store.messages.unread('task-1', 'agent-1')).toEqual([]);
      expect(t.store.messages.read('task-1', 'agent-1')).toEqual([]);
      expect(t.store.messages.cursor('task-1', 'agent-1')).toBe(2);
      // The person reading the task's queue sees the reply.
      expect(t.store.messages.read('task-1', 'user').map((m) => m.body)).toEqual(['Use the auth helper', 'Acknowledged']);
    });

    it('edge_agent_dies_before_reading_messages_persist_for_retry / edge_agent_dies_after_partial_read', () => {
      send('task-1', 'Msg 1');
      send('task-1', 'Msg 2');
      t.store.messages.read('task-1', 'agent-old');
      send('task-1', 'Msg 3');
      // A new agent starts with a fresh cursor and sees everything, read or not by the old one.
      expect(t.store.messages.read('task-1', 'agent-new').map((m) => m.body)).toEqual(['Msg 1', 'Msg 2', 'Msg 3']);
    });

    it('pending_task_cursor_advancement_at_spawn: what the prompt carries is delivered and not handed over again', () => {
      send('task-1', 'Pre-spawn 1');
      send('task-1', 'Pre-spawn 2');
      const queued = t.store.core.write(() => t.store.messages.deliverAtSpawn('task-1', 'spawn-agent-1'));
      expect(queued.map((m) => m.body)).toEqual(['Pre-spawn 1', 'Pre-spawn 2']);
      expect(t.store.messages.list('task-1').map((m) => m.status)).toEqual(['delivered', 'delivered']);
      expect(t.store.messages.read('task-1', 'spawn-agent-1')).toEqual([]);
      send('task-1', 'Post-spawn');
      expect(t.store.messages.read('task-1', 'spawn-agent-1').map((m) => m.body)).toEqual(['Post-spawn']);
      // Status only moves forward: a delivered message read later is read.
      expect(t.store.messages.read('task-1', 'someone').map((m) => m.status)).toEqual(['read', 'read', 'read']);
    });

    it('pending_task_empty_queue_formats_as_empty_string: a task without messages gets nothing and no cursor', () => {
      expect(t.store.core.write(() => t.store.messages.deliverAtSpawn('task-1', 'a'))).toEqual([]);
      expect(t.store.messages.cursor('task-1', 'a')).toBe(0);
    });

    it('messages go with their task when it is removed', () => {
      send('task-1', 'x');
      t.store.messages.read('task-1', 'a');
      t.store.core.write(() => t.store.core.sql('DELETE FROM tasks WHERE id = ?').run('task-1'));
      expect(t.store.core.sql('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 0 });
      expect(t.store.core.sql('SELECT COUNT(*) AS n FROM message_cursors').get()).toEqual({ n: 0 });
    });
  });
});
