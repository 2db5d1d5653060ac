import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { WgError } from '../../shared/errors';

/*
 * Files another tool writes too (upstream's graph.jsonl, its messages/) are opened without waiting
 * (O_NONBLOCK) and read only when they are regular files. Opened the ordinary way, a FIFO put at such
 * a name holds the open until something writes into it, and with it the whole process: the daemon
 * would stop answering. A FIFO, a socket or a device there is refused at once, in one line.
 */

const { O_RDONLY, O_NONBLOCK, O_NOFOLLOW } = constants;

/** A link found at the name of a file this app reads or writes there: none is ever one it made (files/no-follow.ts). */
export function plantedLink(path: string): WgError {
  return new WgError('forbidden', `${path} is a symbolic link, which this app never makes there; remove it and try again`);
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** A FIFO, socket, device or folder where a file another tool writes belongs. */
export class NotRegularFileError extends WgError {
  constructor(path: string, kind: string) {
    super('invalid', `${path} is ${kind}, not a regular file; it is left alone and not read`);
  }
}

export function notRegularFile(path: string, kind: string): NotRegularFileError {
  return new NotRegularFileError(path, kind);
}

/** Closes `fd` and refuses it unless it is a regular file. */
export function requireRegular(fd: number, path: string): Stats {
  const stats = fstatSync(fd);
  if (stats.isFile()) return stats;
  closeSync(fd);
  throw notRegularFile(path, kindOf(stats));
}

/** A regular file's text, with its stats from before and after the read (they differ: it changed meanwhile). */
export interface RegularRead {
  text: string;
  /** The bytes read, as they are (text is their UTF-8 reading, in which a byte that is not UTF-8 becomes U+FFFD). */
  bytes: Buffer;
  before: Stats;
  after: Stats;
}

/**
 * Opens a regular file without waiting on it (`flags` beside O_NONBLOCK), and with `noFollow` without following a
 * link at its name (one there is refused: plantedLink); null when there is none.
 */
export function openRegular(path: string, flags: number, noFollow = false): { fd: number; stats: Stats } | null {
  let fd: number;
  try {
    fd = openSync(path, flags | O_NONBLOCK | (noFollow ? O_NOFOLLOW : 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (noFollow && code === 'ELOOP') throw plantedLink(path);
    throw error;
  }
  return { fd, stats: requireRegular(fd, path) };
}

/**
 * Reads a regular file whole without ever waiting on it; null when there is none. `noFollow`: a link at its name
 * is refused, not followed (a message file: `t.jsonl -> u.jsonl` would hand u's messages to t's agent).
 */
export function readRegularFile(path: string, options: { noFollow?: boolean } = {}): RegularRead | null {
  const opened = openRegular(path, O_RDONLY, options.noFollow);
  if (opened === null) return null;
  const { fd, stats: before } = opened;
  try {
    // Until the end, however long it is now (a writer may be adding to it).
    const chunks: Buffer[] = [];
    let position = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.max(64 * 1024, before.size - position + 1));
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      position += n;
    }
    const bytes = Buffer.concat(chunks);
    return { text: bytes.toString('utf8'), bytes, before, after: fstatSync(fd) };
  } finally {
    closeSync(fd);
  }
}
