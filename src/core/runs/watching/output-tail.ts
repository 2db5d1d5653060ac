import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputParser } from '../../executors/launch';
import type { RunEvent } from '../../../shared/run-event';
import { RunLogWriter } from '../../run-folder/run-log';
import { readTailPosition, writeTailPosition, type RunFiles, type TailPosition } from '../../run-folder/run-files';

/**
 * How much of each stream one step reads. Output of any size is read a step at a time, with the
 * event loop free in between (the API keeps answering), and memory bounded by a step whatever a
 * run prints: a million lines, or one line of hundreds of megabytes. Below V8's large-object size
 * (128 KB), so a step's text is collected young.
 */
const STEP_BYTES = 64 * 1024;
/** One buffer for every read: a step's bytes are decoded into a string at once. */
const READ_BUFFER = Buffer.allocUnsafe(STEP_BYTES);

export interface TailStep {
  events: RunEvent[];
  /** More is on disk beyond what this step read: step again (soon, but after other work). */
  more: boolean;
}

/**
 * Turns a run's stdout (through the executor's parser) and stderr (one event a line) into run-log
 * events. Whole lines are consumed (a step that finds no newline in a full buffer consumes it as a
 * piece of a long line), and the byte offsets consumed are saved with the event count after every
 * step: a coordinator that restarts resumes exactly there, and events written after the last saved
 * position (a crash mid-step) are cut off first, so nothing is lost or doubled.
 */
export class OutputTail {
  /** Opened with the first event: most short runs of quiet commands never need one. */
  private writer: RunLogWriter | null = null;
  private position: TailPosition;
  private ended = false;

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

  /**
   * Reads one step of what was appended since the last one. `final` (the run is over): a last
   * unterminated line is consumed too, and once nothing more is left the parser is flushed.
   */
  step(final = false): TailStep {
    const events: RunEvent[] = [];
    const stdout = readStep(this.files.stdout, this.position.stdout, final);
    for (const event of this.parser.push(stdout.text)) events.push(event);
    const stderr = readStep(this.files.stderr, this.position.stderr, final);
    for (const line of stderr.text.split('\n')) if (line.trim() !== '') events.push({ type: 'stderr', text: line.replace(/\r$/, '') });
    const more = stdout.more || stderr.more;
    if (final && !more && !this.ended) {
      this.ended = true;
      for (const event of this.parser.end()) events.push(event);
    }
    if (stdout.consumed === 0 && stderr.consumed === 0 && events.length === 0) return { events, more };
    this.log().appendAll(events);
    this.position = {
      stdout: this.position.stdout + stdout.consumed,
      stderr: this.position.stderr + stderr.consumed,
      events: this.position.events + events.length,
    };
    writeTailPosition(this.files, this.position);
    return { events, more };
  }

  close(): void {
    this.writer?.close();
    this.writer = null;
  }
}

/** At most one step of whole lines from `offset` on, decoded; how many bytes that was; whether more follows. */
function readStep(path: string, offset: number, final: boolean): { text: string; consumed: number; more: boolean } {
  // One stat answers the usual question (nothing new) without opening the file, and says how much
  // is there: what is appended after it is read by the next step (a run that is over writes no more).
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat || stat.size <= offset) return { text: '', consumed: 0, more: false };
  const fd = openSync(path, 'r');
  try {
    const available = stat.size - offset;
    const read = readSync(fd, READ_BUFFER, 0, Math.min(STEP_BYTES, available), offset);
    const atEnd = read >= available;
    const end = final && atEnd ? read : usableEnd(READ_BUFFER, read);
    // A newline byte never occurs inside a multi-byte UTF-8 character, so cutting after one is safe.
    return { text: READ_BUFFER.toString('utf8', 0, end), consumed: end, more: end < available && (end > 0 || !atEnd) };
  } finally {
    closeSync(fd);
  }
}

/** Up to the last newline; a full buffer without one is a piece of a long line, cut before a partial character. */
function usableEnd(bytes: Buffer, length: number): number {
  const newline = bytes.lastIndexOf(0x0a, length - 1);
  if (newline >= 0) return newline + 1;
  if (length < STEP_BYTES) return 0;
  // Continuation bytes are 10xxxxxx: step back to the start of the last character, which is left for the next step.
  let end = length;
  while (end > 0 && ((bytes[end - 1] ?? 0) & 0xc0) === 0x80) end--;
  return end > 0 && ((bytes[end - 1] ?? 0) & 0x80) !== 0 ? end - 1 : end;
}

/** Drops run-log events past `keep` (written after the last saved tail position). */
function cutRunLog(dir: string, keep: number): void {
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
