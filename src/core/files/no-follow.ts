import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { notRegularFile, plantedLink, requireRegular } from './regular-file';

/**
 * Files this app makes in a project's folders are opened without following a symlink at their
 * name: none of them is ever a link this app made, so one found there was planted (by another
 * user, in a folder they could write), and following it would let them choose what gets written
 * over or created (`wg service start` as root would append to a root-only file that way).
 * Every file this app makes goes through one of three: `replaceFile` (a whole file, replaced at
 * once: state, config, exports, graph.jsonl), `writeFileNoFollow` (written in place: the token, the
 * pid file, a marker) and `openAppendNoFollow` (a log a process appends to, a lock file to flock).
 */
const { O_WRONLY, O_CREAT, O_APPEND, O_TRUNC, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;

function openOrRefuse(path: string, flags: number, mode: number): number {
  try {
    return openSync(path, flags | O_NOFOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw plantedLink(path);
    throw error;
  }
}

/** An append-only descriptor (a log a child process writes, a lock file to flock), created if missing. */
export function openAppendNoFollow(path: string, mode = 0o600): number {
  return openOrRefuse(path, O_WRONLY | O_CREAT | O_APPEND, mode);
}

/**
 * The same for a file another tool writes too (upstream's message files, its graph.lock): opened
 * without waiting (a FIFO there would hold the open until a reader came) and refused unless it is a
 * regular file.
 */
export function openAppendRegular(path: string, mode = 0o600): number {
  let fd: number;
  try {
    fd = openOrRefuse(path, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK, mode);
  } catch (error) {
    // A FIFO with no reader, opened for writing without waiting.
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') throw notRegularFile(path, 'a FIFO');
    throw error;
  }
  requireRegular(fd, path);
  return fd;
}

/** Writes a whole file in place (created or truncated), never through a link. */
export function writeFileNoFollow(path: string, text: string, mode = 0o600): void {
  const fd = openOrRefuse(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  try {
    // Whole or an error: a single writeSync may stop short on a full disk without one.
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` with `text`, whole or not at all: written into a new temporary file beside it, then
 * renamed over it (a rename replaces a link at `path`, never follows it). The temporary file's name is
 * random and it is made new (O_EXCL: never opened if anything, a link included, is already at that
 * name), so a link planted where a temporary file will be (`.graph.tmp.<pid>` for every likely pid)
 * is never written through. `fsync`: on disk before the rename (a file a crash must not lose). A device or a FIFO
 * at `path` is written in place instead (writtenInPlace): it cannot be replaced by a file.
 */
export function replaceFile(path: string, text: string, options: { mode?: number; fsync?: boolean; tempIn?: string } = {}): void {
  if (writtenInPlace(path, text)) return;
  // Written in `tempIn` when given and on the same file system (a rename cannot cross one): a folder git ignores,
  // so that a person's `git add -A` beside a save never meets a temporary file that is gone as it looks.
  if (options.tempIn !== undefined) {
    try {
      writeThenRename(join(options.tempIn, basename(path)), path, text, options);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV' && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  writeThenRename(path, path, text, options);
}

/**
 * A device, a FIFO or a socket at the name itself (never through a link) is written into, as every Unix tool writes
 * its output: only a regular file can be replaced by another, and a rename over /dev/null (`wg export --out
 * /dev/null` as root) left a regular file there, which broke every program on the machine that writes to it. A FIFO
 * is opened as a shell's `>` opens it, waiting for its reader. Returns whether the name was such a node.
 */
function writtenInPlace(path: string, text: string): boolean {
  let special: boolean;
  try {
    const stats = lstatSync(path);
    special = !stats.isFile() && !stats.isDirectory() && !stats.isSymbolicLink();
  } catch {
    return false;
  }
  if (!special) return false;
  const fd = openOrRefuse(path, O_WRONLY, 0);
  try {
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** `text` into a new temporary file named after `near`, then renamed over `path`. */
function writeThenRename(near: string, path: string, text: string, options: { mode?: number; fsync?: boolean }): void {
  // node:crypto is loaded here, when a file is replaced, not by every `wg` start that imports this module.
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  const temp = `${near}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  const fd = openOrRefuse(temp, O_WRONLY | O_CREAT | O_EXCL, options.mode ?? 0o644);
  try {
    // Whole or an error (a single writeSync may stop short on a full disk), so a cut file is never renamed into place.
    writeFileSync(fd, text);
    if (options.fsync) fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** For a file another library opens by name (SQLite, the logger): refuse when a link is at its name. */
export function refuseSymlink(path: string): void {
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    return;
  }
  if (link) throw plantedLink(path);
}
