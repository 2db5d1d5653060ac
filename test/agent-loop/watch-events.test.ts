import { sqlText } from '../helpers/sql-text';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEvents } from '../../src/core/events/coordinator-changes';
import { eventHistory } from '../../src/core/store/event-history';
import { watchEvents, watchState } from '../../src/core/events/watch-diff';
import type { Agent } from '../../src/shared/agent';
import { eventCategory, includesEvent, type WatchEvent } from '../../src/shared/watch-events';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/*
 * `wg watch`'s events: upstream's filters and shape (src/commands/watch.rs, mod tests, ported by name), then how they are told.
 * Not ported: the reading of operations.jsonl (test_op_to_event_type_known_ops, test_op_to_event_type_unknown_op,
 * test_op_to_watch_event_conversion, test_op_to_watch_event_unknown_returns_none): here the events are told from
 * the store, not from an operations log (docs/upstream.md, deliberate differences).
 */

describe("upstream's event categories and filters", () => {
  // upstream: src/commands/watch.rs test_event_category_task
  it('test_event_category_task', () => {
    for (const type of ['task.created', 'task.completed', 'task.failed']) expect(eventCategory(type)).toBe('task_state');
  });
  // upstream: src/commands/watch.rs test_event_category_evaluation
  it('test_event_category_evaluation', () => expect(eventCategory('evaluation.recorded')).toBe('evaluation'));
  // upstream: src/commands/watch.rs test_event_category_agent
  it('test_event_category_agent', () => {
    expect(eventCategory('agent.spawned')).toBe('agent');
    expect(eventCategory('agent.completed')).toBe('agent');
  });
  // upstream: src/commands/watch.rs test_event_category_other
  it('test_event_category_other', () => {
    expect(eventCategory('something.else')).toBe('other');
    expect(eventCategory('')).toBe('other');
  });
  // upstream: src/commands/watch.rs test_should_include_event_all_filter
  it('test_should_include_event_all_filter', () => {
    expect(includesEvent('task.created', ['all'], undefined, 't1')).toBe(true);
    expect(includesEvent('agent.spawned', ['all'], undefined, undefined)).toBe(true);
  });
  // upstream: src/commands/watch.rs test_should_include_event_category_filter
  it('test_should_include_event_category_filter', () => {
    expect(includesEvent('task.created', ['task_state'], undefined, 't1')).toBe(true);
    expect(includesEvent('agent.spawned', ['task_state'], undefined, undefined)).toBe(false);
  });
  // upstream: src/commands/watch.rs test_should_include_event_exact_type_filter
  it('test_should_include_event_exact_type_filter', () => {
    expect(includesEvent('task.created', ['task.created'], undefined, 't1')).toBe(true);
    expect(includesEvent('task.completed', ['task.created'], undefined, 't1')).toBe(false);
  });
  // upstream: src/commands/watch.rs test_should_include_event_task_prefix_filter
  it('test_should_include_event_task_prefix_filter', () => {
    expect(includesEvent('task.created', ['all'], 'feat-', 'feat-login')).toBe(true);
    expect(includesEvent('task.created', ['all'], 'feat-', 'bug-fix')).toBe(false);
    expect(includesEvent('task.created', ['all'], 'feat-', undefined)).toBe(false);
  });
});

let temp: Awaited<ReturnType<typeof tempStore>>;
beforeEach(async () => {
  temp = await tempStore();
});
afterEach(() => temp.dispose());

const run = (over: Partial<Agent>): Agent =>
  ({
    id: 'agent-1',
    task_id: 'a',
    executor: 'claude',
    model: 'sonnet',
    state: 'working',
    started_at: '2026-03-01T12:01:00.000Z',
    ended_at: null,
    exit_code: null,
    reason: null,
    purpose: 'task',
    ...over,
  }) as Agent;

describe('live events: what changed since the watcher last looked', () => {
  // upstream: src/commands/watch.rs test_watch_event_serialization_format, test_watch_event_serialization_skips_none_task_id
  it("test_watch_event_serialization_format: upstream's keys in its order", async () => {
    const state = watchState([], []);
    await temp.store.tasks.add({ id: 'a', title: 'Alpha' }, 'test');
    const [created] = watchEvents(state, { tasks: [await temp.store.get('a')], agents: [] }, '2026-03-01T12:00:00.000Z');
    expect(JSON.parse(JSON.stringify(created))).toEqual({
      type: 'task.created',
      timestamp: '2026-03-01T12:00:00.000Z',
      task_id: 'a',
      data: { title: 'Alpha' },
    });
    const noTask: WatchEvent = { type: 'agent.spawned', timestamp: 'x', data: {} };
    expect(Object.keys(JSON.parse(JSON.stringify(noTask)))).toEqual(['type', 'timestamp', 'data']);
  });

  it('a task seen before is not told again; its status moving is started, then completed', async () => {
    await temp.store.tasks.add({ id: 'a', title: 'Alpha' }, 'test');
    const state = watchState([await temp.store.get('a')], []);
    expect(watchEvents(state, { tasks: [await temp.store.get('a')], agents: [] }, 'now')).toEqual([]);
    await sqlText(temp.store.core, "UPDATE tasks SET status = 'in-progress', assigned = 'agent-1', started_at = 'T1' WHERE id = 'a'").run();
    expect(watchEvents(state, { tasks: [await temp.store.get('a')], agents: [] }, 'now')).toEqual([
      { type: 'task.started', timestamp: 'T1', task_id: 'a', data: { assigned: 'agent-1' } },
    ]);
    await sqlText(temp.store.core, "UPDATE tasks SET status = 'failed', failure_reason = 'boom', completed_at = 'T2' WHERE id = 'a'").run();
    expect(watchEvents(state, { tasks: [await temp.store.get('a')], agents: [] }, 'now').map((e) => [e.type, e.data])).toEqual([
      ['task.failed', { reason: 'boom' }],
    ]);
    await sqlText(temp.store.core, "UPDATE tasks SET status = 'open', retry_count = 1 WHERE id = 'a'").run();
    expect(watchEvents(state, { tasks: [await temp.store.get('a')], agents: [] }, 'T3')).toEqual([
      { type: 'task.retried', timestamp: 'T3', task_id: 'a', data: { retry_count: 1 } },
    ]);
  });

  it('a run spawned, then completed; a run first seen already ended is both', () => {
    const state = watchState([], []);
    expect(watchEvents(state, { tasks: [], agents: [run({})] }, 'now').map((e) => e.type)).toEqual(['agent.spawned']);
    const ended = run({ state: 'done', ended_at: '2026-03-01T12:05:00.000Z', exit_code: 0 });
    expect(watchEvents(state, { tasks: [], agents: [ended] }, 'now')).toEqual([
      {
        type: 'agent.completed',
        timestamp: '2026-03-01T12:05:00.000Z',
        task_id: 'a',
        data: { agent_id: 'agent-1', state: 'done', exit_code: 0, reason: null },
      },
    ]);
    expect(watchEvents(state, { tasks: [], agents: [ended] }, 'now')).toEqual([]);
    const quick = run({ id: 'agent-2', state: 'failed', ended_at: 'T9' });
    expect(watchEvents(state, { tasks: [], agents: [quick] }, 'now').map((e) => e.type)).toEqual(['agent.spawned', 'agent.completed']);
  });

  it('a full snapshot forgets removed tasks, so one made again is created again', async () => {
    await temp.store.tasks.add({ id: 'a', title: 'Alpha' }, 'test');
    const state = watchState([await temp.store.get('a')], []);
    watchEvents(state, { tasks: [], agents: [], full: true }, 'now');
    expect(watchEvents(state, { tasks: [await temp.store.get('a')], agents: [] }, 'now').map((e) => e.type)).toEqual(['task.created']);
  });
});

describe.each(STORE_KINDS)('--replay: the history the store keeps (%s)', (kind) => {
  it('created, completed and failed tasks, oldest first', async () => {
    const own = await tempStore(new Date('2026-03-01T12:00:00Z'), kind);
    try {
      await own.store.tasks.add({ id: 'a', title: 'Alpha' }, 'test');
      own.setNow(new Date('2026-03-01T12:01:00Z'));
      await own.store.tasks.add({ id: 'b', title: 'Beta' }, 'test');
      await sqlText(own.store.core, "UPDATE tasks SET status = 'done', completed_at = '2026-03-01T12:02:00.000Z' WHERE id = 'a'").run();
      await sqlText(
        own.store.core,
        "UPDATE tasks SET status = 'failed', completed_at = '2026-03-01T12:03:00.000Z', failure_reason = 'broke' WHERE id = 'b'",
      ).run();
      expect(await eventHistory(own.store)).toEqual([
        { type: 'task.created', timestamp: '2026-03-01T12:00:00.000Z', task_id: 'a', data: { title: 'Alpha' } },
        { type: 'task.created', timestamp: '2026-03-01T12:01:00.000Z', task_id: 'b', data: { title: 'Beta' } },
        { type: 'task.completed', timestamp: '2026-03-01T12:02:00.000Z', task_id: 'a', data: { title: 'Alpha' } },
        { type: 'task.failed', timestamp: '2026-03-01T12:03:00.000Z', task_id: 'b', data: { reason: 'broke' } },
      ]);
    } finally {
      await own.dispose();
    }
  });
});

describe.each(STORE_KINDS)('--replay after the task is done (%s)', (kind) => {
  it('keeps task.started: a finished task started too (it was dropped once the task left in-progress)', async () => {
    const own = await tempStore(new Date('2026-03-01T12:00:00Z'), kind);
    try {
      await own.store.tasks.add({ id: 'a', title: 'Alpha' }, 'test');
      own.setNow(new Date('2026-03-01T12:01:00Z'));
      await own.store.tasks.claim('a', 'agent-1', 'test');
      own.setNow(new Date('2026-03-01T12:02:00Z'));
      await own.store.tasks.done('a', {}, 'test');
      expect((await eventHistory(own.store)).map((e) => [e.type, e.timestamp, e.data])).toEqual([
        ['task.created', '2026-03-01T12:00:00.000Z', { title: 'Alpha' }],
        ['task.started', '2026-03-01T12:01:00.000Z', { assigned: 'agent-1' }],
        ['task.completed', '2026-03-01T12:02:00.000Z', { title: 'Alpha' }],
      ]);
    } finally {
      await own.dispose();
    }
  });
});

describe("the daemon's change stream", () => {
  it('complete server-sent events are read, a partial one kept for the next chunk', () => {
    const { events, rest } = parseEvents(': hello\n\nevent: change\ndata: {"rev":4}\n\nevent: change\ndata: {"re');
    expect(events).toEqual([{ event: 'change', data: '{"rev":4}' }]);
    expect(rest).toBe('event: change\ndata: {"re');
  });
});
