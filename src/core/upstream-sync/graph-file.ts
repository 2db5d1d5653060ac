import { isUtf8 } from 'node:buffer';
import { renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../files/no-follow';
import { readRegularFile } from '../files/regular-file';
import { UPSTREAM_GRAPH_FILE } from '../opening/upstream-graph';
import { OWN_SUBFOLDER } from '../project';

/*
 * graph.jsonl read and written as upstream does (`save_graph_inner`): the whole graph
 * into a temporary file (in this app's own folder beside it, which git ignores), fsync, then renamed over graph.jsonl, so a reader
 * (with or without the lock) sees the old file or the new one, never half of one. Other writers
 * (an editor, git, `cat >`) write it in place, where a reader can see half of one: graph-sync.ts
 * acts on a read only once it is whole and has stood still.
 */

/** What identifies one version of the file without reading it: a rename makes a new inode. */
export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
  /**
   * When the file was made, where the file system says (0 or absent where not, and in stamps kept before it was
   * recorded): a freed inode number is used again for a new file, which its birth time tells apart.
   */
  birthMs?: number;
}

export interface GraphFile {
  text: string;
  stamp: FileStamp;
  /** It changed while it was read (a writer at work in place): what was read is no version of it. */
  moving: boolean;
  /** The first line that is not UTF-8 text (upstream's wg cannot read the file then), or null. */
  notTextLine: number | null;
}

/**
 * A file another tool writes in place (graph.jsonl, a message file) that has stood this long is no save that paused
 * part way: only then is one that is empty, cut, lacking tasks or just saved in place acted on or written over (a
 * save's pause longer than a settle must not lose its end).
 */
export const QUIET_MS = 5_000;

export function graphFilePath(wgDir: string): string {
  return join(wgDir, UPSTREAM_GRAPH_FILE);
}

function stampOf(stats: { ino: number; size: number; mtimeMs: number; birthtimeMs: number }): FileStamp {
  return { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, birthMs: stats.birthtimeMs };
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

/**
 * The file's text and the stamp of exactly that version (read through one descriptor), or null. Never
 * waits: a FIFO, socket or device at its name is refused (files/regular-file.ts).
 */
export function readGraphFile(wgDir: string): GraphFile | null {
  const read = readRegularFile(graphFilePath(wgDir));
  if (read === null) return null;
  const stamp = stampOf(read.after);
  const moving = !sameStamp(stampOf(read.before), stamp) || read.bytes.length !== read.after.size;
  return { text: read.text, stamp, moving, notTextLine: isUtf8(read.bytes) ? null : firstNotTextLine(read.bytes) };
}

/** The number of the first line of `bytes` that is not UTF-8 (a line ends at a newline byte, which no UTF-8 sequence holds). */
function firstNotTextLine(bytes: Buffer): number {
  let start = 0;
  for (let number = 1; ; number++) {
    const end = bytes.indexOf(0x0a, start);
    if (!isUtf8(bytes.subarray(start, end === -1 ? bytes.length : end)) || end === -1) return number;
    start = end + 1;
  }
}

/**
 * Replaces graph.jsonl with `text` (temp file, fsync, rename) and returns the new version's stamp. The
 * temp file has a random name and is made new, never opened through a link planted at the name
 * upstream uses (`.graph.tmp.<pid>`, which anyone who can write the folder can predict).
 */
export function writeGraphFile(wgDir: string, text: string): FileStamp {
  // Made as upstream makes it (Rust's File::create): 0666 less the umask, so a team's group-writable setting holds.
  // Its temporary file in this app's own folder, which git ignores: upstream's folder is often committed, and a
  // `git add -A` run beside a save failed on a temporary file it listed and could not stat a moment later.
  replaceFile(graphFilePath(wgDir), text, { fsync: true, mode: 0o666, tempIn: join(wgDir, OWN_SUBFOLDER) });
  return stampOf(statSync(graphFilePath(wgDir)));
}

/** Where the last version of graph.jsonl that was refused and written over is kept (graph-sync.ts). */
export const REFUSED_GRAPH_FILE = `${UPSTREAM_GRAPH_FILE}.refused`;

/** How many refused versions are kept: the last as REFUSED_GRAPH_FILE, the ones before as `.1` (newest) to `.9`. */
const REFUSED_KEPT = 10;

/**
 * Keeps a version of graph.jsonl about to be written over from graph.db: what a person saved there is
 * never lost with it, even where the refusal was wrong (a save that paused longer than it looked). The versions
 * refused before it move down one place (a second refusal wrote over the first, and a save refused once was gone).
 */
export function keepRefusedGraphFile(wgDir: string, text: string): void {
  const kept = (n: number) => join(wgDir, n === 0 ? REFUSED_GRAPH_FILE : `${REFUSED_GRAPH_FILE}.${n}`);
  const last = readRegularFile(kept(0));
  if (last !== null && last.text !== text) {
    for (let n = REFUSED_KEPT - 2; n >= 0; n--) {
      try {
        renameSync(kept(n), kept(n + 1));
      } catch {
        // None kept at that place yet.
      }
    }
  }
  replaceFile(kept(0), text, { fsync: true, mode: 0o666 });
}
