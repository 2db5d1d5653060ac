import type { DatabaseOutageStatus } from '../../shared/service-types';
import { errorText } from '../../shared/errors';
import { inBackground } from '../engine-log';
import { DatabaseUnreachableError, isConnectionLost } from '../store/sql-connection';

/** The first retry after the database was found away, and the longest wait between two (each wait doubles). */
const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 5_000;

/** What the parts of the coordinator that write from an event (a daemon's message, a timer, a request) need of it. */
export interface StoreOutage {
  /**
   * `error` met a database that cannot be reached: noted (said once, retried with backoff), and true; the caller
   * keeps going without what it failed to write (or hands it to `whenBack`). False for any other failure, which is
   * the caller's own to handle as before.
   */
  noted(error: unknown): boolean;
  /** Work that must reach the database: done, in the order given, one at a time, once it answers again. */
  whenBack(what: string, work: () => Promise<void>): void;
}

/**
 * For parts built without a coordinator around them (a test's): every failure is theirs, as before. Nothing is noted,
 * so nothing is ever handed over to wait; work that is would wait for ever, and is refused in one line instead.
 */
export const NO_OUTAGES: StoreOutage = {
  noted: () => false,
  whenBack: (what) => {
    throw new Error(`${what} cannot wait for the database here: nothing keeps its outages`);
  },
};

export interface DatabaseOutageOptions {
  /** A read that succeeds only while the database answers. */
  probe(): Promise<unknown>;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
  now?: () => number;
}

interface Waiting {
  what: string;
  work: () => Promise<void>;
}

/** What a caller on another machine is told of it: it neither sees nor acts on the coordinator's database. */
const ELSEWHERE = "the coordinator cannot use its database now; 'wg service status' on its machine says why";

/**
 * What a caller of the coordinator (a request of its API, a job's `wg`) is told of a database that cannot be reached:
 * the store's own line here, and for a caller on another machine only that the coordinator cannot use it now (a write
 * the lost connection ended carries no such words of its own). Still a lost connection, so that whatever relays it
 * knows it for one.
 */
export function databaseAwayError(error: unknown): DatabaseUnreachableError {
  return error instanceof DatabaseUnreachableError ? error : new DatabaseUnreachableError(errorText(error), ELSEWHERE);
}

/**
 * The coordinator's one view of whether its database answers (a team's PostgreSQL server restarting or failing over).
 * Whatever part meets a lost connection says so here; the coordinator then stays up with its runs and its agent
 * daemons' jobs, says once that the database cannot be reached (and once that it answers again), shows it in
 * `wg service status` meanwhile, and tries again with backoff: the work that waited is done, in order, once it answers.
 */
export class DatabaseOutage implements StoreOutage {
  private sinceMs: number | null = null;
  private lastError = '';
  /** Every lost connection noted, so that the waiting work done can tell that the outage came back while it ran. */
  private failures = 0;
  private retryMs = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | null = null;
  private waiting: Waiting[] = [];
  /**
   * The waiting work being done now. One run at a time: its work is awaited one by one, and a renewal of the lease or
   * a retry that finds the database meanwhile joins it rather than doing the same work beside it.
   */
  private draining: Promise<void> | null = null;
  private closed = false;
  private readonly now: () => number;
  private readonly backListeners: Array<() => void> = [];

  constructor(private readonly o: DatabaseOutageOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The database answers again, after an outage: what waited for a commit (a turn, a dispatch) is looked at now. */
  onBack(listener: () => void): void {
    this.backListeners.push(listener);
  }

  noted(error: unknown): boolean {
    if (!isConnectionLost(error)) return false;
    if (this.closed) return true;
    this.failures++;
    this.lastError = errorText(error);
    if (this.sinceMs === null) {
      this.sinceMs = this.now();
      this.o.log.warn(
        `the database cannot be reached (${this.lastError}): this coordinator keeps its runs and its agent daemons' jobs, holds what it must write, and tries again`,
      );
    }
    this.schedule();
    return true;
  }

  whenBack(what: string, work: () => Promise<void>): void {
    if (this.closed) return;
    this.waiting.push({ what, work });
    this.schedule();
  }

  status(): DatabaseOutageStatus | null {
    if (this.sinceMs === null) return null;
    return { since: new Date(this.sinceMs).toISOString(), last_error: this.lastError, waiting: this.waiting.length };
  }

  /**
   * Something reached the database (a renewal of the coordinator's lease, a retry): what waited is done now, in order,
   * and the outage, if there was one, is over once it all is.
   */
  reached(): Promise<void> {
    if (this.closed || (this.sinceMs === null && this.waiting.length === 0)) return Promise.resolve();
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  /** The coordinator stops: nothing more is retried (its store closes, which is no outage). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waiting = [];
  }

  private async drain(): Promise<void> {
    const failuresBefore = this.failures;
    let done = 0;
    // Work handed over while this runs (another part met the outage a moment before it ended) is done after the rest.
    for (let next = this.waiting[0]; next && !this.closed; next = this.waiting[0]) {
      try {
        await next.work();
      } catch (error) {
        // Away again: it and the rest wait, it first in line.
        if (this.noted(error)) break;
        this.o.log.error(`${next.what} failed once the database answered again: ${errorText(error)}`);
      }
      if (this.waiting[0] === next) this.waiting.shift();
      done++;
      // It met the outage again and waits anew (its own handling handed it over again), or another part did: the rest
      // wait with it.
      if (this.failures !== failuresBefore) break;
    }
    if (this.closed || this.failures !== failuresBefore || this.sinceMs === null) return;
    const seconds = Math.round((this.now() - this.sinceMs) / 1000);
    this.sinceMs = null;
    this.retryMs = FIRST_RETRY_MS;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.o.log.info(`the database answers again, after ${seconds} s${done > 0 ? `: ${done} write(s) that waited for it are made` : ''}`);
    for (const listener of this.backListeners) listener();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(LONGEST_RETRY_MS, this.retryMs * 2);
    this.timer = setTimeout(() => inBackground(this.retry(), (line) => this.o.log.error(line), 'a look at the database'), delay);
    this.timer.unref();
  }

  private async retry(): Promise<void> {
    this.timer = null;
    if (this.closed) return;
    // The first work that waits is the look itself; with none, a read.
    if (this.waiting.length === 0) {
      try {
        await this.o.probe();
      } catch (error) {
        if (this.noted(error)) return;
        // The server answered, with a refusal of its own: it is reachable.
      }
    }
    await this.reached();
  }
}
