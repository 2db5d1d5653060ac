import type { IndexedRunEvent, RunEvent, RunEventPage } from '../../shared/run-event';
import { errorText } from '../../shared/errors';

export type FetchPage = (offset: number, limit: number) => Promise<RunEventPage>;

type ToolResult = Extract<RunEvent, { type: 'tool_result' }>;
type ToolUse = Extract<RunEvent, { type: 'tool_use' }>;

export interface EventWindowOptions {
  pageSize?: number;
  /** Pages kept in memory at most; the least recently used go first. */
  maxPages?: number;
}

/**
 * A bounded window over an agent's output. Events are fetched a page at a time, only for the rows
 * on screen, and at most `maxPages` pages stay in memory, so a run with a million events costs the
 * same as one with a few thousand.
 */
export class EventWindow {
  readonly pageSize: number;
  readonly maxPages: number;
  total = 0;
  error: string | null = null;
  /** The run's owner (another coordinator of a team) cannot be reached now: one line saying so. */
  away: string | null = null;
  /** Changes whenever something visible changed; React keys its re-render on it. */
  version = 0;
  private readonly pages = new Map<number, IndexedRunEvent[]>();
  /** Pages whose contents may be out of date (the last, partial page when the run grew). */
  private readonly stale = new Set<number>();
  private readonly loading = new Set<number>();
  private readonly listeners = new Set<() => void>();
  private pairs: { results: Map<string, ToolResult>; uses: Map<string, ToolUse> } | null = null;
  private disposed = false;

  constructor(
    private readonly fetchPage: FetchPage,
    options: EventWindowOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 200;
    this.maxPages = Math.max(2, options.maxPages ?? 24);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.pages.clear();
  }

  /** The event at `index`, if its page is in memory. */
  get(index: number): IndexedRunEvent | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  pagesInMemory(): number {
    return this.pages.size;
  }

  /** Whether the run's owner can be reached (null) or not (the line saying so). */
  setAway(line: string | null): void {
    if (line === this.away) return;
    this.away = line;
    this.changed();
  }

  /** The output grew (an `output` event): the old last page is refetched when next shown. */
  setTotal(total: number): void {
    if (total === this.total) return;
    if (total > this.total) {
      const lastPage = Math.floor(Math.max(0, this.total - 1) / this.pageSize);
      if (this.pages.has(lastPage)) this.stale.add(lastPage);
    }
    this.total = total;
    this.changed();
  }

  /** Make sure the rows `first..last` (inclusive) are loaded; the pages holding them are kept. */
  ensure(first: number, last: number): void {
    if (this.total === 0) return;
    const from = Math.floor(Math.max(0, first) / this.pageSize);
    const to = Math.floor(Math.min(this.total - 1, Math.max(first, last)) / this.pageSize);
    const wanted: number[] = [];
    for (let page = from; page <= to; page++) {
      const events = this.pages.get(page);
      if (events) {
        // Touch: most recently used moves to the end of the map.
        this.pages.delete(page);
        this.pages.set(page, events);
      }
      if ((!events || this.stale.has(page)) && !this.loading.has(page)) wanted.push(page);
    }
    for (const page of wanted) void this.load(page, new Set(range(from, to)));
  }

  /** Loads the first page; its answer tells how many events there are. */
  async start(): Promise<void> {
    await this.load(0, new Set([0]));
  }

  /** The result that answers a tool call, if both are in memory. */
  resultFor(toolUseId: string): ToolResult | undefined {
    return this.pairIndex().results.get(toolUseId);
  }

  /** The tool call a result answers, if it is in memory. */
  callFor(toolUseId: string): ToolUse | undefined {
    return this.pairIndex().uses.get(toolUseId);
  }

  private pairIndex() {
    if (this.pairs) return this.pairs;
    const results = new Map<string, ToolResult>();
    const uses = new Map<string, ToolUse>();
    for (const events of this.pages.values()) {
      for (const { event } of events) {
        if (event.type === 'tool_result') results.set(event.tool_use_id, event);
        else if (event.type === 'tool_use') uses.set(event.id, event);
      }
    }
    this.pairs = { results, uses };
    return this.pairs;
  }

  private async load(page: number, keep: ReadonlySet<number>): Promise<void> {
    this.loading.add(page);
    try {
      const result = await this.fetchPage(page * this.pageSize, this.pageSize);
      if (this.disposed) return;
      this.error = null;
      this.pages.delete(page);
      this.pages.set(page, result.events);
      this.stale.delete(page);
      if (result.total !== this.total) this.setTotal(result.total);
      this.evict(keep);
    } catch (error) {
      if (this.disposed) return;
      this.error = errorText(error);
    } finally {
      this.loading.delete(page);
      if (!this.disposed) this.changed();
    }
  }

  private evict(keep: ReadonlySet<number>): void {
    for (const page of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (!keep.has(page)) {
        this.pages.delete(page);
        this.stale.delete(page);
      }
    }
  }

  private changed(): void {
    this.pairs = null;
    this.version++;
    for (const listener of this.listeners) listener();
  }
}

function range(from: number, to: number): number[] {
  const pages: number[] = [];
  for (let page = from; page <= to; page++) pages.push(page);
  return pages;
}
