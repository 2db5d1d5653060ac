import { closeSync, existsSync, fstatSync, openSync, readSync, ftruncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputParser } from '../../executors/launch';
import type { RunEvent } from '../../../shared/run-event';
import { RunLogWriter } from '../../runs/run-log';
import { readTailPosition, writeTailPosition, type RunFiles, type TailPosition } from '../../runs/run-files';

const CHUNK = 1024 * 1024;
/** A "line" with no newline after this many bytes is parsed anyway, so one endless line cannot stall the tail. */
const MAX_PENDING = 256 * 1024;

/**
 * Turns a run's stdout (through the executor's parser) and stderr (one event a line) into run-log
 * events. Only whole lines are consumed, and the byte offsets consumed are saved with the event
 * count after every batch: a coordinator that restarts resumes exactly there, and events written
 * after the last saved position (a crash mid-batch) are cut off first, so nothing is lost or doubled.
 */
export class OutputTail {
  /** Opened with the first event: most short runs of quiet commands never need one. */
  private writer: RunLogWriter | null = null;
  private position: TailPosition;

  /** `fresh`: a run that just started has nothing on disk yet to resume from or repair. */
  constructor(
    private readonly files: RunFiles,
    private readonly parser: OutputParser,
    fresh = false,
  ) {
    this.position = fresh ? { stdout: 0, stderr: 0, events: 0 } : readTailPosition(files);
    if (!fresh) {
      cutRunLog(files.dir, this.position.events);
      this.position.events = this.log().total;
    }
  }

  get total(): number {
    return this.position.events;
  }

  private log(): RunLogWriter {
    this.writer ??= new RunLogWriter(this.files.dir);
    return this.writer;
  }

  /** Reads what was appended since the last call; `final` also flushes a last unterminated line and the parser. */
  drain(final = false): RunEvent[] {
    const events: RunEvent[] = [];
    const stdout = readComplete(this.files.stdout, this.position.stdout, final);
    if (stdout.text) events.push(...this.parser.push(stdout.text));
    const stderr = readComplete(this.files.stderr, this.position.stderr, final);
    if (stderr.text) {
      for (const line of stderr.text.split('\n')) if (line.trim() !== '') events.push({ type: 'stderr', text: line.replace(/\r$/, '') });
    }
    if (final) events.push(...this.parser.end());
    if (stdout.consumed === 0 && stderr.consumed === 0 && events.length === 0) return events;
    if (events.length > 0) {
      const log = this.log();
      for (const event of events) log.append(event);
    }
    this.position = {
      stdout: this.position.stdout + stdout.consumed,
      stderr: this.position.stderr + stderr.consumed,
      events: this.position.events + events.length,
    };
    writeTailPosition(this.files, this.position);
    return events;
  }

  close(): void {
    this.writer?.close();
    this.writer = null;
  }
}

/** Whole lines from `offset` on (everything when `final`), decoded, and how many bytes that was. */
function readComplete(path: string, offset: number, final: boolean): { text: string; consumed: number } {
  // One stat answers the usual question (nothing new) without opening the file.
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat || stat.size <= offset) return { text: '', consumed: 0 };
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const parts: Buffer[] = [];
    let at = offset;
    while (at < size) {
      const buffer = Buffer.alloc(Math.min(CHUNK, size - at));
      const read = readSync(fd, buffer, 0, buffer.length, at);
      if (read <= 0) break;
      parts.push(buffer.subarray(0, read));
      at += read;
    }
    const bytes = Buffer.concat(parts);
    const end = final ? bytes.length : usableEnd(bytes);
    // A newline byte never occurs inside a multi-byte UTF-8 character, so cutting after one is safe.
    return { text: bytes.subarray(0, end).toString('utf8'), consumed: end };
  } finally {
    closeSync(fd);
  }
}

function usableEnd(bytes: Buffer): number {
  const newline = bytes.lastIndexOf(0x0a);
  if (newline >= 0) return newline + 1;
  if (bytes.length < MAX_PENDING) return 0;
  // No newline in sight: cut before a partial UTF-8 character (continuation bytes are 10xxxxxx).
  let end = bytes.length;
  while (end > 0 && ((bytes[end - 1] ?? 0) & 0xc0) === 0x80) end--;
  return end > 0 && ((bytes[end - 1] ?? 0) & 0x80) !== 0 ? end - 1 : end;
}

/** Drops run-log events past `keep` (written after the last saved tail position). */
export function cutRunLog(dir: string, keep: number): void {
  const indexPath = join(dir, 'events.idx');
  const eventsPath = join(dir, 'events.jsonl');
  if (!existsSync(indexPath) || !existsSync(eventsPath)) return;
  const indexFd = openSync(indexPath, 'r+');
  const eventsFd = openSync(eventsPath, 'r+');
  try {
    const total = Math.floor(fstatSync(indexFd).size / 8);
    if (total <= keep) return;
    const entry = Buffer.alloc(8);
    readSync(indexFd, entry, 0, 8, keep * 8);
    ftruncateSync(eventsFd, Number(entry.readBigUInt64LE(0)));
    ftruncateSync(indexFd, keep * 8);
  } finally {
    closeSync(indexFd);
    closeSync(eventsFd);
  }
}
