import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/message';
import { planMessages } from '../../src/core/upstream-sync/message-merge';
import type { FileLine } from '../../src/core/upstream-sync/message-files';

/* The plan that makes a task's messages in upstream's file and in graph.db one set (message-merge.ts). */

function fileLine(fields: Record<string, unknown>): FileLine {
  const text = JSON.stringify(fields);
  return {
    text,
    message: {
      id: fields.id as number,
      timestamp: String(fields.timestamp),
      sender: String(fields.sender),
      body: String(fields.body),
      priority: String(fields.priority ?? 'normal'),
      status: (fields.status ?? 'sent') as Message['status'],
      ...(typeof fields.read_at === 'string' ? { read_at: fields.read_at } : {}),
      line: fields,
    },
  };
}

function stored(id: number, body: string, status: Message['status'] = 'sent', extra: Partial<Message> = {}): Message {
  return { id, task_id: 't', timestamp: '2026-01-01T00:00:00.000Z', sender: 'user', body, priority: 'normal', status, ...extra };
}

const up = (id: number, body: string, status = 'sent', extra: Record<string, unknown> = {}) =>
  fileLine({ id, timestamp: '2026-01-01T00:00:00+00:00', sender: 'user', body, priority: 'normal', status, ...extra });

describe('planMessages', () => {
  it('gives each side what it lacks', () => {
    const plan = planMessages([up(1, 'a'), up(2, 'b')], [stored(1, 'a'), stored(3, 'c')]);
    expect(plan.toStore.map((m) => m.id)).toEqual([2]);
    expect(plan.toFile.map((m) => m.id)).toEqual([3]);
    expect(plan.renumber).toEqual([]);
    expect(plan.upgradedLines).toBeNull();
  });

  it("moves this app's message to the next free id when the file gives its id to another message", () => {
    const plan = planMessages([up(1, 'upstream one'), up(2, 'upstream two')], [stored(1, 'ours one'), stored(2, 'upstream two')]);
    expect(plan.renumber).toEqual([{ from: 1, to: 3 }]);
    expect(plan.toFile.map((m) => [m.id, m.body])).toEqual([[3, 'ours one']]);
    expect(plan.toStore.map((m) => [m.id, m.body])).toEqual([[1, 'upstream one']]);
  });

  it('each message takes the further status of the two, the other way too, keeping fields this app does not know', () => {
    const lines = [
      up(1, 'a', 'read', { read_at: 'then', mood: 'kept' }),
      up(2, 'b', 'sent', { mood: 'kept too' }),
      { text: 'not json', message: null },
    ];
    const plan = planMessages(lines, [stored(1, 'a', 'delivered'), stored(2, 'b', 'read', { read_at: 'now' })]);
    expect(plan.storeUpgrades).toEqual([{ id: 1, status: 'read', read_at: 'then' }]);
    expect(plan.upgradedLines?.[0]).toBe(lines[0]?.text);
    expect(JSON.parse(plan.upgradedLines?.[1] ?? '')).toEqual({
      id: 2,
      timestamp: '2026-01-01T00:00:00+00:00',
      sender: 'user',
      body: 'b',
      priority: 'normal',
      status: 'read',
      mood: 'kept too',
      read_at: 'now',
    });
    // A line that is not a message stays as it is.
    expect(plan.upgradedLines?.[2]).toBe('not json');
  });

  it('never moves a status back', () => {
    const plan = planMessages([up(1, 'a', 'acknowledged')], [stored(1, 'a', 'read', { read_at: 'x' })]);
    expect(plan.upgradedLines).toBeNull();
    expect(plan.storeUpgrades).toEqual([{ id: 1, status: 'acknowledged', read_at: 'x' }]);
  });
});
