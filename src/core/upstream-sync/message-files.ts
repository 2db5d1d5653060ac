import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, mkdirSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../files/no-follow';
import { openRegular, readRegularFile } from '../files/regular-file';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../shared/message';
import type { FileStamp } from './graph-file';

/*
 * Upstream's message store, read and written as its `send_message`, `read_unread` and friends do: a task's messages are
 * `messages/<task id>.jsonl` in the workgraph folder, one JSON object a line
 * ({"id","timestamp","sender","body","priority","status"[,"read_at"]}), ids per task, the next one
 * the file's highest plus one, taken and appended under an exclusive flock on the file itself
 * (send_message); a status change rewrites the whole file into a temporary one renamed over it
 * (update_message_statuses). This app writes a status change in place instead, under the same lock
 * (rewriteInPlace): a rename while an upstream send waits for the lock would have that send append
 * to the file just replaced, and its message would be lost. A reader's cursor, the last id it read, is the number in
 * `messages/.cursors/<reader>.<task id>`, written by a rename too (write_cursor).
 */

export const MESSAGES_DIR = 'messages';
const CURSORS_DIR = '.cursors';
export const MESSAGE_FILE_SUFFIX = '.jsonl';

export function messagesDir(wgDir: string): string {
  return join(wgDir, MESSAGES_DIR);
}

export function messageFilePath(wgDir: string, taskId: string): string {
  return join(messagesDir(wgDir), `${taskId}${MESSAGE_FILE_SUFFIX}`);
}

function cursorFilePath(wgDir: string, reader: string, taskId: string): string {
  return join(messagesDir(wgDir), CURSORS_DIR, `${reader}.${taskId}`);
}

/** Whether a task id or a reader can be one part of a file name (upstream puts both in paths unchecked). */
export function fileNamePart(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

/** One message as upstream's file holds it; `line` keeps every field, upstream's and any other, as read. */
export interface FileMessage {
  id: number;
  timestamp: string;
  sender: string;
  body: string;
  /** Upstream takes any string (`--priority`); this app knows normal and urgent. */
  priority: string;
  /** One of upstream's four; an unknown one reads as `sent`. */
  status: DeliveryStatus;
  read_at?: string;
  line: Record<string, unknown>;
}

/** A line of the file: a message, or text that is not one (kept as it is when the file is rewritten). */
export interface FileLine {
  text: string;
  message: FileMessage | null;
}

export interface MessageFile {
  lines: FileLine[];
  /** The bytes read, as they are: a rewrite in place leaves those before its first change untouched. */
  bytes: Buffer;
  stamp: FileStamp;
  /** Whether the text ends with a newline (an append after a cut last line starts a new one). */
  endsWithNewline: boolean;
}

function parseMessage(text: string): FileMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const line = value as Record<string, unknown>;
  const { id, timestamp, sender, body, priority, status, read_at } = line;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return null;
  if (typeof timestamp !== 'string' || typeof sender !== 'string' || typeof body !== 'string') return null;
  const message: FileMessage = {
    id,
    timestamp,
    sender,
    body,
    priority: typeof priority === 'string' ? priority : 'normal',
    status: (DELIVERY_STATUSES as readonly unknown[]).includes(status) ? (status as DeliveryStatus) : 'sent',
    line,
  };
  if (typeof read_at === 'string') message.read_at = read_at;
  return message;
}

function parseFile(bytes: Buffer, stamp: FileStamp): MessageFile {
  const text = bytes.toString('utf8');
  const lines: FileLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    lines.push({ text: raw, message: parseMessage(raw) });
  }
  return { lines, bytes, stamp, endsWithNewline: text === '' || text.endsWith('\n') };
}

function stampOf(stats: { ino: number; size: number; mtimeMs: number }): FileStamp {
  return { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs };
}

const { O_WRONLY } = constants;

/**
 * A task's message file as it is now (no lock: upstream replaces it whole or appends whole lines), or
 * null. Never waits, and never follows a link at its name: followed, `t.jsonl -> u.jsonl` would hand task
 * u's messages to t's agent and make them t's for good (the locked path refuses a link too).
 */
export function readMessageFile(wgDir: string, taskId: string): MessageFile | null {
  const read = readRegularFile(messageFilePath(wgDir, taskId), { noFollow: true });
  return read === null ? null : parseFile(read.bytes, stampOf(read.after));
}

/**
 * The file the lock is held on, read by its name: null when the name is another file now
 * (upstream's status update renames a new file over the one locked; the lock is taken again on it).
 */
export function readLockedFile(wgDir: string, taskId: string, lockFd: number): MessageFile | null {
  const file = readMessageFile(wgDir, taskId);
  return file !== null && file.stamp.ino === fstatSync(lockFd).ino ? file : null;
}

/** A message as the line upstream writes: its fields in upstream's order, `read_at` only once set. */
export function messageLine(message: {
  id: number;
  timestamp: string;
  sender: string;
  body: string;
  priority: string;
  status: string;
  read_at?: string;
}): string {
  const line: Record<string, unknown> = {
    id: message.id,
    timestamp: message.timestamp,
    sender: message.sender,
    body: message.body,
    priority: message.priority,
    status: message.status,
  };
  if (message.read_at !== undefined) line.read_at = message.read_at;
  return JSON.stringify(line);
}

/** Appends whole lines through the locked descriptor (opened for appending: they land at the end). */
export function appendLines(fd: number, file: MessageFile, lines: string[]): void {
  if (lines.length === 0) return;
  const text = `${file.endsWithNewline ? '' : '\n'}${lines.join('\n')}\n`;
  // writeFileSync on a descriptor writes until all of it is written (one writeSync may stop short).
  writeFileSync(fd, text);
}

/** The locked file opened for writing at any position (the lock's descriptor appends only), to rewrite it in place. */
export interface RewriteTarget {
  /** Makes the file `lines`, writing from the first byte that differs from what was read. */
  write(lines: string[]): void;
  close(): void;
}

/**
 * Opens the file the lock is held on to rewrite it in place, or null when it is not the file read
 * any more (another file at its name, or written to since by a tool that skips the lock): it is read
 * again. Called before graph.db is changed, so that a read again starts from graph.db as it was.
 */
export function openForRewrite(wgDir: string, taskId: string, lockFd: number, file: MessageFile): RewriteTarget | null {
  const opened = openRegular(messageFilePath(wgDir, taskId), O_WRONLY, true);
  if (opened === null) return null;
  const { fd, stats: now } = opened;
  const locked = fstatSync(lockFd);
  if (now.ino !== locked.ino || now.dev !== locked.dev || now.size !== file.bytes.length || now.mtimeMs !== file.stamp.mtimeMs) {
    closeSync(fd);
    return null;
  }
  return {
    write: (lines) => {
      const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
      // Only from the first change on: what comes before is left as it is, and a reader without the lock
      // (upstream's list, which takes no lock) meets a line part way through being changed for less time.
      let first = 0;
      const same = Math.min(bytes.length, file.bytes.length);
      while (first < same && bytes[first] === file.bytes[first]) first++;
      let position = first;
      while (position < bytes.length) position += writeSync(fd, bytes, position, bytes.length - position, position);
      if (bytes.length < file.bytes.length) ftruncateSync(fd, bytes.length);
      fsyncSync(fd);
    },
    close: () => closeSync(fd),
  };
}

export function ensureMessagesDir(wgDir: string): void {
  mkdirSync(messagesDir(wgDir), { recursive: true });
}

/** The tasks that have a message file (names that are not one are left out). */
export function messageFileTasks(wgDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(messagesDir(wgDir));
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith(MESSAGE_FILE_SUFFIX)).map((n) => n.slice(0, -MESSAGE_FILE_SUFFIX.length));
}

/** The last id `reader` read on a task by upstream's cursor file (0: none, or not a number). */
export function readCursorFile(wgDir: string, reader: string, taskId: string): number {
  try {
    // Never through a link: one at a cursor's name (an error here, read as 0) must not lend another reader's cursor.
    const read = readRegularFile(cursorFilePath(wgDir, reader, taskId), { noFollow: true });
    const value = Number(read?.bytes.toString('utf8').trim() ?? '0');
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

/** Writes a cursor file as upstream's write_cursor does (`N\n` into a temporary file, renamed over). */
export function writeCursorFile(wgDir: string, reader: string, taskId: string, cursor: number): void {
  mkdirSync(join(messagesDir(wgDir), CURSORS_DIR), { recursive: true });
  replaceFile(cursorFilePath(wgDir, reader, taskId), `${cursor}\n`, { mode: 0o644 });
}
