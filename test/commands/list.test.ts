import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listMarkers } from '../../src/cli/task-markers';
import type { TaskSummary } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg list` against upstream's own cases (graphwork/workgraph src/commands/list.rs `mod tests`), each named
 * in its `it`. Run in process through the real command table.
 */

const NOW = Date.parse('2026-03-01T12:00:00Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();
const marks = (fields: Partial<Pick<TaskSummary, 'not_before' | 'schedule' | 'extra'>>) =>
  listMarkers({ not_before: null, schedule: null, extra: {}, ...fields }, NOW);

describe("wg list's hints (upstream list.rs format_ready_after_hint, format_not_before_hint)", () => {
  it('test_hint_none_ready_after / test_hint_past_timestamp_returns_empty / test_hint_invalid_timestamp_returns_empty', () => {
    expect(marks({})).toBe('');
    expect(marks({ extra: { ready_after: at(-3600) } })).toBe('');
    expect(marks({ extra: { ready_after: 'not-a-timestamp' } })).toBe('');
  });

  it('test_hint_future_seconds / test_hint_future_minutes / test_hint_future_hours / test_hint_future_days', () => {
    expect(marks({ extra: { ready_after: at(30) } })).toBe(' [ready in 30s]');
    expect(marks({ extra: { ready_after: at(5 * 60 + 10) } })).toBe(' [ready in 5m 10s]');
    expect(marks({ extra: { ready_after: at(2 * 3600 + 15 * 60) } })).toBe(' [ready in 2h 15m]');
    expect(marks({ extra: { ready_after: at(3 * 86_400 + 6 * 3600) } })).toBe(' [ready in 3d 6h]');
  });

  it("a future not_before is [delayed …], a repeating schedule [cron: …]; in upstream's order", () => {
    expect(marks({ not_before: at(330), schedule: '0 9 * * *', extra: { ready_after: at(30) } })).toBe(
      ' [delayed 5m 30s] [ready in 30s] [cron: 0 9 * * *]',
    );
    expect(marks({ schedule: '09:30' })).toBe(' [cron: 30 9 * * *]');
    expect(marks({ not_before: at(-5), schedule: '2026-12-01T09:00' })).toBe('');
  });
});

describe('wg list (upstream list.rs)', () => {
  let p: InProcessProject;
  beforeEach(async () => {
    p = new InProcessProject('wg-list-');
    await p.ok(['init']);
  });
  afterEach(() => p.remove());
  const ids = async (args: string[]) => (await p.json<TaskSummary[]>(['list', ...args])).map((t) => t.id);

  it('test_run_uninitialized / test_run_no_tasks', async () => {
    const bare = new InProcessProject('wg-list-bare-');
    try {
      expect((await bare.wg(['list'])).stderr).toContain("run 'wg init'");
    } finally {
      bare.remove();
    }
    expect(await p.ok(['list'])).toBe('No tasks found');
  });

  it('test_run_status_filter_open / test_run_status_filter_done / test_run_status_filter_in_progress / test_run_status_filter_blocked / test_run_status_filter_failed / test_run_status_filter_abandoned / test_status_filter_logic / test_status_filter_logic_failed_and_abandoned', async () => {
    await p.importTasks(
      ['open', 'done', 'in-progress', 'blocked', 'failed', 'abandoned', 'incomplete'].map((status) => ({ id: `t-${status}`, status })),
    );
    for (const status of ['open', 'done', 'in-progress', 'blocked', 'failed', 'abandoned', 'incomplete'])
      expect(await ids(['--status', status])).toEqual([`t-${status}`]);
    expect(await ids([])).toHaveLength(7);
  });

  it('test_run_unknown_status_filter / test_unknown_status_error_lists_valid_values', async () => {
    const result = await p.wg(['list', '--status', 'bogus']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('bogus');
    for (const status of ['failed', 'abandoned']) expect(result.stderr).toContain(status);
  });

  it('test_run_task_with_ready_after_display', async () => {
    await p.importTasks([{ id: 't1', title: 'Delayed task', ready_after: new Date(Date.now() + 3_600_000).toISOString() }]);
    expect(await p.ok(['list'])).toMatch(/Delayed task \[ready in (59m \d+s|1h 0m)\]/);
  });

  it('test_run_json_output / test_json_output_structure / test_json_output_no_ready_after_when_absent', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await p.importTasks([
      { id: 't1', title: 'JSON task', tags: ['x'], ready_after: later },
      { id: 't2', title: 'Plain' },
    ]);
    const [first, second] = await p.json<Array<Record<string, unknown>>>(['list']);
    expect(first).toMatchObject({
      id: 't1',
      title: 'JSON task',
      status: 'open',
      assigned: null,
      after: [],
      tags: ['x'],
      ready_after: later,
    });
    expect(second?.ready_after).toBeUndefined();
  });

  it('test_run_json_with_status_filter', async () => {
    await p.importTasks([
      { id: 't1', status: 'open' },
      { id: 't2', status: 'done' },
    ]);
    expect(await ids(['--status', 'done'])).toEqual(['t2']);
  });

  it('test_paused_filter: --paused, alone and with --status', async () => {
    await p.importTasks([{ id: 't-paused', paused: true }, { id: 't-paused-ip', paused: true, status: 'in-progress' }, { id: 't-normal' }]);
    expect(await ids(['--paused'])).toEqual(['t-paused', 't-paused-ip']);
    expect(await ids(['--paused', '--status', 'open'])).toEqual(['t-paused']);
  });

  it('test_tag_filter_single_tag / test_tag_filter_and_semantics / test_tag_filter_no_match / test_tag_filter_combined_with_status / test_tag_filter_empty_tags_shows_all', async () => {
    await p.importTasks([
      { id: 't1', tags: ['foo'] },
      { id: 't2' },
      { id: 't3', tags: ['foo', 'bar'] },
      { id: 't4', tags: ['foo'], status: 'done' },
    ]);
    expect(await ids(['--tag', 'foo'])).toEqual(['t1', 't3', 't4']);
    expect(await ids(['--tag', 'foo', '--tag', 'bar'])).toEqual(['t3']);
    expect(await ids(['--tag', 'nope'])).toEqual([]);
    expect(await ids(['--tag', 'foo', '--status', 'done'])).toEqual(['t4']);
    expect(await ids([])).toHaveLength(4);
  });

  it("--priority, upstream's filter by level or number", async () => {
    await p.importTasks([{ id: 'crit', priority: 'critical' }, { id: 'norm' }, { id: 'n42', priority: 42 }]);
    expect(await ids(['--priority', 'critical'])).toEqual(['crit']);
    expect(await ids(['--priority', '42'])).toEqual(['n42']);
    expect((await p.wg(['list', '--priority', 'urgent'])).exitCode).not.toBe(0);
  });

  it('test_dot_prefix_hidden_by_default / test_dot_prefix_shown_with_all / test_dot_prefix_hidden_with_status_filter', async () => {
    await p.importTasks([{ id: 'visible' }, { id: '.hidden-system' }]);
    expect(await ids([])).toEqual(['visible']);
    expect(await ids(['--all'])).toEqual(['visible', '.hidden-system']);
    expect(await ids(['--status', 'open'])).toEqual(['visible']);
  });

  it('test_list_verify_failures_indicator / test_list_json_includes_verify_failures / test_list_json_no_verify_failures_when_zero', async () => {
    await p.importTasks([
      { id: 't1', title: 'Verify failing', status: 'in-progress', verify: 'cargo test', verify_failures: 2 },
      { id: 't2', title: 'Normal task' },
    ]);
    const lines = (await p.ok(['list'])).split('\n');
    expect(lines.find((line) => line.startsWith('t1'))).toMatch(/Verify failing \[V!2\]$/);
    expect(lines.find((line) => line.startsWith('t2'))).not.toContain('[V!');
    const [failing, normal] = await p.json<Array<Record<string, unknown>>>(['list']);
    expect(failing?.verify_failures).toBe(2);
    expect(normal).not.toHaveProperty('verify_failures');
  });
});
