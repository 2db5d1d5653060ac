import { closeSync, constants, lstatSync, openSync, writeFileSync } from 'node:fs';
import { replaceFile } from './no-follow';

/*
 * A file a person names for a command's output (`wg export --out`, `wg trace export -o`, `wg func extract --output`)
 * is written as every Unix tool writes its output path. A symbolic link there (/dev/stdout, /dev/fd/N, one the person
 * made) is written through, in place, as a shell's `>` writes it: /dev/stdout renamed over would be a regular file for
 * every program on the machine, and the output would never reach the pipe or terminal it names. A device or a FIFO
 * is written in place too (replaceFile does that for every file this app writes). Only a regular file, or a new one,
 * is replaced whole at once. Where the path leads is checked by the caller (files/inside-folder.ts realTarget
 * follows the same links).
 */

const { O_WRONLY, O_CREAT, O_TRUNC } = constants;

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function writeOutputFile(path: string, text: string, mode = 0o666): void {
  if (!isLink(path)) {
    replaceFile(path, text, { mode });
    return;
  }
  const fd = openSync(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  try {
    // Whole or an error: a single writeSync may stop short on a full disk or a pipe without one.
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
