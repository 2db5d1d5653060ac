import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadyItem, Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg add/edit --delay` and `--not-before`, and how `wg ready`, `wg show` and `wg list` treat a task held back by
 * them, against upstream's tests/integration_scheduled_dispatch.rs, each case named in its `it`. Upstream's
 * library-level cases (ready_tasks, is_time_ready on a graph it saves) are read here through `wg ready --json`,
 * the same rule this app's ready list follows. A time given to --not-before is kept as the same instant in UTC
 * (`…Z`), where upstream keeps the string as typed.
 *
 * Not ported:
 * - upstream's structural loops and their --cycle-delay (docs/upstream.md "Not here": a cycle is refused, a
 *   repeating task is a --schedule/--cron): cycle_delay_sets_ready_after_on_reactivation,
 *   cycle_no_delay_no_ready_after, cli_add_cycle_delay_stores_in_config.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-sched-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const HOUR = 3_600_000;
/** An RFC 3339 time `ms` from now, written as chrono's to_rfc3339 writes it (`+00:00`). */
const at = (ms: number) => new Date(Date.now() + ms).toISOString().replace('Z', '+00:00');
const show = (id: string) => p.json<Task>(['show', id]);
const notBefore = async (id: string) => Date.parse((await show(id)).not_before ?? 'unset');
const readyIds = async () => (await p.json<ReadyItem[]>(['ready'])).filter((item) => item.ready).map((item) => item.id);
const ids = async () => (await p.json<Task[]>(['list'])).map((task) => task.id);

describe('scheduled dispatch (upstream integration_scheduled_dispatch.rs)', () => {
  it('add_delay_sets_not_before_in_future / add_delay_task_not_in_ready_until_elapsed', async () => {
    const before = Date.now();
    await p.ok(['add', 'Delayed task', '--id', 'd1', '--delay', '60s']);
    const after = Date.now();
    const nb = await notBefore('d1');
    expect(nb).toBeGreaterThanOrEqual(before + 58_000);
    expect(nb).toBeLessThanOrEqual(after + 62_000);
    expect(await readyIds()).not.toContain('d1');
    expect((await p.json<{ ready: boolean }>(['show', 'd1'])).ready).toBe(false);
  });

  it('add_not_before_future_timestamp / add_not_before_past_timestamp_immediately_ready', async () => {
    const future = at(2 * HOUR);
    const past = at(-HOUR);
    await p.ok(['add', 'Scheduled task', '--id', 's1', '--not-before', future]);
    await p.ok(['add', 'Past scheduled', '--id', 'p1', '--not-before', past, '--immediate']);
    expect(await notBefore('s1')).toBe(Date.parse(future));
    expect(await notBefore('p1')).toBe(Date.parse(past));
    expect(await readyIds()).toEqual(['p1']);
  });

  it('edit_delay_sets_not_before_on_existing_task', async () => {
    await p.importTasks([{ id: 'e1', title: 'Editable' }]);
    expect((await show('e1')).not_before).toBeNull();
    const before = Date.now();
    await p.ok(['edit', 'e1', '--delay', '120s']);
    const after = Date.now();
    const nb = await notBefore('e1');
    expect(nb).toBeGreaterThanOrEqual(before + 118_000);
    expect(nb).toBeLessThanOrEqual(after + 122_000);
    expect(await readyIds()).not.toContain('e1');
  });

  it('edit_not_before_overrides_existing / edit_not_before_with_past_makes_ready', async () => {
    await p.importTasks([
      { id: 'e2', title: 'Override me' },
      { id: 'e3', title: 'Make ready' },
    ]);
    await p.ok(['edit', 'e2', '--delay', '300s']);
    const original = await notBefore('e2');
    const later = at(5 * HOUR);
    await p.ok(['edit', 'e2', '--not-before', later]);
    expect(await notBefore('e2')).not.toBe(original);
    expect(await notBefore('e2')).toBe(Date.parse(later));

    await p.ok(['edit', 'e3', '--delay', '3600s']);
    expect(await readyIds()).not.toContain('e3');
    await p.ok(['edit', 'e3', '--not-before', at(-5 * 60_000)]);
    expect(await readyIds()).toContain('e3');
  });

  it('show_displays_not_before_with_countdown / show_displays_elapsed_for_past_not_before', async () => {
    const future = new Date(Date.now() + 2 * HOUR).toISOString();
    await p.ok(['add', 'Show test', '--id', 'st1', '--not-before', future]);
    await p.ok(['add', 'Past show test', '--id', 'st2', '--not-before', at(-HOUR)]);
    const upcoming = await p.ok(['show', 'st1']);
    expect(upcoming).toContain('Not before:');
    expect(upcoming).toContain(future.slice(0, 19));
    expect(upcoming).toContain('(in ');
    const elapsed = await p.ok(['show', 'st2']);
    expect(elapsed).toContain('Not before:');
    expect(elapsed).toContain('(elapsed)');
  });

  it('list_shows_delayed_indicator_for_future_not_before / list_no_delayed_indicator_for_past_not_before', async () => {
    await p.ok(['add', 'Delayed list test', '--id', 'lt1', '--not-before', at(3 * HOUR)]);
    await p.ok(['add', 'Past list test', '--id', 'lt2', '--not-before', at(-HOUR)]);
    const lines = (await p.ok(['list'])).split('\n');
    expect(lines.find((line) => line.startsWith('lt1 '))).toContain('[delayed');
    expect(lines.find((line) => line.startsWith('lt2 '))).not.toContain('[delayed');
  });

  it('add_delay_and_not_before_mutually_exclusive / edit_delay_and_not_before_mutually_exclusive', async () => {
    await p.importTasks([{ id: 'me1', title: 'Mutual exclusion' }]);
    const future = at(HOUR);
    const add = await p.wg(['add', 'Both flags', '--id', 'bad1', '--delay', '60s', '--not-before', future]);
    expect(add.exitCode).not.toBe(0);
    expect(add.stderr.trim()).toBe('wg: Cannot specify both --delay and --not-before: give one');
    const edit = await p.wg(['edit', 'me1', '--delay', '60s', '--not-before', future]);
    expect(edit.exitCode).not.toBe(0);
    expect(edit.stderr.trim()).toBe('wg: Cannot specify both --delay and --not-before: give one');
    expect(await ids()).toEqual(['me1']);
    expect((await show('me1')).not_before).toBeNull();
  });

  it('add_delay_invalid_format / add_not_before_invalid_timestamp', async () => {
    const delay = await p.wg(['add', 'Bad delay', '--id', 'bad2', '--delay', 'abc']);
    expect(delay.exitCode).not.toBe(0);
    expect(delay.stderr.trim()).toBe("wg: invalid delay 'abc': give a whole number with s, m, h or d (30s, 5m, 1h, 24h, 7d)");
    const time = await p.wg(['add', 'Bad timestamp', '--id', 'bad3', '--not-before', 'not-a-date']);
    expect(time.exitCode).not.toBe(0);
    expect(time.stderr.trim()).toBe("wg: invalid timestamp 'not-a-date': use ISO 8601, e.g. 2026-05-01T09:00:00Z");
    expect(await ids()).toEqual([]);
  });

  it('add_delay_various_units', async () => {
    await p.ok(['add', 'Seconds', '--id', 'u-s', '--delay', '30s']);
    expect(await notBefore('u-s')).toBeGreaterThan(Date.now());
    await p.ok(['add', 'Minutes', '--id', 'u-m', '--delay', '5m']);
    expect(await notBefore('u-m')).toBeGreaterThan(Date.now() + 290_000);
    await p.ok(['add', 'Hours', '--id', 'u-h', '--delay', '1h']);
    expect(await notBefore('u-h')).toBeGreaterThan(Date.now() + 3_590_000);
    await p.ok(['add', 'Days', '--id', 'u-d', '--delay', '1d']);
    expect(await notBefore('u-d')).toBeGreaterThan(Date.now() + 86_390_000);
  });

  it('ready_tasks_excludes_future_not_before / ready_tasks_includes_past_not_before', async () => {
    await p.importTasks([
      { id: 'future', title: 'Future', not_before: at(HOUR) },
      { id: 'past', title: 'Past', not_before: at(-HOUR) },
      { id: 'plain', title: 'No delay' },
    ]);
    expect((await readyIds()).sort()).toEqual(['past', 'plain']);
  });

  it('ready_tasks_not_before_interacts_with_dependencies / ready_tasks_both_not_before_and_ready_after', async () => {
    await p.importTasks([
      { id: 'dep', title: 'Dependency' },
      { id: 't1', title: 'Depends on dep', not_before: at(-HOUR), after: ['dep'] },
      { id: 't2', title: 'Both timestamps', not_before: at(-HOUR), ready_after: at(HOUR) },
    ]);
    expect(await readyIds()).toEqual(['dep']);
  });

  it('ready_command_excludes_delayed_task / ready_command_json_shows_not_ready', async () => {
    await p.ok(['add', 'Normal task', '--id', 'n1', '--immediate']);
    await p.ok(['add', 'Delayed task', '--id', 'd1', '--delay', '3600s', '--immediate']);
    const text = await p.ok(['ready']);
    expect(text).toContain('n1');
    expect(text.split('Waiting on delay')[0]).not.toContain('d1');
    const items = await p.json<ReadyItem[]>(['ready']);
    expect(items.find((item) => item.id === 'n1')?.ready).toBe(true);
    expect(items.find((item) => item.id === 'd1')?.ready).not.toBe(true);
  });

  it('show_json_includes_not_before / list_json_includes_not_before', async () => {
    const future = at(HOUR);
    await p.ok(['add', 'JSON show test', '--id', 'js1', '--not-before', future]);
    expect(Date.parse((await show('js1')).not_before ?? '')).toBe(Date.parse(future));
    const listed = (await p.json<Task[]>(['list'])).find((task) => task.id === 'js1');
    expect(Date.parse(listed?.not_before ?? '')).toBe(Date.parse(future));
  });
});
