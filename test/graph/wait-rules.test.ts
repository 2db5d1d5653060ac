import { describe, expect, it } from 'vitest';
import type { JsonValue, TaskStatus } from '../../src/shared/task';
import { describeWaitSpec, readWaitSpec, type WaitSpec } from '../../src/shared/wait-condition';
import { parseDelay, parseWaitSpec, type ParseEnv } from '../../src/core/waiting/wait-parse';
import {
  circularWaits,
  conditionHolds,
  judgeWaits,
  resumeDelta,
  specHolds,
  unsatisfiable,
  type WaitFacts,
  type WaitingTask,
  type WaitMessage,
} from '../../src/core/waiting/wait-rules';

/*
 * `wg wait`'s conditions as pure functions (no store, no processes, no timers). Ported from upstream's
 * src/commands/wait.rs tests (parsing) and src/commands/service/coordinator.rs "Wait condition
 * evaluation tests"; each `it` names the upstream test it ports.
 */

const NOW = Date.parse('2026-03-01T12:00:00Z');

function env(tasks: string[] = [], mtimes: Record<string, number> = {}): ParseEnv {
  return {
    nowMs: NOW,
    taskExists: (id) => tasks.includes(id),
    mtimeMs: (path) => mtimes[path] ?? null,
    resolvePath: (path) => (path.startsWith('/') ? path : `/project/${path}`),
  };
}

function facts(statuses: Record<string, TaskStatus>, more: Partial<WaitFacts> = {}): WaitFacts {
  return { nowMs: NOW, statusOf: (id) => statuses[id] ?? null, messagesOf: () => [], mtimeMs: () => null, ...more };
}

const waiting = (id: string, spec: WaitSpec, more: Partial<WaitingTask> = {}): WaitingTask => ({
  id,
  spec,
  parkedAtMs: NOW - 60_000,
  holderWorking: false,
  ...more,
});
const onTask = (task_id: string, status: 'done' | 'failed' | 'open' = 'done') => ({ type: 'task-status' as const, task_id, status });
const all = (...conditions: WaitSpec['conditions']): WaitSpec => ({ mode: 'all', conditions });
const any = (...conditions: WaitSpec['conditions']): WaitSpec => ({ mode: 'any', conditions });

describe('parsing --until (upstream wait.rs)', () => {
  it('test_wg_wait_basic_task_condition: task:ID=STATUS is all of one task-status condition', () => {
    expect(parseWaitSpec('task:dep-a=done', env(['dep-a']))).toEqual(all(onTask('dep-a')));
  });

  it('test_wg_wait_rejects_nonexistent_task_in_condition', () => {
    expect(() => parseWaitSpec('task:nonexistent=done', env())).toThrow("Task 'nonexistent' referenced in condition does not exist");
  });

  it('a task condition without = or with an unknown status is refused (parse_condition)', () => {
    expect(() => parseWaitSpec('task:dep-a', env(['dep-a']))).toThrow('Expected format: task:<id>=<status>');
    expect(() => parseWaitSpec('task:dep-a=finished', env(['dep-a']))).toThrow("Unknown status 'finished' in condition");
  });

  it('test_wg_wait_timer_condition: timer:5m resumes five minutes from now, an RFC 3339 time', () => {
    const spec = parseWaitSpec('timer:5m', env());
    expect(spec).toEqual(all({ type: 'timer', resume_after: new Date(NOW + 300_000).toISOString() }));
    expect(() => parseWaitSpec('timer:5 minutes', env())).toThrow("Invalid timer duration '5 minutes'. Use e.g. 5m, 2h, 30s");
  });

  it('parse_delay (graph.rs): s, m, h, d; anything else is not a duration', () => {
    expect([parseDelay('30s'), parseDelay('5m'), parseDelay('2h'), parseDelay('1d'), parseDelay(' 7s ')]).toEqual([
      30, 300, 7200, 86_400, 7,
    ]);
    expect([parseDelay(''), parseDelay('5'), parseDelay('m'), parseDelay('5w'), parseDelay('-5m'), parseDelay('1.5h')]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('test_wg_wait_message_condition and test_wg_wait_human_input_condition', () => {
    expect(parseWaitSpec('message', env())).toEqual(all({ type: 'message' }));
    expect(parseWaitSpec(' human-input ', env())).toEqual(all({ type: 'human-input' }));
  });

  it('test_wg_wait_and_conditions: commas are all', () => {
    expect(parseWaitSpec('task:dep-a=done,task:dep-b=done', env(['dep-a', 'dep-b']))).toEqual(all(onTask('dep-a'), onTask('dep-b')));
  });

  it('test_wg_wait_or_conditions: pipes are any', () => {
    const spec = parseWaitSpec('task:dep-a=done|timer:5m', env(['dep-a']));
    expect(spec.mode).toBe('any');
    expect(spec.conditions).toHaveLength(2);
  });

  it('test_wg_wait_mixed_and_or_rejected', () => {
    expect(() => parseWaitSpec('task:dep-a=done,timer:5m|message', env(['dep-a']))).toThrow('Cannot mix');
  });

  it('test_wg_wait_invalid_condition', () => {
    expect(() => parseWaitSpec('invalid-condition', env())).toThrow("Unknown condition 'invalid-condition'");
  });

  it("test_wg_wait_file_condition: the file's modification time is kept (a relative path made the project's)", () => {
    const spec = parseWaitSpec('file:watched.txt', env([], { '/project/watched.txt': 1_700_000_000_500 }));
    expect(spec).toEqual(
      all({ type: 'file-changed', path: '/project/watched.txt', mtime_at_wait: 1_700_000_000, mtime_ms_at_wait: 1_700_000_000_500 }),
    );
    expect(parseWaitSpec('file:/nowhere/x', env()).conditions[0]).toMatchObject({ mtime_at_wait: 0 });
    expect(() => parseWaitSpec('file: ', env())).toThrow('Empty file path in condition');
  });

  it("upstream's JSON shape is read back (and nothing else is taken for a condition)", () => {
    const upstream: JsonValue = {
      mode: 'any',
      conditions: [
        { type: 'task-status', task_id: 'a', status: 'done' },
        { type: 'timer', resume_after: 'x' },
      ],
    };
    expect(readWaitSpec({ wait_condition: upstream })).toEqual(upstream);
    expect(readWaitSpec({ wait_condition: { mode: 'all', conditions: [{ type: 'rain' }] } })).toBeNull();
    expect(readWaitSpec({})).toBeNull();
  });

  it('says the condition in words, for the window and wg show', () => {
    expect(describeWaitSpec(all(onTask('dep-a'), { type: 'message' }))).toBe("until 'dep-a' is done and a message arrives");
    expect(describeWaitSpec(any({ type: 'human-input' }, { type: 'timer', resume_after: '2026-03-01T12:05:00.000Z' }))).toBe(
      'until a person sends it a message or 2026-03-01 12:05:00 UTC',
    );
    expect(describeWaitSpec(all({ type: 'file-changed', path: '/p/out.json', mtime_at_wait: 0 }))).toBe('until /p/out.json changes');
  });
});

describe('evaluating a condition (upstream coordinator.rs)', () => {
  const task = waiting('main', all());

  it('test_evaluate_condition_task_status_satisfied / _not_satisfied', () => {
    expect(conditionHolds(onTask('dep-a'), task, facts({ 'dep-a': 'done' }))).toBe(true);
    expect(conditionHolds(onTask('dep-a'), task, facts({ 'dep-a': 'in-progress' }))).toBe(false);
  });

  it('test_evaluate_condition_timer_elapsed / _not_elapsed (an unreadable time counts as passed)', () => {
    const at = (ms: number) => ({ type: 'timer' as const, resume_after: new Date(ms).toISOString() });
    expect(conditionHolds(at(NOW - 300_000), task, facts({}))).toBe(true);
    expect(conditionHolds(at(NOW + 3_600_000), task, facts({}))).toBe(false);
    expect(conditionHolds({ type: 'timer', resume_after: 'soon' }, task, facts({}))).toBe(true);
  });

  it('test_evaluate_condition_file_changed: a later modification time, not the same one', () => {
    const cond = (seconds: number) => ({ type: 'file-changed' as const, path: '/w.txt', mtime_at_wait: seconds });
    const f = facts({}, { mtimeMs: () => 1_700_000_000_000 });
    expect(conditionHolds(cond(1_700_000_000), task, f)).toBe(false);
    expect(conditionHolds(cond(1_700_000_000 - 1), task, f)).toBe(true);
    // Kept in ms here: a change in the same second as the park still counts.
    expect(conditionHolds({ ...cond(1_700_000_000), mtime_ms_at_wait: 1_699_999_999_900 }, task, f)).toBe(true);
    expect(conditionHolds(cond(0), task, facts({}))).toBe(false);
  });

  it('message and human-input: only messages after the park; human-input not from an agent', () => {
    const messages: WaitMessage[] = [
      { sender: 'user', timestamp: new Date(NOW - 120_000).toISOString() },
      { sender: 'main', agent_id: 'agent-3', timestamp: new Date(NOW - 1000).toISOString() },
    ];
    const f = facts({}, { messagesOf: () => messages });
    expect(conditionHolds({ type: 'message' }, task, f)).toBe(true);
    expect(conditionHolds({ type: 'human-input' }, task, f)).toBe(false);
    messages.push({ sender: 'erik', timestamp: new Date(NOW - 500).toISOString() });
    expect(conditionHolds({ type: 'human-input' }, task, f)).toBe(true);
    // Park time unknown: any message at all (upstream).
    expect(
      conditionHolds({ type: 'human-input' }, { ...task, parkedAtMs: null }, facts({}, { messagesOf: () => messages.slice(0, 1) })),
    ).toBe(true);
  });

  it('test_evaluate_wait_spec_all_not_satisfied and test_evaluate_wait_spec_any_satisfied', () => {
    const f = facts({ 'dep-a': 'done', 'dep-b': 'open' });
    expect(specHolds(waiting('main', all(onTask('dep-a'), onTask('dep-b'))), f)).toBe(false);
    expect(specHolds(waiting('main', any(onTask('dep-a'), onTask('dep-b'))), f)).toBe(true);
  });

  it('test_unsatisfiable_condition_failed_dep and test_unsatisfiable_condition_nonexistent_task', () => {
    expect(unsatisfiable(onTask('dep-a'), () => 'failed')).toContain('failed');
    expect(unsatisfiable(onTask('nonexistent'), () => null)).toContain('no longer exists');
    expect(unsatisfiable(onTask('dep-a', 'failed'), () => 'failed')).toBeNull();
    expect(unsatisfiable({ type: 'message' }, () => null)).toBeNull();
  });

  it('test_circular_wait_detection', () => {
    expect(circularWaits([waiting('task-a', all(onTask('task-b'))), waiting('task-b', all(onTask('task-a')))])).toEqual([
      ['task-a', 'task-b'],
    ]);
    expect(circularWaits([waiting('task-a', all(onTask('task-b')))])).toEqual([]);
  });
});

describe('judging the waiting tasks (upstream evaluate_waiting_tasks)', () => {
  it('test_evaluate_waiting_tasks_transitions_to_open', () => {
    const verdicts = judgeWaits([waiting('main', all(onTask('dep-a')))], facts({ 'dep-a': 'done' }));
    expect(verdicts.outcomes).toEqual([{ id: 'main', kind: 'release' }]);
  });

  it('test_evaluate_waiting_tasks_autofails_unsatisfiable', () => {
    const [outcome] = judgeWaits([waiting('main', all(onTask('dep-a')))], facts({ 'dep-a': 'failed' })).outcomes;
    expect(outcome).toMatchObject({
      id: 'main',
      kind: 'fail',
      reason: "Wait condition unsatisfiable: task 'dep-a' is failed (expected done)",
    });
  });

  it('any: unsatisfiable only when every condition is a task condition that cannot hold', () => {
    const gone = facts({ 'dep-a': 'failed', 'dep-b': 'abandoned' });
    expect(judgeWaits([waiting('m', any(onTask('dep-a'), onTask('dep-b')))], gone).outcomes[0]).toMatchObject({ kind: 'fail' });
    expect(judgeWaits([waiting('m', any(onTask('dep-a'), { type: 'message' }))], gone).outcomes).toEqual([]);
  });

  it('test_evaluate_waiting_tasks_fails_circular_waits', () => {
    const { outcomes } = judgeWaits(
      [waiting('task-a', all(onTask('task-b'))), waiting('task-b', all(onTask('task-a')))],
      facts({ 'task-a': 'waiting', 'task-b': 'waiting' }),
    );
    expect(outcomes.map((o) => [o.id, o.kind])).toEqual([
      ['task-a', 'fail'],
      ['task-b', 'fail'],
    ]);
    expect(outcomes[0]).toMatchObject({ reason: 'Circular wait detected: task-a -> task-b' });
  });

  it('test_evaluate_waiting_tasks_no_change_when_not_satisfied: and what wakes it next', () => {
    const at = new Date(NOW + 90_000).toISOString();
    const verdicts = judgeWaits(
      [
        waiting(
          'main',
          any(onTask('dep-a'), { type: 'timer', resume_after: at }, { type: 'file-changed', path: '/p/x', mtime_at_wait: 0 }),
        ),
      ],
      facts({ 'dep-a': 'in-progress' }),
    );
    expect(verdicts).toEqual({ outcomes: [], nextTimerMs: NOW + 90_000, files: ['/p/x'] });
  });

  it('test_message_condition_with_messages', () => {
    const f = facts({}, { messagesOf: () => [{ sender: 'user', timestamp: new Date(NOW).toISOString() }] });
    expect(judgeWaits([waiting('main', all({ type: 'message' }))], f).outcomes).toEqual([{ id: 'main', kind: 'release' }]);
  });

  it('a task whose parking run still runs is not released yet (one run per task); its exit wakes the coordinator', () => {
    const verdicts = judgeWaits([waiting('main', all(onTask('dep-a')), { holderWorking: true })], facts({ 'dep-a': 'done' }));
    expect(verdicts.outcomes).toEqual([]);
  });
});

describe('the resume context (upstream build_resume_delta)', () => {
  it('test_build_resume_delta_content and test_wait_resume_preserves_session_id (what it waited on, artifacts, checkpoint)', () => {
    const delta = resumeDelta({
      taskId: 'main',
      spec: all(onTask('dep-a')),
      checkpoint: 'Working on phase 2',
      dependency: (id) =>
        id === 'dep-a' ? { id, status: 'done', artifacts: ['output.txt'], log: ['a', 'b', 'c', 'last'], failure_reason: null } : null,
      messages: [{ sender: 'user', timestamp: '2026-03-01T12:00:00.000Z', body: 'use the auth helper' }],
    });
    expect(delta).toContain('Resume Context');
    expect(delta).toContain('dep-a: done');
    expect(delta).toContain('output.txt');
    expect(delta).toContain('Working on phase 2');
    expect(delta).toContain('Continue your work');
    // Quoted under its sender (quoted-message.ts): this becomes part of the resumed agent's prompt.
    expect(delta).toContain('Recent messages:\nmessage from user, sent 2026-03-01T12:00:00.000Z:\n> use the auth helper\n');
    expect(delta).not.toContain('log: a\n');
    expect(delta).toContain('log: last');
  });
});
