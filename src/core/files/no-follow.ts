import { closeSync, constants, lstatSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { WgError } from '../../shared/errors';

/**
 * Files this app makes in a project's folders are opened without following a symlink at their
 * name: none of them is ever a link this app made, so one found there was planted (by another
 * user, in a folder they could write), and following it would let them choose what gets written
 * over or created (issue 27: `wg service start` as root appended to a root-only file that way).
 */
const { O_WRONLY, O_CREAT, O_APPEND, O_TRUNC, O_EXCL, O_NOFOLLOW } = constants;

function planted(path: string): WgError {
  return new WgError('forbidden', `${path} is a symbolic link, which this app never makes there; remove it and try again`);
}

function openOrRefuse(path: string, flags: number, mode: number): number {
  try {
    return openSync(path, flags | O_NOFOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw planted(path);
    throw error;
  }
}

/** An append-only descriptor (a log a child process writes), created if missing. */
export function openAppendNoFollow(path: string, mode = 0o600): number {
  return openOrRefuse(path, O_WRONLY | O_CREAT | O_APPEND, mode);
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
 * A temporary file beside `path` made new (O_EXCL: it never opens what is already there, a link
 * included); one left by a crashed process of the same pid is removed first (unlink removes a link,
 * never its target). The caller renames it over `path`, which replaces a link rather than following it.
 */
export function writeFreshTemp(temp: string, text: string, mode: number): void {
  rmSync(temp, { force: true });
  const fd = openOrRefuse(temp, O_WRONLY | O_CREAT | O_EXCL, mode);
  try {
    // Whole or an error (a single writeSync may stop short on a full disk), so a cut file is never renamed into place.
    writeFileSync(fd, text);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
}

/** For a file another library opens by name (SQLite, the logger): refuse when a link is at its name. */
export function refuseSymlink(path: string): void {
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    return;
  }
  if (link) throw planted(path);
}
