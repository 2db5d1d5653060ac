import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexedRunEvent, RunEvent, RunEventPage } from '../../shared/run-event';

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
    this.eventsFd = openSync(join(dir, 'events.jsonl'), 'a');
    this.indexFd = openSync(join(dir, 'events.idx'), 'a');
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

  close(): void {
    closeSync(this.eventsFd);
    closeSync(this.indexFd);
  }
}

/** Reads events [offset, offset+limit) of a run. */
export function readRunEvents(dir: string, agentId: string, offset: number, limit: number): RunEventPage {
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
    const start = Number(offsets.readBigUInt64LE(0));
    // The end is the next event's offset, or the end of the file for the last event.
    const end = read >= offsets.length ? Number(offsets.readBigUInt64LE((last - first) * 8)) : fstatSync(eventsFd).size;
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
