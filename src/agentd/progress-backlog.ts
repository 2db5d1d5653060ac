import { megabytes, utf8Bytes, type ProgressMessage } from '../shared/agent-protocol';
import type { RunEvent } from '../shared/run-event';
import { fitProgress } from './result-fit';

/**
 * A job's output kept while the coordinator is away, measured as the JSON it is sent as: generous (a line of plain
 * output is some 40 bytes, so about 200,000 of them), and per job. Its result, the one thing that must never be lost,
 * is kept apart and whole.
 */
const BACKLOG_BYTES = 8 * 1024 * 1024;

/**
 * What a job printed while its daemon could not send it. Kept as events, not as the batches they were printed
 * in, so the backlog is bounded by its size whatever the batches were (100 batches, the old bound, were about
 * 20 s of a chatty job, and the rest went without a mark), and sent as the fewest frames that carry it. Beyond
 * its bound the oldest events are given up, and what was given up is said in a line of its own where they were.
 */
export class ProgressBacklog {
  private events: RunEvent[] = [];
  private sizes: number[] = [];
  /** The first event still kept: the oldest are given up by moving it, not by shifting the arrays each time. */
  private head = 0;
  private bytes = 0;
  private lostEvents = 0;
  private lostBytes = 0;

  constructor(private readonly maxBytes = BACKLOG_BYTES) {}

  get empty(): boolean {
    return this.head === this.events.length && this.lostEvents === 0;
  }

  add(events: readonly RunEvent[]): void {
    for (const event of events) {
      const size = utf8Bytes(JSON.stringify(event));
      this.events.push(event);
      this.sizes.push(size);
      this.bytes += size;
    }
    while (this.bytes > this.maxBytes && this.head < this.events.length) {
      const size = this.sizes[this.head] ?? 0;
      this.bytes -= size;
      this.lostBytes += size;
      this.lostEvents++;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  /** What waited, as messages for this lease (as few as the protocol's limits allow), led by what was lost; empties it. */
  take(leaseId: string): ProgressMessage[] {
    const events = this.events.slice(this.head);
    if (this.lostEvents > 0) events.unshift({ type: 'stderr', text: this.lossLine() });
    this.events = [];
    this.sizes = [];
    this.head = 0;
    this.bytes = 0;
    this.lostEvents = 0;
    this.lostBytes = 0;
    return events.length === 0 ? [] : fitProgress({ type: 'ticket.progress', lease_id: leaseId, events });
  }

  private lossLine(): string {
    return `agent daemon: ${this.lostEvents} earlier output event(s) (${size(this.lostBytes)}) of this job were lost while the coordinator was unreachable; it keeps the last ${size(this.maxBytes)} meanwhile`;
  }
}

/** A size in words a person reads at a glance: KB below a megabyte. */
const size = (bytes: number): string => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : megabytes(bytes));
