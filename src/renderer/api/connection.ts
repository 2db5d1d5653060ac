import { OpError } from './op-error';

/** Whether the coordinator serving the window answers, and since when it has not. */
export interface ConnectionState {
  reachable: boolean;
  /** When the link broke (ms): the open event stream brought every change until then, so the view is as of it. */
  lostAt: number | null;
}

/** A broken event stream reconnects in about a second (the daemon's `retry: 1000`): only a longer silence is told. */
export const STREAM_GRACE_MS = 2000;

/**
 * What a person reads when a request never reached the coordinator (connection refused, the network down), in the
 * window's words: fetch's own ("Failed to fetch") names the browser's internals, not what happened or what to do.
 */
export const UNREACHABLE_TEXT = 'Not done: the coordinator is not answering. The window reconnects by itself; try again once it is back.';

/** The code of that failure, told apart from the daemon's own 'unavailable' (it answered: it is there). */
export const UNREACHABLE_CODE = 'unreachable';

/** What a page shows in place of what it could not load for that reason (an action's words would not fit). */
export const UNREACHABLE_READ_TEXT = 'The coordinator is not answering; this shows once it is back.';

/** A request that never reached the coordinator (the transport's own failure, not a refusal). */
export function isUnreachable(error: unknown): boolean {
  return error instanceof OpError && error.code === UNREACHABLE_CODE;
}

const REACHABLE: ConnectionState = { reachable: true, lostAt: null };

/**
 * Browser mode's link to the coordinator, seen from both ways the window talks to it: the event stream (open or
 * broken) and each operation (answered, or the request never reached it). In Electron the coordinator runs in the
 * app's own process, so no backend there has one and the window is always connected.
 */
export class ConnectionWatch {
  private state: ConnectionState = REACHABLE;
  private readonly listeners = new Set<() => void>();
  private grace: ReturnType<typeof setTimeout> | null = null;
  /** When the stream broke, during its grace. */
  private brokeAt: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  readonly getState = (): ConnectionState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Something came back from the coordinator (an operation's reply, the event stream opened). */
  answered(): void {
    this.cancelGrace();
    this.set(REACHABLE);
  }

  /** A request could not reach it at all: told at once, as the person is waiting on that request. */
  unreachable(): void {
    const since = this.brokeAt ?? this.now();
    this.cancelGrace();
    if (this.state.reachable) this.set({ reachable: false, lostAt: since });
  }

  /** The event stream broke: the coordinator may be restarting it or gone; told if it is not back soon. */
  streamBroke(): void {
    if (this.grace || !this.state.reachable) return;
    const since = this.now();
    this.brokeAt = since;
    this.grace = setTimeout(() => {
      this.grace = null;
      this.brokeAt = null;
      if (this.state.reachable) this.set({ reachable: false, lostAt: since });
    }, STREAM_GRACE_MS);
  }

  private cancelGrace(): void {
    if (this.grace) clearTimeout(this.grace);
    this.grace = null;
    this.brokeAt = null;
  }

  private set(next: ConnectionState): void {
    if (next.reachable === this.state.reachable && next.lostAt === this.state.lostAt) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
