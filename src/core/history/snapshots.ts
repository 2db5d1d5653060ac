import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WgError } from '../../shared/errors';
import type { RunSnapshot, SnapshotDiff, SnapshotDiffEntry, SnapshotRestore } from '../../shared/history';
import type { JsonValue } from '../../shared/task';
import { replaceFile } from '../files/no-follow';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { upstreamLine } from '../store/jsonl-export';
import { adoptVersion } from '../upstream-sync/adopted-version';
import { graphFilePath, writeGraphFile } from '../upstream-sync/graph-file';
import { lockGraphSync } from '../upstream-sync/graph-lock';
import { parseGraphLines } from '../upstream-sync/graph-lines';
import { applyToStore, type StoreEdit } from '../upstream-sync/store-apply';
import { ensureSyncRecords } from '../upstream-sync/sync-records';

/*
 * `wg runs`: upstream's run snapshots, `runs/run-NNN/` beside the graph, each the graph
 * (graph.jsonl, upstream's format) and config.toml as they were, and `meta.json` (upstream's
 * RunMeta). Upstream's `wg replay` takes them; a restore takes one first of the graph it replaces.
 * In a folder upstream also uses these are upstream's snapshots and the restore writes graph.jsonl
 * as upstream's does, graph.db made the same graph in the same step; elsewhere the graph itself is put back.
 */

const META = 'meta.json';
const GRAPH = 'graph.jsonl';
const LOCK_WAIT_MS = 10_000;

export const snapshotsDir = (paths: ProjectPaths) => join(paths.dir, 'runs');
const snapshotDir = (paths: ProjectPaths, id: string) => join(snapshotsDir(paths), id);

function unknown(id: string): WgError {
  return new WgError('not_found', `no run snapshot '${id}' (wg runs list shows them)`);
}

/** Snapshot ids, ascending (`run-*` folders). */
export function snapshotIds(paths: ProjectPaths): string[] {
  const dir = snapshotsDir(paths);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith('run-'))
    .map((e) => e.name)
    .sort();
}

export function loadSnapshot(paths: ProjectPaths, id: string): RunSnapshot {
  const path = join(snapshotDir(paths, id), META);
  if (!existsSync(path)) throw unknown(id);
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    throw new WgError('invalid', `Failed to parse run metadata: ${path}`);
  }
  const m = meta as Partial<RunSnapshot>;
  if (typeof m !== 'object' || m === null || typeof m.id !== 'string' || typeof m.timestamp !== 'string') {
    throw new WgError('invalid', `Failed to parse run metadata: ${path}`);
  }
  return {
    id: m.id,
    timestamp: m.timestamp,
    ...(typeof m.model === 'string' ? { model: m.model } : {}),
    reset_tasks: Array.isArray(m.reset_tasks) ? m.reset_tasks.filter((t): t is string => typeof t === 'string') : [],
    preserved_tasks: Array.isArray(m.preserved_tasks) ? m.preserved_tasks.filter((t): t is string => typeof t === 'string') : [],
    ...(typeof m.filter === 'string' ? { filter: m.filter } : {}),
  };
}

/** Every snapshot whose metadata reads; `warn` hears of the others (upstream's warning). */
export function listSnapshots(paths: ProjectPaths, warn: (line: string) => void): RunSnapshot[] {
  return snapshotIds(paths).flatMap((id) => {
    try {
      return [loadSnapshot(paths, id)];
    } catch (error) {
      warn(`Warning: could not load metadata for ${id}: ${(error as Error).message}`);
      return [];
    }
  });
}

/** Upstream's next_run_id: one more than the highest `run-N`, three digits at least. */
export function nextSnapshotId(paths: ProjectPaths): string {
  const dir = snapshotsDir(paths);
  let max = 0;
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      const number = /^run-(\d+)$/.exec(name)?.[1];
      if (number !== undefined) max = Math.max(max, Number(number));
    }
  }
  return `run-${String(max + 1).padStart(3, '0')}`;
}

/** The graph as upstream's graph.jsonl would hold it: the file itself where there is one. */
async function graphText(store: Store, paths: ProjectPaths): Promise<string> {
  const file = graphFilePath(paths.dir);
  return existsSync(file) ? readFileSync(file, 'utf8') : store.exportJsonl({ upstream: true });
}

/** Takes a snapshot of the graph and config.toml now (upstream's runs::snapshot). */
export async function takeSnapshot(store: Store, paths: ProjectPaths, meta: RunSnapshot): Promise<void> {
  const dir = snapshotDir(paths, meta.id);
  mkdirSync(dir, { recursive: true });
  replaceFile(join(dir, GRAPH), await graphText(store, paths));
  if (existsSync(paths.config)) copyFileSync(paths.config, join(dir, 'config.toml'));
  replaceFile(join(dir, META), JSON.stringify(meta, null, 2));
}

type Line = Record<string, JsonValue>;

/** The tasks of a snapshot's graph.jsonl, by id (a repeated id: its last line, as upstream reads it). */
function snapshotTasks(paths: ProjectPaths, id: string): Map<string, Line> {
  const path = join(snapshotDir(paths, id), GRAPH);
  if (!existsSync(path)) throw new WgError('not_found', `Snapshot graph.jsonl not found for run '${id}'`);
  let nodes: Awaited<ReturnType<typeof parseGraphLines>>;
  try {
    nodes = parseGraphLines(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new WgError('invalid', `Failed to load snapshot graph: ${(error as Error).message}`);
  }
  return new Map(nodes.filter((n) => n.task).map((n) => [n.id, n.line]));
}

const statusOf = (line: Line) => (typeof line.status === 'string' ? line.status : 'open');

/** `wg runs diff ID`: each task whose status differs, or that one side lacks, by id. */
export async function diffSnapshot(store: Store, paths: ProjectPaths, id: string): Promise<SnapshotDiff> {
  const then = new Map([...snapshotTasks(paths, id)].map(([taskId, line]) => [taskId, statusOf(line)]));
  const now = new Map((await store.list()).map((t) => [t.id, t.status as string]));
  const changes: SnapshotDiffEntry[] = [];
  for (const taskId of [...new Set([...then.keys(), ...now.keys()])].sort()) {
    const before = then.get(taskId);
    const after = now.get(taskId);
    if (before !== undefined && after !== undefined && before !== after) {
      changes.push({ id: taskId, snapshot_status: before, current_status: after, change: 'status_changed' });
    } else if (before !== undefined && after === undefined) {
      changes.push({ id: taskId, snapshot_status: before, change: 'removed' });
    } else if (before === undefined && after !== undefined) {
      changes.push({ id: taskId, current_status: after, change: 'added' });
    }
  }
  return { run_id: id, changes, total_changes: changes.length };
}

/** The writes that make this app's graph the snapshot's: each task as its line says (fields it leaves out cleared), the rest removed. */
async function putBackEdits(store: Store, tasks: Map<string, Line>): Promise<StoreEdit[]> {
  const current = new Map((await store.list()).map((t) => [t.id, upstreamLine(t)]));
  const edits: StoreEdit[] = [];
  for (const [id, line] of tasks) {
    const now = current.get(id);
    if (!now) edits.push({ id, change: { kind: 'add' }, line });
    else edits.push({ id, change: { kind: 'fields', fields: [...new Set([...Object.keys(now), ...Object.keys(line)])] }, line });
  }
  for (const [id, line] of current) if (!tasks.has(id)) edits.push({ id, change: { kind: 'remove' }, line });
  return edits;
}

/** `wg runs restore ID`: a safety snapshot of the graph now, then the graph as the snapshot has it. */
export async function restoreSnapshot(store: Store, paths: ProjectPaths, id: string, now: Date): Promise<SnapshotRestore> {
  const meta = loadSnapshot(paths, id);
  const tasks = snapshotTasks(paths, id);
  const safety = nextSnapshotId(paths);
  await takeSnapshot(store, paths, {
    id: safety,
    timestamp: now.toISOString(),
    reset_tasks: [],
    preserved_tasks: [],
    filter: `pre-restore safety snapshot (restoring ${id})`,
  });
  try {
    await putBack(store, paths, id, tasks);
  } catch (error) {
    // A snapshot that cannot be restored changes nothing: not even the safety snapshot stays (each try left one).
    rmSync(snapshotDir(paths, safety), { recursive: true, force: true });
    if (error instanceof WgError && error.code === 'invalid') {
      throw new WgError('invalid', `${join(snapshotDir(paths, id), GRAPH)}: ${error.message}; nothing was restored`);
    }
    throw error;
  }
  return { restored_from: id, safety_snapshot: safety, timestamp: meta.timestamp };
}

/** The graph as the snapshot's tasks have it, in one write (and upstream's graph.jsonl too, where there is one). */
async function putBack(store: Store, paths: ProjectPaths, id: string, tasks: Map<string, Line>): Promise<void> {
  const core = store.core;
  const edits = await putBackEdits(store, tasks);
  if (existsSync(graphFilePath(paths.dir))) {
    // Upstream's restore: its graph.jsonl replaced by the snapshot's, under its lock, and graph.db made
    // the same graph in one write that records the version as synced (an older version is otherwise refused).
    await ensureSyncRecords(core);
    const lock = lockGraphSync(paths.dir, LOCK_WAIT_MS);
    try {
      const text = readFileSync(join(snapshotDir(paths, id), GRAPH), 'utf8');
      const stamp = writeGraphFile(paths.dir, text);
      await core.write(async (rev) => {
        await applyToStore(core, edits, rev);
        await adoptVersion(core, text, stamp, rev);
      });
    } finally {
      lock.release();
    }
  } else {
    await core.write((rev) => applyToStore(core, edits, rev));
  }
}
