import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveTasks, restoreArchived, searchArchive, type ArchiveOptions } from '../../src/core/cleanup/archive';
import { appendToArchive, loadBatch, readArchive, removeFromArchive, saveBatch } from '../../src/core/cleanup/archive-file';
import { parseCleanupAge } from '../../src/core/cleanup/age';
import { tempStore } from '../helpers/temp-store';

/**
 * `wg archive`, ported from upstream's archive command (its `mod tests`, named in each title). The
 * archive is upstream's archive.jsonl (one graph.jsonl line a task) in the workgraph folder; the
 * store's clock is 2026-03-01 noon.
 *
 * not ported:
 * - test_run_automatic, test_run_automatic_skips_system_tasks, test_run_automatic_disabled_with_zero_retention,
 *   test_run_automatic_skips_tasks_with_active_dependents: upstream's service archives by itself after
 *   `coordinator.archive_retention_days`; this app's coordinator has no automatic archive cycle (`wg archive` does it).
 */
const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

let t: Awaited<ReturnType<typeof tempStore>>;
afterEach(() => t?.dispose());

type Line = Record<string, unknown> & { id: string; status: string };

async function graph(lines: Line[]) {
  t = await tempStore(NOW);
  if (lines.length > 0) await t.store.importJsonl(lines.map((l) => JSON.stringify({ kind: 'task', title: l.id, ...l })).join('\n'));
  return t.store;
}

const line = (id: string, title: string, status: string, completed_at?: string, more: Record<string, unknown> = {}) => ({
  kind: 'task',
  id,
  title,
  status,
  ...(completed_at ? { completed_at } : {}),
  ...more,
});
const ids = async () => new Set((await t.store.list()).map((task) => task.id));
const archivedIds = () => readArchive(t.dir).map((e) => e.line.id);
const run = (options: Partial<ArchiveOptions>) =>
  archiveTasks(t.store, t.dir, { ids: [], dryRun: false, older: undefined, list: false, yes: false, undo: false, ...options });
/** Upstream's should_archive, read from a dry run of a one-task graph. */
const wouldArchive = async (task: Line, older?: string) => {
  await graph([task]);
  const result = await run({ dryRun: true, older });
  return result.kind === 'preview' && result.tasks.length === 1;
};

describe('wg archive: what is archivable', () => {
  it('test_parse_duration_days / test_parse_duration_weeks / test_parse_duration_hours / test_parse_duration_no_unit', () => {
    expect(parseCleanupAge('30d')).toBe(30 * DAY);
    expect(parseCleanupAge('2w')).toBe(14 * DAY);
    expect(parseCleanupAge('24h')).toBe(DAY);
    expect(parseCleanupAge('7')).toBe(7 * DAY);
  });

  it('test_should_archive_done_task', async () => expect(await wouldArchive({ id: 't1', status: 'done' })).toBe(true));
  it('test_should_not_archive_open_task', async () => expect(await wouldArchive({ id: 't1', status: 'open' })).toBe(false));
  it('test_should_archive_old_task', async () =>
    expect(await wouldArchive({ id: 't1', status: 'done', completed_at: ago(40) }, '30d')).toBe(true));
  it('test_should_not_archive_recent_task', async () =>
    expect(await wouldArchive({ id: 't1', status: 'done', completed_at: ago(10) }, '30d')).toBe(false));
  it('test_should_archive_abandoned_task', async () => expect(await wouldArchive({ id: 't1', status: 'abandoned' })).toBe(true));
  it('test_should_archive_abandoned_with_older', async () =>
    expect(await wouldArchive({ id: 't1', status: 'abandoned', created_at: ago(40) }, '30d')).toBe(true));
  it('test_should_not_archive_recent_abandoned', async () =>
    expect(await wouldArchive({ id: 't1', status: 'abandoned', created_at: ago(5) }, '30d')).toBe(false));

  it('test_has_active_dependents_blocks_archive', async () => {
    await graph([
      { id: 't1', status: 'done', completed_at: '2024-01-01T00:00:00Z' },
      { id: 't2', status: 'open', after: ['t1'] },
    ]);
    expect(await run({ dryRun: true })).toMatchObject({ kind: 'preview', tasks: [] });
    await expect(() => run({ ids: ['t1'] })).rejects.toThrow("Task 't1' has active downstream dependents — cannot archive.");
  });

  it('test_has_active_dependents_blocks_archive: upstream’s before list counts too', async () => {
    await graph([
      { id: 't1', status: 'done', before: ['t2'] },
      { id: 't2', status: 'open' },
    ]);
    expect(await run({ dryRun: true })).toMatchObject({ kind: 'preview', tasks: [] });
  });

  it('test_no_active_dependents_allows_archive', async () => {
    await graph([
      { id: 't1', status: 'done', completed_at: '2024-01-01T00:00:00Z', before: ['t2'] },
      { id: 't2', status: 'done', completed_at: '2024-01-02T00:00:00Z', after: ['t1'] },
    ]);
    const result = await run({ dryRun: true });
    expect(result.kind === 'preview' && result.tasks.map((x) => x.id)).toEqual(['t1', 't2']);
  });
});

describe('wg archive: the archive file', () => {
  it('test_archive_roundtrip', async () => {
    await graph([]);
    appendToArchive(t.dir, [line('t1', 'Task 1', 'done', '2024-01-01T00:00:00Z'), line('t2', 'Task 2', 'done', '2024-01-02T00:00:00Z')]);
    expect(archivedIds()).toEqual(['t1', 't2']);
  });

  it('test_remove_from_archive', async () => {
    await graph([]);
    appendToArchive(t.dir, [line('t1', 'T1', 'done'), line('t2', 'T2', 'done'), line('t3', 'T3', 'done')]);
    removeFromArchive(t.dir, new Set(['t2']));
    expect(archivedIds()).toEqual(['t1', 't3']);
  });

  it('test_archive_batch_metadata_roundtrip', async () => {
    await graph([]);
    saveBatch(t.dir, ['t1', 't2', 't3'], NOW.toISOString());
    expect(loadBatch(t.dir)).toEqual(['t1', 't2', 't3']);
    // Upstream's file: pretty JSON with the time and the ids.
    expect(JSON.parse(readFileSync(join(t.dir, 'archive-last-batch.json'), 'utf8'))).toEqual({
      timestamp: NOW.toISOString(),
      task_ids: ['t1', 't2', 't3'],
    });
  });

  it('reads whole lines only: a last line still being appended is not an error', async () => {
    await graph([]);
    appendToArchive(t.dir, [line('t1', 'T1', 'done')]);
    writeFileSync(join(t.dir, 'archive.jsonl'), `${readFileSync(join(t.dir, 'archive.jsonl'), 'utf8')}{"kind":"task","id":"t2","ti`);
    expect(archivedIds()).toEqual(['t1']);
  });
});

describe('wg archive: archiving', () => {
  it('test_run_dry_run', async () => {
    await graph([
      { id: 't1', status: 'done', completed_at: '2024-01-01T00:00:00Z' },
      { id: 't2', status: 'open' },
    ]);
    await run({ dryRun: true });
    expect((await ids()).size).toBe(2);
    expect(existsSync(join(t.dir, 'archive.jsonl'))).toBe(false);
  });

  it('test_run_archive (with --yes)', async () => {
    await graph([
      { id: 't1', title: 'Done Task', status: 'done', completed_at: '2024-01-01T00:00:00Z' },
      { id: 't2', status: 'open' },
    ]);
    expect(await run({ yes: true })).toMatchObject({ kind: 'archived', tasks: [{ id: 't1', title: 'Done Task' }] });
    expect(await ids()).toEqual(new Set(['t2']));
    expect(archivedIds()).toEqual(['t1']);
  });

  it('a bulk archive without --yes lists what it would do, changes nothing, and is refused', async () => {
    await graph([{ id: 't1', status: 'done' }]);
    expect(await run({})).toMatchObject({ kind: 'preview', ok: false, tasks: [{ id: 't1' }] });
    expect(await ids()).toEqual(new Set(['t1']));
    expect(existsSync(join(t.dir, 'archive.jsonl'))).toBe(false);
  });

  it('test_archive_yes_flag', async () => {
    await graph([{ id: 't1', status: 'done', completed_at: '2024-01-01T00:00:00Z' }]);
    await run({ yes: true });
    expect((await ids()).has('t1')).toBe(false);
  });

  it('test_archive_specific_ids', async () => {
    await graph([
      { id: 't1', status: 'done', completed_at: '2024-01-01T00:00:00Z' },
      { id: 't2', status: 'done', completed_at: '2024-01-02T00:00:00Z' },
      { id: 't3', status: 'done', completed_at: '2024-01-03T00:00:00Z' },
      { id: 't4', status: 'open' },
    ]);
    await run({ ids: ['t1', 't3'] });
    expect(await ids()).toEqual(new Set(['t2', 't4']));
    expect(archivedIds()).toEqual(['t1', 't3']);
  });

  it('test_archive_specific_ids_rejects_non_done', async () => {
    await graph([{ id: 't1', status: 'open' }]);
    await expect(() => run({ ids: ['t1'] })).rejects.toThrow(
      "Task 't1' has status 'open' — only done/abandoned tasks can be archived. Use `wg done t1` first.",
    );
  });

  it('test_archive_specific_ids_rejects_missing (nothing archived of the others either)', async () => {
    await graph([{ id: 't1', status: 'done' }]);
    await expect(() => run({ ids: ['t1', 'nonexistent'] })).rejects.toThrow("task 'nonexistent' not found");
    expect(await ids()).toEqual(new Set(['t1']));
    expect(existsSync(join(t.dir, 'archive.jsonl'))).toBe(false);
  });

  it('test_run_list and test_run_list_json: what the archive holds', async () => {
    await graph([]);
    appendToArchive(t.dir, [
      line('t1', 'First Archived', 'done', '2024-01-01T00:00:00Z'),
      line('t2', 'Second Archived', 'done', '2024-02-15T12:00:00Z'),
    ]);
    expect(await run({ list: true })).toEqual({
      kind: 'list',
      tasks: [
        { id: 't1', title: 'First Archived', completed_at: '2024-01-01T00:00:00Z', tags: [], status: 'done', description: null },
        { id: 't2', title: 'Second Archived', completed_at: '2024-02-15T12:00:00Z', tags: [], status: 'done', description: null },
      ],
    });
  });

  it('keeps the whole task in the archive: its log, tags and upstream’s fields come back on restore', async () => {
    await graph([{ id: 't1', status: 'done', tags: ['db'], skills: ['sql'], log: [{ timestamp: ago(1), message: 'did it' }] }]);
    await run({ yes: true });
    await restoreArchived(t.store, t.dir, 't1', false);
    const task = await t.store.get('t1');
    expect(task.tags).toEqual(['db']);
    expect(task.extra.skills).toEqual(['sql']);
    expect(task.log.map((e) => e.message)).toContain('did it');
  });
});

describe('wg archive search', () => {
  const archived = async () => {
    await graph([]);
    appendToArchive(t.dir, [
      line('t1', 'Implement login feature', 'done', '2024-01-01T00:00:00Z'),
      line('t2', 'Fix database bug', 'done', '2024-01-02T00:00:00Z', { description: 'Contains database logic', tags: ['backend'] }),
      line('t3', 'Login page styling', 'done', '2024-01-03T00:00:00Z', {
        description: 'Contains authentication logic',
        tags: ['frontend', 'urgent'],
      }),
      line('t4', 'IMPORTANT Feature', 'done'),
    ]);
  };
  const found = (query: string, limit = 20) => searchArchive(t.dir, query, limit).map((x) => x.id);

  it('test_search_by_title', async () => {
    await archived();
    expect(found('login')).toEqual(['t1', 't3']);
  });
  it('test_search_by_description', async () => {
    await archived();
    expect(found('authentication')).toEqual(['t3']);
  });
  it('test_search_by_tags', async () => {
    await archived();
    expect(found('frontend')).toEqual(['t3']);
  });
  it('test_search_case_insensitive', async () => {
    await archived();
    expect(found('important')).toEqual(['t4']);
  });
  it('test_search_with_limit', async () => {
    await archived();
    expect(found('t', 1)).toHaveLength(1);
  });
  it('test_search_json_output: upstream’s fields', async () => {
    await archived();
    expect(searchArchive(t.dir, 'database', 20)[0]).toMatchObject({
      id: 't2',
      title: 'Fix database bug',
      completed_at: '2024-01-02T00:00:00Z',
      tags: ['backend'],
    });
  });
  it('test_search_no_matches', async () => {
    await archived();
    expect(found('nonexistent')).toEqual([]);
  });
});

describe('wg archive restore and --undo', () => {
  it('test_restore_as_done', async () => {
    await graph([]);
    appendToArchive(t.dir, [
      line('t1', 'Archived Task', 'done', '2024-01-01T00:00:00Z'),
      line('t2', 'Other Archived', 'done', '2024-01-02T00:00:00Z'),
    ]);
    expect(await restoreArchived(t.store, t.dir, 't1', false)).toEqual({ id: 't1', title: 'Archived Task', status: 'done' });
    expect((await t.store.get('t1')).status).toBe('done');
    expect(archivedIds()).toEqual(['t2']);
  });

  it('test_restore_with_reopen', async () => {
    await graph([]);
    appendToArchive(t.dir, [line('t1', 'Archived Task', 'done', '2024-01-01T00:00:00Z', { assigned: 'agent-3' })]);
    await restoreArchived(t.store, t.dir, 't1', true);
    const task = await t.store.get('t1');
    expect([task.status, task.completed_at, task.assigned]).toEqual(['open', null, null]);
    expect(archivedIds()).toEqual([]);
  });

  it('test_restore_nonexistent_task', async () => {
    await graph([]);
    appendToArchive(t.dir, [line('t1', 'Archived Task', 'done')]);
    await expect(() => restoreArchived(t.store, t.dir, 'nonexistent', false)).rejects.toThrow("Task 'nonexistent' not found in archive");
  });

  it('test_restore_duplicate_in_graph (the archive is left as it was)', async () => {
    await graph([{ id: 't1', status: 'open', title: 'Active Task' }]);
    appendToArchive(t.dir, [line('t1', 'Archived Task', 'done', '2024-01-01T00:00:00Z')]);
    await expect(() => restoreArchived(t.store, t.dir, 't1', false)).rejects.toThrow("Task 't1' already exists in the active graph");
    expect((await t.store.get('t1')).title).toBe('Active Task');
    expect(archivedIds()).toEqual(['t1']);
  });

  it('test_archive_undo', async () => {
    await graph([
      { id: 't1', status: 'done', completed_at: '2024-01-01T00:00:00Z' },
      { id: 't2', status: 'done', completed_at: '2024-01-02T00:00:00Z' },
      { id: 't3', status: 'open' },
    ]);
    await run({ yes: true });
    expect(await ids()).toEqual(new Set(['t3']));
    expect(await run({ undo: true })).toEqual({ kind: 'undone', restored: ['t1', 't2'], skipped: [] });
    expect(await ids()).toEqual(new Set(['t1', 't2', 't3']));
    expect(archivedIds()).toEqual([]);
    expect(existsSync(join(t.dir, 'archive-last-batch.json'))).toBe(false);
  });

  it("test_archive_undo, of a batch upstream's wg archived: the dependencies on its tasks come back from their `before`", async () => {
    // Upstream's archive keeps its line (with the task's dependents as `before`) and takes t1 out of t2's `after`.
    await graph([{ id: 't2', status: 'failed' }]);
    appendToArchive(t.dir, [line('t1', 'Upstream archived', 'done', '2024-01-01T00:00:00Z', { before: ['t2'] })]);
    saveBatch(t.dir, ['t1'], NOW.toISOString());
    expect(await run({ undo: true })).toEqual({ kind: 'undone', restored: ['t1'], skipped: [] });
    expect((await t.store.get('t2')).after).toEqual(['t1']);
  });

  it('test_archive_undo_no_batch', async () => {
    await graph([]);
    await expect(() => run({ undo: true })).rejects.toThrow('No archive batch to undo. No previous archive operation found.');
  });
});
