import { closeSync, fstatSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UPSTREAM_GRAPH_FILE } from '../opening/upstream-graph';

/*
 * graph.jsonl read and written as upstream does (`save_graph_inner`): the whole graph
 * into `.graph.tmp.<pid>` in the same folder, fsync, then renamed over graph.jsonl, so a reader
 * (with or without the lock) sees the old file or the new one, never half of one.
 */

/** What identifies one version of the file without reading it: a rename makes a new inode. */
export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

export interface GraphFile {
  text: string;
  stamp: FileStamp;
}

export function graphFilePath(wgDir: string): string {
  return join(wgDir, UPSTREAM_GRAPH_FILE);
}

function stampOf(stats: { ino: number; size: number; mtimeMs: number }): FileStamp {
  return { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs };
}

/** The file's stamp, or null when there is none. */
export function statGraphFile(wgDir: string): FileStamp | null {
  try {
    return stampOf(statSync(graphFilePath(wgDir)));
  } catch {
    return null;
  }
}

export function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  return a !== null && b !== null && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** The file's text and the stamp of exactly that version (read through one descriptor), or null. */
export function readGraphFile(wgDir: string): GraphFile | null {
  let fd: number;
  try {
    fd = openSync(graphFilePath(wgDir), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const text = readFileSync(fd, 'utf8');
    return { text, stamp: stampOf(fstatSync(fd)) };
  } finally {
    closeSync(fd);
  }
}

/** Replaces graph.jsonl with `text` (temp file, fsync, rename) and returns the new version's stamp. */
export function writeGraphFile(wgDir: string, text: string): FileStamp {
  const tmp = join(wgDir, `.graph.tmp.${process.pid}`);
  const fd = openSync(tmp, 'w');
  try {
    // writeFileSync writes until the end or throws; one writeSync stops short on a full disk (ENOSPC
    // only on the next call), and the cut file would be renamed over graph.jsonl (issue 27, item 5).
    writeFileSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, graphFilePath(wgDir));
  return stampOf(statSync(graphFilePath(wgDir)));
}
