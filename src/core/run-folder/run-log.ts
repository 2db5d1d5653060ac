import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexedRunEvent, RunEvent, RunEventPage } from '../../shared/run-event';
import { openAppendNoFollow } from '../files/no-follow';

/**
 * A run's output on disk: `events.jsonl` (one normalized event a line) and `events.idx`
 * (the byte offset of each line as an 8-byte integer), so any page of a million-event run
 * is read with two seeks instead of a scan. Raw stdout/stderr are kept beside them.
 */
export function runDir(runsDir: string, agentId: string): string {
  return join(runsDir, agentId);
}

export class RunLogWriter {
  private readonly eventsFd: number;
  private readonly indexFd: number;
  private offset: number;
  private count: number;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.eventsFd = openAppendNoFollow(join(dir, 'events.jsonl'));
    try {
      this.indexFd = openAppendNoFollow(join(dir, 'events.idx'));
    } catch (error) {
      closeSync(this.eventsFd);
      throw error;
    }
    // Appending after a restart: continue numbering from what is already there.
    this.offset = fstatSync(this.eventsFd).size;
    this.count = Math.floor(fstatSync(this.indexFd).size / 8);
  }

  get total(): number {
    return this.count;
  }

  append(event: RunEvent, at = new Date()): IndexedRunEvent {
    const indexed: IndexedRunEvent = { seq: this.count, at: at.toISOString(), event };
    const line = Buffer.from(`${JSON.stringify(indexed)}\n`);
    const entry = Buffer.alloc(8);
    entry.writeBigUInt64LE(BigInt(this.offset));
    writeSync(this.eventsFd, line);
    writeSync(this.indexFd, entry);
    this.offset += line.length;
    this.count++;
    return indexed;
  }

  /**
   * Appends a batch: its lines gathered in one reused buffer and written in few writes (a run can
   * print a million lines), with no big string built on the way (V8 keeps strings over 128 KB in
   * its large-object space until a full collection, which made the daemon's memory climb).
   */
  appendAll(events: readonly RunEvent[], at = new Date()): void {
    if (events.length === 0) return;
    const stamp = at.toISOString();
    const index = Buffer.allocUnsafe(events.length * 8);
    let used = 0;
    const flush = () => {
      writeAll(this.eventsFd, WRITE_BUFFER.subarray(0, used));
      used = 0;
    };
    events.forEach((event, i) => {
      const line = `${JSON.stringify({ seq: this.count + i, at: stamp, event } satisfies IndexedRunEvent)}\n`;
      index.writeBigUInt64LE(BigInt(this.offset), i * 8);
      const length = Buffer.byteLength(line);
      if (length > WRITE_BUFFER.length - used) flush();
      if (length > WRITE_BUFFER.length) writeAll(this.eventsFd, Buffer.from(line));
      else used += WRITE_BUFFER.write(line, used);
      this.offset += length;
    });
    flush();
    writeAll(this.indexFd, index);
    this.count += events.length;
  }

  close(): void {
    closeSync(this.eventsFd);
    closeSync(this.indexFd);
  }
}

/** Where appendAll gathers lines before writing them. */
const WRITE_BUFFER = Buffer.allocUnsafe(256 * 1024);

function writeAll(fd: number, buffer: Buffer): void {
  let written = 0;
  while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
}

/** A page is cut short past this many bytes (at least one event): a page of huge events must not fill memory. */
const MAX_PAGE_BYTES = 8 * 1024 * 1024;

/** Reads events [offset, offset+limit) of a run, fewer when they would exceed `maxBytes` (the page says its offset; ask on from there). */
export function readRunEvents(dir: string, agentId: string, offset: number, limit: number, maxBytes = MAX_PAGE_BYTES): RunEventPage {
  const indexPath = join(dir, 'events.idx');
  if (!existsSync(indexPath)) return { agent_id: agentId, total: 0, offset, events: [] };
  const indexFd = openSync(indexPath, 'r');
  const eventsFd = openSync(join(dir, 'events.jsonl'), 'r');
  try {
    const total = Math.floor(fstatSync(indexFd).size / 8);
    const first = Math.min(offset, total);
    const last = Math.min(first + limit, total);
    if (first === last) return { agent_id: agentId, total, offset: first, events: [] };
    const offsets = Buffer.alloc((last - first + 1) * 8);
    const read = readSync(indexFd, offsets, 0, offsets.length, first * 8);
    // The end of event i is the start of event i+1, or the end of the file for the last event.
    const fileSize = fstatSync(eventsFd).size;
    const endOf = (i: number) => (i + 1 < last || read >= offsets.length ? Number(offsets.readBigUInt64LE((i + 1 - first) * 8)) : fileSize);
    const start = Number(offsets.readBigUInt64LE(0));
    let upTo = first + 1;
    while (upTo < last && endOf(upTo) - start <= maxBytes) upTo++;
    const end = endOf(upTo - 1);
    const text = Buffer.alloc(end - start);
    readSync(eventsFd, text, 0, text.length, start);
    const events = text
      .toString('utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as IndexedRunEvent);
    return { agent_id: agentId, total, offset: first, events };
  } finally {
    closeSync(indexFd);
    closeSync(eventsFd);
  }
}
