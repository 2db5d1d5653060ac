import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunSnapshot } from '../../../src/shared/history';
import { openProjectStore } from '../../../src/core/opening/open-store';
import { initProject } from '../../../src/core/opening/init-project';
import { projectPaths, type ProjectPaths } from '../../../src/core/project';
import type { Store } from '../../../src/core/store/store';
import { GraphSync } from '../../../src/core/upstream-sync/graph-sync';
import { upstreamFolder } from '../../helpers/upstream-folder';
import { removeTasks } from '../../../src/core/store/task-removal';
import { traceTask } from '../../../src/core/history/trace';
import {
  diffSnapshot,
  listSnapshots,
  loadSnapshot,
  nextSnapshotId,
  restoreSnapshot,
  snapshotIds,
  snapshotsDir,
  takeSnapshot,
} from '../../../src/core/history/snapshots';

/**
 * `wg runs`: upstream's run snapshots (`runs/run-NNN/` with graph.jsonl, config.toml and meta.json),
 * ported from upstream's runs module and runs command (`mod tests`) and
 * tests/integration_runs_exhaustive.rs, each named in its title. Upstream takes its snapshots with
 * `wg replay` (not here); these tests take them as it does (the graph and config as they are, and
 * the metadata), then list, show, diff and restore them, in a folder upstream also uses (graph.jsonl,
 * which the restore writes as upstream's does) and in one of this app's own (graph.db only).
 * The upstream folder's cases are a process test (its lock is flock(1)'s: snapshots.process.test.ts), the own
 * folder's run in-process (snapshots.test.ts).
 *
 * Not ported: upstream's replay.rs cases (test_replay_failed_only, test_replay_specific_tasks_with_dependents,
 * test_replay_plan_only, test_replay_subgraph, test_reset_task_clears_fields, test_replay_no_matching_tasks,
 * test_replay_all_terminal): `wg replay` is not here (docs/upstream.md, "Not here"); a task and what follows it
 * are reopened with `wg reset`, a failed one with `wg retry`.
 */
export function snapshotCases(folders: ReadonlyArray<'upstream' | 'own'>): void {
  let root: string;
  let paths: ProjectPaths;
  let store: Store;
  const NOW = new Date('2026-03-01T12:00:00Z');
  afterEach(async () => {
    await store?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  type Line = Record<string, unknown> & { id: string };

  /** An upstream folder (graph.jsonl in .wg/) holding these tasks. */
  async function upstreamProject(lines: Line[]): Promise<void> {
    ({ root, paths } = upstreamFolder('wg-runs-', lines));
    store = (await openProjectStore(paths)).store;
  }

  /** One of this app's own projects (no graph.jsonl). */
  async function ownProject(lines: Line[]): Promise<void> {
    root = mkdtempSync(join(tmpdir(), 'wg-runs-own-'));
    paths = projectPaths(join(root, '.workgraph'));
    await initProject(paths);
    store = (await openProjectStore(paths)).store;
    if (lines.length)
      await store.importJsonl(lines.map((l) => JSON.stringify({ kind: 'task', title: l.id, status: 'open', ...l })).join('\n'));
  }

  const meta = (id: string, more: Partial<RunSnapshot> = {}): RunSnapshot => ({
    id,
    timestamp: NOW.toISOString(),
    reset_tasks: [],
    preserved_tasks: [],
    ...more,
  });
  /** The graph changed after a snapshot as a `wg` command here would change it (the sync writes graph.jsonl). */
  async function setStatus(id: string, status: string): Promise<void> {
    await store.importJsonl(JSON.stringify({ kind: 'task', id, title: (await store.get(id)).title, status }));
    if (existsSync(join(paths.dir, 'graph.jsonl'))) await (await GraphSync.open(store, paths.dir)).syncNow(5000);
  }
  /** After a restore in an upstream folder, graph.jsonl is taken in as the next `wg` command takes it. */
  async function syncIn(): Promise<void> {
    if (existsSync(join(paths.dir, 'graph.jsonl'))) await (await GraphSync.open(store, paths.dir)).syncNow(5000);
  }
  const status = async (id: string) => (await store.get(id)).status;

  if (folders.includes('upstream'))
    describe('run snapshots (upstream runs module)', () => {
      it('test_next_run_id_empty and test_next_run_id_increments', async () => {
        await upstreamProject([]);
        expect(nextSnapshotId(paths)).toBe('run-001');
        mkdirSync(join(snapshotsDir(paths), 'run-001'), { recursive: true });
        mkdirSync(join(snapshotsDir(paths), 'run-003'), { recursive: true });
        expect(nextSnapshotId(paths)).toBe('run-004');
      });

      it('test_snapshot_and_load: graph.jsonl, config.toml and meta.json', async () => {
        await upstreamProject([{ id: 't1', title: 'Test' }]);
        writeFileSync(paths.config, '[agent]\nmodel = "opus"\n');
        await takeSnapshot(store, paths, meta('run-001', { model: 'sonnet', reset_tasks: ['t1'], filter: '--failed-only' }));
        const dir = join(snapshotsDir(paths), 'run-001');
        for (const file of ['graph.jsonl', 'config.toml', 'meta.json']) expect(existsSync(join(dir, file))).toBe(true);
        expect(loadSnapshot(paths, 'run-001')).toMatchObject({ id: 'run-001', model: 'sonnet', reset_tasks: ['t1'] });
      });

      it('test_list_runs and test_runs_list_ignores_non_run_directories: run-* folders only, in order', async () => {
        await upstreamProject([]);
        for (const name of ['run-002', 'run-001', 'not-a-run']) mkdirSync(join(snapshotsDir(paths), name), { recursive: true });
        expect(snapshotIds(paths)).toEqual(['run-001', 'run-002']);
      });

      it('test_restore_graph (an upstream folder: graph.jsonl is the snapshot’s again)', async () => {
        await upstreamProject([{ id: 't1', title: 'Test' }]);
        await takeSnapshot(store, paths, meta('run-001', { preserved_tasks: ['t1'] }));
        await setStatus('t1', 'done');
        await restoreSnapshot(store, paths, 'run-001', NOW);
        expect(readFileSync(join(paths.dir, 'graph.jsonl'), 'utf8')).toBe(
          readFileSync(join(snapshotsDir(paths), 'run-001', 'graph.jsonl'), 'utf8'),
        );
        await syncIn();
        expect(await status('t1')).toBe('open');
        // Taken in as it is: the sync that follows has nothing to write back.
        expect(readFileSync(join(paths.dir, 'graph.jsonl'), 'utf8')).toBe(
          readFileSync(join(snapshotsDir(paths), 'run-001', 'graph.jsonl'), 'utf8'),
        );
      });
    });

  describe('wg runs (upstream runs command and integration_runs_exhaustive)', () => {
    for (const [kind, make] of [
      ['an upstream folder', upstreamProject],
      ['this app’s own folder', ownProject],
    ] as const) {
      if (!folders.includes(make === upstreamProject ? 'upstream' : 'own')) continue;
      describe(kind, () => {
        it('test_list_empty and test_runs_list_empty', async () => {
          await make([]);
          expect(listSnapshots(paths, () => undefined)).toEqual([]);
        });

        it('test_show_run', async () => {
          await make([{ id: 't1' }]);
          await takeSnapshot(store, paths, meta('run-001', { model: 'sonnet', reset_tasks: ['t1'], filter: '--failed-only' }));
          expect(loadSnapshot(paths, 'run-001')).toEqual(
            meta('run-001', { model: 'sonnet', reset_tasks: ['t1'], filter: '--failed-only' }),
          );
        });

        it('test_runs_show_nonexistent', async () => {
          await make([]);
          expect(() => loadSnapshot(paths, 'run-999')).toThrow("no run snapshot 'run-999'");
        });

        it('test_restore_creates_safety_snapshot and test_runs_restore_json_output', async () => {
          await make([{ id: 't1', status: 'done' }]);
          await takeSnapshot(store, paths, meta('run-001', { preserved_tasks: ['t1'] }));
          expect(await restoreSnapshot(store, paths, 'run-001', NOW)).toEqual({
            restored_from: 'run-001',
            safety_snapshot: 'run-002',
            timestamp: NOW.toISOString(),
          });
          expect(snapshotIds(paths)).toEqual(['run-001', 'run-002']);
          expect(loadSnapshot(paths, 'run-002').filter).toBe('pre-restore safety snapshot (restoring run-001)');
        });

        it('a snapshot that cannot be restored (a status no tool knows) changes nothing and leaves no safety snapshot; the error names its file', async () => {
          await make([{ id: 't1', status: 'done' }]);
          await takeSnapshot(store, paths, meta('run-001'));
          const file = join(paths.dir, 'runs', 'run-001', 'graph.jsonl');
          writeFileSync(file, `${JSON.stringify({ kind: 'task', id: 'x', title: 'X', status: 'bogus' })}\n`);
          for (let attempt = 0; attempt < 2; attempt++) {
            await expect(() => restoreSnapshot(store, paths, 'run-001', NOW)).rejects.toThrow(
              new RegExp(`^${file}: .*bogus.*; nothing was restored$`),
            );
          }
          expect(snapshotIds(paths)).toEqual(['run-001']);
          expect((await store.list()).map((t) => [t.id, t.status])).toEqual([['t1', 'done']]);
        });

        it('test_runs_restore_restores_graph_status (fields the snapshot leaves out are cleared, tasks it lacks go, tasks it has come back)', async () => {
          await make([
            { id: 'r1', status: 'done' },
            { id: 'r2', status: 'failed', failure_reason: 'exit 1' },
          ]);
          await takeSnapshot(store, paths, meta('run-001'));
          await setStatus('r2', 'open');
          await store.importJsonl(JSON.stringify({ kind: 'task', id: 'later', title: 'added after', status: 'open' }));
          await syncIn();
          await restoreSnapshot(store, paths, 'run-001', NOW);
          await syncIn();
          expect([await status('r1'), await status('r2')]).toEqual(['done', 'failed']);
          expect((await store.get('r2')).failure_reason).toBe('exit 1');
          expect((await store.list()).map((t) => t.id)).toEqual(['r1', 'r2']);
        });

        it('test_runs_restore_nonexistent', async () => {
          await make([{ id: 't1' }]);
          await expect(() => restoreSnapshot(store, paths, 'run-042', NOW)).rejects.toThrow("no run snapshot 'run-042'");
          expect(snapshotIds(paths)).toEqual([]);
        });

        it('test_diff_shows_changes, test_runs_diff_shows_status_change and test_runs_diff_json_output', async () => {
          await make([
            { id: 't1', status: 'done' },
            { id: 't2', status: 'failed' },
          ]);
          await takeSnapshot(store, paths, meta('run-001'));
          await setStatus('t2', 'open');
          expect(await diffSnapshot(store, paths, 'run-001')).toEqual({
            run_id: 'run-001',
            changes: [{ id: 't2', snapshot_status: 'failed', current_status: 'open', change: 'status_changed' }],
            total_changes: 1,
          });
        });

        it('test_runs_diff_no_changes', async () => {
          await make([{ id: 't1', status: 'done' }]);
          await takeSnapshot(store, paths, meta('run-001'));
          expect(await diffSnapshot(store, paths, 'run-001')).toEqual({ run_id: 'run-001', changes: [], total_changes: 0 });
        });

        it('test_runs_diff_with_removed_task, _with_added_task and _sorted_output', async () => {
          await make([
            { id: 'z1', status: 'done' },
            { id: 'a1', status: 'failed' },
            { id: 'gone', status: 'open' },
          ]);
          await takeSnapshot(store, paths, meta('run-001'));
          await setStatus('a1', 'open');
          await setStatus('z1', 'open');
          await store.core.write((rev) => removeTasks(store.core, ['gone'], rev));
          await store.importJsonl(JSON.stringify({ kind: 'task', id: 'm1', title: 'm1', status: 'open' }));
          await syncIn();
          const diff = await diffSnapshot(store, paths, 'run-001');
          expect(diff.changes.map((c) => [c.id, c.change])).toEqual([
            ['a1', 'status_changed'],
            ['gone', 'removed'],
            ['m1', 'added'],
            ['z1', 'status_changed'],
          ]);
          expect(diff.changes[1]).toEqual({ id: 'gone', snapshot_status: 'open', change: 'removed' });
          expect(diff.changes[2]).toEqual({ id: 'm1', current_status: 'open', change: 'added' });
        });

        it('test_restore_then_diff_shows_no_changes and test_runs_diff_only_compares_status', async () => {
          await make([{ id: 'd1', status: 'done', tags: ['a'] }]);
          await takeSnapshot(store, paths, meta('run-001'));
          await setStatus('d1', 'open');
          await restoreSnapshot(store, paths, 'run-001', NOW);
          await syncIn();
          expect((await diffSnapshot(store, paths, 'run-001')).total_changes).toBe(0);
        });

        it('test_runs_list_json_metadata_structure and test_run_id_generation_sequential', async () => {
          await make([{ id: 't1' }]);
          await takeSnapshot(store, paths, meta(nextSnapshotId(paths), { model: 'opus', filter: '--failed-only', reset_tasks: ['t1'] }));
          await takeSnapshot(store, paths, meta(nextSnapshotId(paths), { model: 'sonnet', filter: '--failed-only' }));
          const list = listSnapshots(paths, () => undefined);
          expect(list.map((s) => [s.id, s.model])).toEqual([
            ['run-001', 'opus'],
            ['run-002', 'sonnet'],
          ]);
          expect(Object.keys(list[0] as object)).toEqual(['id', 'timestamp', 'model', 'reset_tasks', 'preserved_tasks', 'filter']);
        });

        it('test_snapshot_integrity_content_match and test_snapshot_without_config_toml', async () => {
          await make([{ id: 't1', status: 'done' }]);
          await takeSnapshot(store, paths, meta('run-001'));
          const dir = join(snapshotsDir(paths), 'run-001');
          const graph = readFileSync(join(dir, 'graph.jsonl'), 'utf8');
          const here = existsSync(join(paths.dir, 'graph.jsonl'))
            ? readFileSync(join(paths.dir, 'graph.jsonl'), 'utf8')
            : await store.exportJsonl({ upstream: true });
          expect(graph).toBe(here);
          expect(existsSync(join(dir, 'config.toml'))).toBe(existsSync(paths.config));
          expect(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'))).toMatchObject({
            id: 'run-001',
            reset_tasks: [],
            preserved_tasks: [],
          });
        });

        it('test_restore_safety_snapshot_distinct and test_multiple_restores_incrementing_ids', async () => {
          await make([{ id: 't1', status: 'done' }]);
          await takeSnapshot(store, paths, meta('run-001'));
          expect((await restoreSnapshot(store, paths, 'run-001', NOW)).safety_snapshot).toBe('run-002');
          await syncIn();
          expect((await restoreSnapshot(store, paths, 'run-001', NOW)).safety_snapshot).toBe('run-003');
        });

        it('test_runs_list_with_corrupted_metadata: the others are listed, the broken one is warned of', async () => {
          await make([]);
          await takeSnapshot(store, paths, meta('run-001'));
          mkdirSync(join(snapshotsDir(paths), 'run-002'));
          writeFileSync(join(snapshotsDir(paths), 'run-002', 'meta.json'), 'NOT VALID JSON {{{');
          const warnings: string[] = [];
          expect(listSnapshots(paths, (w) => warnings.push(w)).map((s) => s.id)).toEqual(['run-001']);
          expect(warnings).toEqual([expect.stringContaining('Warning: could not load metadata for run-002')]);
        });

        it('test_runs_restore_missing_snapshot_graph and test_snapshot_without_graph_jsonl', async () => {
          await make([{ id: 't1' }]);
          await takeSnapshot(store, paths, meta('run-001'));
          rmSync(join(snapshotsDir(paths), 'run-001', 'graph.jsonl'));
          await expect(() => restoreSnapshot(store, paths, 'run-001', NOW)).rejects.toThrow(
            "Snapshot graph.jsonl not found for run 'run-001'",
          );
          await expect(() => diffSnapshot(store, paths, 'run-001')).rejects.toThrow("Snapshot graph.jsonl not found for run 'run-001'");
          // Nothing changed: no safety snapshot either.
          expect(snapshotIds(paths)).toEqual(['run-001']);
        });

        it('test_runs_diff_nonexistent_run and test_runs_show_json_full_metadata', async () => {
          await make([{ id: 't1' }]);
          await expect(() => diffSnapshot(store, paths, 'run-404')).rejects.toThrow("Snapshot graph.jsonl not found for run 'run-404'");
          await takeSnapshot(
            store,
            paths,
            meta('run-001', { model: 'opus', reset_tasks: ['t1'], preserved_tasks: ['t2'], filter: '--tasks t1' }),
          );
          expect(JSON.parse(JSON.stringify(loadSnapshot(paths, 'run-001')))).toEqual({
            id: 'run-001',
            timestamp: NOW.toISOString(),
            model: 'opus',
            reset_tasks: ['t1'],
            preserved_tasks: ['t2'],
            filter: '--tasks t1',
          });
        });

        it('test_runs_list_chronological_three_runs', async () => {
          await make([{ id: 't1' }]);
          for (let i = 0; i < 3; i++) await takeSnapshot(store, paths, meta(nextSnapshotId(paths)));
          expect(listSnapshots(paths, () => undefined).map((s) => s.id)).toEqual(['run-001', 'run-002', 'run-003']);
        });

        it('test_trace_after_restore: a restore leaves the runs’ records alone', async () => {
          await make([{ id: 't1', status: 'done' }]);
          mkdirSync(join(paths.dir, 'log', 'agents', 't1', '2026-02-18T10:00:00Z'), { recursive: true });
          writeFileSync(join(paths.dir, 'log', 'agents', 't1', '2026-02-18T10:00:00Z', 'output.txt'), 'out');
          await takeSnapshot(store, paths, meta('run-001'));
          await setStatus('t1', 'open');
          await restoreSnapshot(store, paths, 'run-001', NOW);
          await syncIn();
          expect((await traceTask(store, paths, 't1')).agent_runs.map((r) => r.timestamp)).toEqual(['2026-02-18T10:00:00Z']);
        });

        it('test_runs_restore_does_not_restore_config', async () => {
          await make([{ id: 't1' }]);
          writeFileSync(paths.config, '[agent]\nmodel = "original"\n');
          await takeSnapshot(store, paths, meta('run-001'));
          writeFileSync(paths.config, '[agent]\nmodel = "modified"\n');
          await restoreSnapshot(store, paths, 'run-001', NOW);
          expect(readFileSync(paths.config, 'utf8')).toContain('modified');
          expect(readFileSync(join(snapshotsDir(paths), 'run-001', 'config.toml'), 'utf8')).toContain('original');
        });
      });
    }

    if (folders.includes('upstream'))
      it('test_run_id_above_999 and test_next_run_id_with_non_numeric_suffix', async () => {
        await upstreamProject([]);
        mkdirSync(join(snapshotsDir(paths), 'run-999'), { recursive: true });
        expect(nextSnapshotId(paths)).toBe('run-1000');
        rmSync(snapshotsDir(paths), { recursive: true });
        for (const name of ['run-001', 'run-abc', 'run-003']) mkdirSync(join(snapshotsDir(paths), name), { recursive: true });
        expect(nextSnapshotId(paths)).toBe('run-004');
      });
  });
}
