import { sql } from 'kysely';
import type { ArchiveRestore, ArchiveResult, ArchivedTask } from '../../shared/cleanup';
import { conflict, invalid, notFound, WgError } from '../../shared/errors';
import type { Task } from '../../shared/task';
import { isTerminal } from '../graph/readiness';
import { upstreamLine } from '../store/jsonl-export';
import type { Store } from '../store/store';
import { removeTasks } from '../store/task-removal';
import { parseCleanupAge, olderThan } from './age';
import { archiveLines, putBack, restoredLine } from './archive-keep';
import {
  appendToArchive,
  archivedTask,
  clearBatch,
  loadBatch,
  readArchive,
  removeFromArchive,
  saveBatch,
  type ArchiveLine,
} from './archive-file';

/*
 * `wg archive`, as upstream's: done and abandoned tasks no unfinished task depends on move
 * from the graph to archive.jsonl (out of `wg list` and the window, still readable there and by
 * `wg archive --list` and `search`), one batch at a time so `--undo` can bring the last back, and
 * `wg archive restore` brings one back: as they were, with their messages and the dependencies on them
 * (archive-keep.ts), where upstream's brings back its line alone.
 */

export interface ArchiveOptions {
  ids: string[];
  dryRun: boolean;
  older: string | undefined;
  list: boolean;
  yes: boolean;
  undo: boolean;
}

const ARCHIVABLE = new Set(['done', 'abandoned']);

/** Whether an unfinished task depends on `task` (its dependents, and upstream's `before` kept with it). */
function activeDependents(task: Task, dependents: ReadonlyMap<string, Task[]>, byId: ReadonlyMap<string, Task>): boolean {
  const before = Array.isArray(task.extra.before) ? task.extra.before.filter((v): v is string => typeof v === 'string') : [];
  const later = [...(dependents.get(task.id) ?? []), ...before.flatMap((id) => byId.get(id) ?? [])];
  return later.some((t) => !isTerminal(t.status));
}

/** Upstream's should_archive: done or abandoned, and with --older, completed (else created) long enough ago. */
function oldEnough(task: Task, olderMs: number | null, now: Date): boolean {
  return olderMs === null || olderThan(task.completed_at ?? task.created_at, olderMs, now);
}

async function chooseTasks(store: Store, options: ArchiveOptions): Promise<Task[]> {
  const olderMs = options.older === undefined ? null : parseCleanupAge(options.older);
  const tasks = await store.list();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const dependents = new Map<string, Task[]>();
  for (const task of tasks) for (const dep of task.after) dependents.set(dep, [...(dependents.get(dep) ?? []), task]);
  if (options.ids.length === 0) {
    const now = store.core.clock();
    return tasks.filter((t) => ARCHIVABLE.has(t.status) && oldEnough(t, olderMs, now) && !activeDependents(t, dependents, byId));
  }
  return options.ids.map((id) => {
    const task = byId.get(id);
    if (!task) throw notFound('task', id);
    if (!ARCHIVABLE.has(task.status)) {
      throw conflict(`Task '${id}' has status '${task.status}' — only done/abandoned tasks can be archived. Use \`wg done ${id}\` first.`);
    }
    if (activeDependents(task, dependents, byId)) throw conflict(`Task '${id}' has active downstream dependents — cannot archive.`);
    return task;
  });
}

const listed = (tasks: readonly Task[]): ArchivedTask[] => tasks.map((t) => archivedTask(upstreamLine(t)));

/** Upstream's words for a bulk archive refused without --yes. */
const ARCHIVE_NEEDS_YES = 'Use --yes to confirm, or specify task IDs explicitly: wg archive <id1> <id2> ...';

export async function archiveTasks(store: Store, wgDir: string, options: ArchiveOptions): Promise<ArchiveResult> {
  if (options.list) return { kind: 'list', tasks: readArchive(wgDir).map((e) => archivedTask(e.line)) };
  if (options.undo) return undoLastBatch(store, wgDir);
  if (options.dryRun || (options.ids.length === 0 && !options.yes)) {
    const tasks = listed(await chooseTasks(store, options));
    // A bulk archive needs --yes: nothing changes, and the command fails after the list (as upstream's).
    const ok = options.dryRun || tasks.length === 0;
    return ok ? { kind: 'preview', tasks, ok } : { kind: 'preview', tasks, ok, refusal: ARCHIVE_NEEDS_YES };
  }
  return store.core.batch(async () => {
    // Chosen and removed holding the write lock: a task that changed meanwhile cannot slip through.
    const tasks = await chooseTasks(store, options);
    if (tasks.length === 0) return { kind: 'archived', tasks: [] };
    const ids = tasks.map((t) => t.id);
    // Into the archive first, as upstream: a crash before the removal leaves the task in both, never in neither.
    appendToArchive(wgDir, await archiveLines(store.core, tasks));
    saveBatch(wgDir, ids, store.core.nowIso());
    await store.core.write((rev) => removeTasks(store.core, ids, rev));
    return { kind: 'archived', tasks: listed(tasks) };
  });
}

/**
 * Archived lines back into the graph, in one write: each as this app had the task where the archive kept it (with
 * `reopen`: open again, its completion and assignment cleared), then its messages and the dependencies on it
 * (archive-keep.ts).
 */
async function restoreLines(store: Store, lines: readonly ArchiveLine[], reopen: boolean): Promise<void> {
  const restored = lines.map((archived) => {
    const { line, kept } = restoredLine(archived);
    if (reopen) {
      line.status = 'open';
      delete line.completed_at;
      delete line.assigned;
    }
    return { id: archived.id as string, kept, line: archived, text: JSON.stringify(line) };
  });
  await store.importJsonl(restored.map((r) => r.text).join('\n'));
  await store.core.write((rev) => putBack(store.core, restored, rev));
}

async function inGraph(store: Store, id: string): Promise<boolean> {
  return (await store.core.get(store.core.build.selectFrom('tasks').select(sql.lit(1).as('one')).where('id', '=', id))) !== undefined;
}

async function undoLastBatch(store: Store, wgDir: string): Promise<ArchiveResult> {
  const ids = loadBatch(wgDir);
  if (ids.length === 0) throw invalid('No tasks in the last archive batch to restore.');
  const archived = new Map(readArchive(wgDir).map((e) => [e.line.id as string, e.line]));
  const restored: string[] = [];
  const skipped: string[] = [];
  await store.core.batch(async () => {
    const lines: ArchiveLine[] = [];
    for (const id of ids) {
      const line = archived.get(id);
      if (!line || (await inGraph(store, id))) {
        skipped.push(id);
        continue;
      }
      lines.push(line);
      restored.push(id);
    }
    if (lines.length > 0) await restoreLines(store, lines, false);
  });
  if (restored.length > 0) removeFromArchive(wgDir, new Set(restored));
  clearBatch(wgDir);
  return { kind: 'undone', restored, skipped };
}

/** `wg archive restore ID [--reopen]`. */
export async function restoreArchived(store: Store, wgDir: string, id: string, reopen: boolean): Promise<ArchiveRestore> {
  const line = readArchive(wgDir).find((e) => e.line.id === id)?.line;
  if (!line) throw new WgError('not_found', `Task '${id}' not found in archive`);
  await store.core.batch(async () => {
    if (await inGraph(store, id)) throw conflict(`Task '${id}' already exists in the active graph`);
    await restoreLines(store, [line], reopen);
  });
  removeFromArchive(wgDir, new Set([id]));
  const task = await store.get(id);
  return { id, title: task.title, status: task.status };
}

/** `wg archive search QUERY`: case-insensitive in title, description and tags, at most `limit`. */
export function searchArchive(wgDir: string, query: string, limit: number): ArchivedTask[] {
  const needle = query.toLowerCase();
  return readArchive(wgDir)
    .map((e) => archivedTask(e.line))
    .filter(
      (t) =>
        t.title.toLowerCase().includes(needle) ||
        (t.description ?? '').toLowerCase().includes(needle) ||
        t.tags.some((tag) => tag.toLowerCase().includes(needle)),
    )
    .slice(0, limit);
}
