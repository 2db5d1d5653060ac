import { closeSync, existsSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchivedTask } from '../../shared/cleanup';
import { invalid } from '../../shared/errors';
import type { JsonValue } from '../../shared/task';
import { openAppendNoFollow, replaceFile } from '../files/no-follow';

/*
 * Upstream's archive: `archive.jsonl` beside the graph, one task a line in graph.jsonl's own format
 * (a `Node`), and `archive-last-batch.json` naming the last batch for `wg archive --undo`. In a
 * folder upstream also uses these are upstream's very files, which both tools read and write.
 * The file is read whole and only whole lines count: a last line without its newline may be one
 * upstream is still appending.
 */

export type ArchiveLine = Record<string, JsonValue>;

const archivePath = (wgDir: string) => join(wgDir, 'archive.jsonl');
const batchPath = (wgDir: string) => join(wgDir, 'archive-last-batch.json');

export interface ArchiveEntry {
  line: ArchiveLine;
  raw: string;
}

/** Every task line of the archive, in its order (other nodes and `#` comments skipped, as upstream's load_archive). */
export function readArchive(wgDir: string): ArchiveEntry[] {
  const path = archivePath(wgDir);
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const entries: ArchiveEntry[] = [];
  lines.forEach((rawLine, index) => {
    const raw = rawLine.trim();
    if (!raw || raw.startsWith('#')) return;
    let value: JsonValue;
    try {
      value = JSON.parse(raw) as JsonValue;
    } catch {
      // Still being appended: the last line, without its newline.
      if (index === lines.length - 1) return;
      throw invalid(`Failed to parse archive line ${index + 1} of ${path}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof value.id !== 'string') {
      throw invalid(`Failed to parse archive line ${index + 1} of ${path}: not a node with an id`);
    }
    if ((value.kind ?? 'task') === 'task') entries.push({ line: value, raw });
  });
  return entries;
}

const text = (value: JsonValue | undefined): string | null => (typeof value === 'string' ? value : null);

/** An archived line as `--list` and `search` show it. */
export function archivedTask(line: ArchiveLine): ArchivedTask {
  return {
    id: line.id as string,
    title: text(line.title) ?? (line.id as string),
    completed_at: text(line.completed_at),
    tags: Array.isArray(line.tags) ? line.tags.filter((t): t is string => typeof t === 'string') : [],
    status: text(line.status) ?? 'open',
    description: text(line.description),
  };
}

/** Appends the lines in one write (O_APPEND), as upstream's append_to_archive. */
export function appendToArchive(wgDir: string, lines: readonly ArchiveLine[]): void {
  if (lines.length === 0) return;
  const fd = openAppendNoFollow(archivePath(wgDir), 0o644);
  try {
    writeSync(fd, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  } finally {
    closeSync(fd);
  }
}

/** The archive without the tasks `ids` (upstream's remove_from_archive), replaced whole. */
export function removeFromArchive(wgDir: string, ids: ReadonlySet<string>): void {
  const kept = readArchive(wgDir).filter((e) => !ids.has(e.line.id as string));
  replaceFile(archivePath(wgDir), kept.map((e) => `${e.raw}\n`).join(''));
}

/** The last batch, for `--undo` (upstream's save_batch_metadata). */
export function saveBatch(wgDir: string, ids: readonly string[], at: string): void {
  replaceFile(batchPath(wgDir), JSON.stringify({ timestamp: at, task_ids: ids }, null, 2));
}

export function loadBatch(wgDir: string): string[] {
  const path = batchPath(wgDir);
  if (!existsSync(path)) throw invalid('No archive batch to undo. No previous archive operation found.');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    throw invalid(`Failed to parse batch metadata in ${path}`);
  }
  const ids = (value as { task_ids?: unknown }).task_ids;
  if (!Array.isArray(ids)) throw invalid('Invalid batch metadata: missing task_ids');
  return ids.filter((id): id is string => typeof id === 'string');
}

export function clearBatch(wgDir: string): void {
  rmSync(batchPath(wgDir), { force: true });
}
