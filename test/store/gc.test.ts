import { sqlText } from '../helpers/sql-text';
import { afterEach, describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/core/cleanup/gc';
import { terminalTimestamp } from '../../src/core/cleanup/gc-plan';
import { parseCleanupAge } from '../../src/core/cleanup/age';
import { tempStore } from '../helpers/temp-store';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gcText } from '../../src/cli/cleanup-format';
import { makeAgent } from '../fixtures/objects';

/**
 * `wg gc`, ported from upstream's gc command (its `mod tests`, named in each title): which terminal
 * tasks go, on a graph given as upstream lines. The clock is the store's (2026-03-01 noon).
 */
const NOW = new Date('2026-03-01T12:00:00Z');
let t: Awaited<ReturnType<typeof tempStore>>;
afterEach(() => t?.dispose());

type Line = { id: string; status: string; after?: string[]; completed_at?: string; log?: Array<{ timestamp: string; message: string }> };

async function graph(lines: Line[]) {
  t = await tempStore(NOW);
  await t.store.importJsonl(
    lines.map((l) => JSON.stringify({ kind: 'task', title: l.id, created_at: NOW.toISOString(), ...l })).join('\n'),
  );
  return t.store;
}

const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ids = async () => new Set((await t.store.list()).map((task) => task.id));
const gc = (options: { dryRun?: boolean; includeDone?: boolean; older?: string } = {}) =>
  collectGarbage(t.store, join(t.dir, 'runs'), {
    dryRun: options.dryRun ?? false,
    includeDone: options.includeDone ?? false,
    older: options.older,
  });

describe('wg gc: which terminal tasks go', () => {
  it('gc_removes_abandoned_task_no_open_dependents', async () => {
    await graph([
      { id: 'task-a', status: 'abandoned' },
      { id: 'task-b', status: 'open' },
    ]);
    await gc();
    expect(await ids()).toEqual(new Set(['task-b']));
  });

  it('gc_removes_failed_task_no_open_dependents', async () => {
    await graph([
      { id: 'task-a', status: 'failed' },
      { id: 'task-b', status: 'open' },
    ]);
    await gc();
    expect(await ids()).toEqual(new Set(['task-b']));
  });

  it('gc_does_not_remove_task_blocking_open_task', async () => {
    await graph([
      { id: 'task-a', status: 'abandoned' },
      { id: 'task-b', status: 'open', after: ['task-a'] },
    ]);
    await gc();
    expect(await ids()).toEqual(new Set(['task-a', 'task-b']));
  });

  it('gc_dry_run_shows_but_does_not_remove', async () => {
    await graph([
      { id: 'task-a', status: 'abandoned' },
      { id: 'task-b', status: 'open' },
    ]);
    const result = await gc({ dryRun: true });
    expect(result).toEqual({
      kind: 'tasks',
      dry_run: true,
      removed: [{ id: 'task-a', title: 'task-a', status: 'abandoned' }],
      run_folders: 0,
      run_bytes: 0,
    });
    expect(await ids()).toEqual(new Set(['task-a', 'task-b']));
  });

  it('gc_removes_associated_internal_tasks', async () => {
    await graph([
      { id: 'my-task', status: 'abandoned' },
      { id: 'assign-my-task', status: 'done' },
      { id: 'evaluate-my-task', status: 'done' },
      { id: 'task-b', status: 'open' },
    ]);
    await gc();
    expect(await ids()).toEqual(new Set(['task-b']));
  });

  it('gc_does_not_remove_done_by_default', async () => {
    await graph([
      { id: 'task-a', status: 'done' },
      { id: 'task-b', status: 'abandoned' },
    ]);
    await gc();
    expect(await ids()).toEqual(new Set(['task-a']));
  });

  it('gc_removes_done_with_include_done_flag', async () => {
    await graph([
      { id: 'task-a', status: 'done' },
      { id: 'task-b', status: 'abandoned' },
    ]);
    await gc({ includeDone: true });
    expect(await ids()).toEqual(new Set());
  });

  it('gc_removes_orphaned_internal_tasks', async () => {
    await graph([
      { id: 'assign-old-task', status: 'done' },
      { id: 'evaluate-old-task', status: 'abandoned' },
      { id: 'task-b', status: 'open' },
    ]);
    await gc();
    expect(await ids()).toEqual(new Set(['task-b']));
  });

  it('gc_does_not_remove_task_blocking_in_progress', async () => {
    await graph([
      { id: 'task-a', status: 'failed' },
      { id: 'task-b', status: 'in-progress', after: ['task-a'] },
    ]);
    await gc();
    expect((await ids()).has('task-a')).toBe(true);
  });

  it('gc_empty_graph: nothing to collect, and no change', async () => {
    await graph([]);
    const rev = await t.store.core.currentRev();
    expect(await gc()).toEqual({ kind: 'tasks', dry_run: false, removed: [], run_folders: 0, run_bytes: 0 });
    expect(await t.store.core.currentRev()).toBe(rev);
  });
});

describe('wg gc --older', () => {
  it('gc_older_skips_recent_failed_tasks', async () => {
    await graph([
      { id: 'task-a', status: 'failed', completed_at: ago(2 * HOUR) },
      { id: 'task-b', status: 'open' },
    ]);
    await gc({ older: '7d' });
    expect((await ids()).has('task-a')).toBe(true);
  });

  it('gc_older_removes_old_failed_tasks', async () => {
    await graph([
      { id: 'task-a', status: 'failed', completed_at: ago(10 * DAY) },
      { id: 'task-b', status: 'open' },
    ]);
    await gc({ older: '7d' });
    expect((await ids()).has('task-a')).toBe(false);
  });

  it('gc_older_with_include_done_removes_old_done_tasks', async () => {
    await graph([
      { id: 'task-old', status: 'done', completed_at: ago(40 * DAY) },
      { id: 'task-recent', status: 'done', completed_at: ago(5 * DAY) },
    ]);
    await gc({ includeDone: true, older: '30d' });
    expect(await ids()).toEqual(new Set(['task-recent']));
  });

  it('gc_older_skips_tasks_without_timestamps (created now: not old)', async () => {
    await graph([
      { id: 'task-a', status: 'failed' },
      { id: 'task-b', status: 'open' },
    ]);
    await gc({ older: '7d' });
    expect((await ids()).has('task-a')).toBe(true);
  });

  it('gc_older_uses_log_timestamp_for_failed', async () => {
    await graph([{ id: 'task-a', status: 'failed', log: [{ timestamp: ago(10 * DAY), message: 'Task marked as failed' }] }]);
    // This app's import keeps the creation time given; the last log entry is what ended it.
    expect(terminalTimestamp(await t.store.get('task-a'))).toBe(ago(10 * DAY));
    await gc({ older: '7d' });
    expect((await ids()).has('task-a')).toBe(false);
  });

  it('gc_older_log_timestamp_skips_recent_failed', async () => {
    await graph([{ id: 'task-a', status: 'failed', log: [{ timestamp: ago(2 * HOUR), message: 'Task marked as failed' }] }]);
    await gc({ older: '7d' });
    expect((await ids()).has('task-a')).toBe(true);
  });

  it('refuses an --older it cannot read, in upstream words, and changes nothing', async () => {
    await graph([{ id: 'task-a', status: 'failed' }]);
    await expect(() => gc({ older: 'soon' })).rejects.toThrow("Invalid number in duration: 'soon'");
    // Upstream's parse takes a sign and then collects every failed and abandoned task however recent; refused here.
    await expect(() => gc({ older: '-1d' })).rejects.toThrow(
      "--older takes an age, not '-1d': a whole number of hours, days or weeks (24h, 30d, 2w)",
    );
    await expect(() => gc({ older: '' })).rejects.toThrow('Empty duration string');
    expect((await ids()).has('task-a')).toBe(true);
    expect(parseCleanupAge('36h')).toBe(36 * HOUR);
  });
});

describe('wg gc: loops go whole or not at all (SCC-aware)', () => {
  it('gc_removes_completed_scc_as_unit', async () => {
    await graph([
      { id: 'cycle-a', status: 'done', after: ['cycle-b'], completed_at: ago(10 * DAY) },
      { id: 'cycle-b', status: 'done', after: ['cycle-a'], completed_at: ago(10 * DAY) },
      { id: 'unrelated', status: 'open' },
    ]);
    await gc({ includeDone: true });
    expect(await ids()).toEqual(new Set(['unrelated']));
  });

  it('gc_does_not_remove_scc_with_non_terminal_member', async () => {
    await graph([
      { id: 'cycle-a', status: 'done', after: ['cycle-b'] },
      { id: 'cycle-b', status: 'open', after: ['cycle-a'] },
    ]);
    await gc({ includeDone: true });
    expect(await ids()).toEqual(new Set(['cycle-a', 'cycle-b']));
  });

  it('gc_does_not_remove_scc_with_external_dependent', async () => {
    await graph([
      { id: 'cycle-a', status: 'done', after: ['cycle-b'] },
      { id: 'cycle-b', status: 'done', after: ['cycle-a'] },
      { id: 'external', status: 'open', after: ['cycle-a'] },
    ]);
    await gc({ includeDone: true });
    expect(await ids()).toEqual(new Set(['cycle-a', 'cycle-b', 'external']));
  });

  it('gc_scc_respects_older_filter', async () => {
    await graph([
      { id: 'cycle-a', status: 'done', after: ['cycle-b'], completed_at: ago(2 * DAY) },
      { id: 'cycle-b', status: 'done', after: ['cycle-a'], completed_at: ago(2 * DAY) },
    ]);
    await gc({ includeDone: true, older: '7d' });
    expect(await ids()).toEqual(new Set(['cycle-a', 'cycle-b']));
  });
});

describe('what a removal leaves (upstream remove_node)', () => {
  it('a finished task after a removed one no longer names it, nor does another’s before or requires list', async () => {
    await graph([
      { id: 'gone', status: 'abandoned' },
      { id: 'after-gone', status: 'done', after: ['gone'] },
    ]);
    await t.store.importJsonl(
      JSON.stringify({ kind: 'task', id: 'lister', title: 'l', status: 'open', before: ['gone', 'kept'], requires: ['gone'] }),
    );
    await gc();
    expect((await t.store.get('after-gone')).after).toEqual([]);
    expect((await t.store.get('lister')).extra).toMatchObject({ before: ['kept'] });
    expect((await t.store.get('lister')).extra.requires).toBeUndefined();
    // The window asked for changes since before gets everything, so it drops what is gone.
    const before = (await t.store.core.currentRev()) - 1;
    expect((await t.store.snapshot(before)).full).toBe(true);
  });

  it('removes the folders of its ended runs, saying what that freed, and keeps their records (what they cost stays counted)', async () => {
    await graph([
      { id: 'gone', status: 'failed' },
      { id: 'kept', status: 'open' },
    ]);
    const runs = join(t.dir, 'runs');
    const run = async (id: string, task: string, state: 'failed' | 'working' | 'done') => {
      await t.store.core.write(() => t.store.agents.insert(makeAgent({ id, task_id: task, state }), null));
      mkdirSync(join(runs, id), { recursive: true });
      writeFileSync(join(runs, id, 'stdout'), 'x'.repeat(10_000));
    };
    await run('agent-1', 'gone', 'failed');
    // Still watched by its coordinator (a kill under way): its folder stays until it ends.
    await run('agent-2', 'gone', 'working');
    await run('agent-3', 'kept', 'done');
    const dry = await gc({ dryRun: true });
    expect(dry).toMatchObject({ run_folders: 1 });
    expect(existsSync(join(runs, 'agent-1'))).toBe(true);
    const result = await gc();
    expect(result).toMatchObject({ run_folders: 1, run_bytes: dry.run_bytes });
    // A 10,000-byte file takes at least that much disk (blocks), the folder a block more.
    expect(result.run_bytes).toBeGreaterThanOrEqual(10_000);
    expect(gcText(result).split('\n').at(-1)).toBe(`and removed the output of their 1 run (${Math.ceil(result.run_bytes / 1024)} KB)`);
    expect(gcText(dry).split('\n').at(-1)).toMatch(/^and would also remove the output of their 1 run \(\d+ KB\)$/);
    expect(existsSync(join(runs, 'agent-1'))).toBe(false);
    expect(existsSync(join(runs, 'agent-2'))).toBe(true);
    expect(existsSync(join(runs, 'agent-3'))).toBe(true);
    expect(await t.store.agents.find('agent-1')).toMatchObject({ task_id: 'gone', state: 'failed' });
  });

  it('removes the task’s log and messages with it, and keeps its runs (what they cost stays counted)', async () => {
    await graph([{ id: 'gone', status: 'failed' }]);
    await t.store.messages.send({ taskId: 'gone', sender: 'user', body: 'hi', priority: 'normal', agentId: null });
    await gc();
    expect(await sqlText(t.store.core, "SELECT count(*) AS n FROM task_log WHERE task_id = 'gone'").get()).toEqual({ n: 0 });
    expect(await sqlText(t.store.core, "SELECT count(*) AS n FROM messages WHERE task_id = 'gone'").get()).toEqual({ n: 0 });
  });
});
