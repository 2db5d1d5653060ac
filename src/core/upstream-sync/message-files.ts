import { fstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../files/no-follow';
import { readRegularFile } from '../files/regular-file';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../shared/message';
import type { FileStamp } from './graph-file';

/*
 * Upstream's message store, read and written as its `send_message`, `read_unread` and friends do: a task's messages are
 * `messages/<task id>.jsonl` in the workgraph folder, one JSON object a line
 * ({"id","timestamp","sender","body","priority","status"[,"read_at"]}), ids per task, the next one
 * the file's highest plus one, taken and appended under an exclusive flock on the file itself
 * (send_message); a status change rewrites the whole file into a temporary one renamed over it
 * (update_message_statuses); a reader's cursor, the last id it read, is the number in
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

function parseFile(text: string, stamp: FileStamp): MessageFile {
  const lines: FileLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    lines.push({ text: raw, message: parseMessage(raw) });
  }
  return { lines, stamp, endsWithNewline: text === '' || text.endsWith('\n') };
}

function stampOf(stats: { ino: number; size: number; mtimeMs: number }): FileStamp {
  return { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs };
}

/**
 * A task's message file as it is now (no lock: upstream replaces it whole or appends whole lines), or
 * null. Never waits: a FIFO, socket or device at its name is refused (files/regular-file.ts).
 */
export function readMessageFile(wgDir: string, taskId: string): MessageFile | null {
  const read = readRegularFile(messageFilePath(wgDir, taskId));
  return read === null ? null : parseFile(read.text, stampOf(read.after));
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

/** Replaces the file with `lines` as upstream's update_message_statuses does: a temporary file renamed over it. */
export function rewriteMessageFile(wgDir: string, taskId: string, lines: string[]): void {
  replaceFile(messageFilePath(wgDir, taskId), lines.map((l) => `${l}\n`).join(''), { mode: 0o644, fsync: true });
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
    const value = Number(readRegularFile(cursorFilePath(wgDir, reader, taskId))?.text.trim() ?? '0');
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
