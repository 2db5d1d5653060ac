import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A network hop of our own for the benches and tests: a TCP proxy on 127.0.0.1 that forwards every connection to a
 * server (PostgreSQL's unix socket, or a TCP port) and holds each chunk `delayMs` in each direction, as a network with
 * a round-trip time of twice that would (5 ms each way: RTT 10 ms, a same-region network). Each direction is one
 * queue drained by one timer, so a chunk never overtakes the one before it, even when the delay is changed meanwhile.
 *
 * It also counts round trips as a client feels them: a burst of client → server data that begins after the client was
 * answered (something came back to it since its previous burst) is one trip; a fresh connection's first burst is one
 * too (PostgreSQL's startup). So three statements sent one after another are three trips, and three sent in one go
 * (pipelined, or one multi-statement query) are one. Server chunks count once they reach the client, not when they
 * reach the proxy: until then the client cannot act on them.
 */
export interface DelayProxyOptions {
  /** Where each connection is forwarded: a unix socket's path (PostgreSQL's `<folder>/.s.PGSQL.5432`) or a TCP port. */
  target: { path: string } | { host: string; port: number };
  /** Milliseconds each chunk is held, in each direction (default 5). */
  delayMs?: number;
  /** The port to listen on, on 127.0.0.1 (default: any free one). */
  port?: number;
}

export interface DelayProxy {
  /** 127.0.0.1's port it listens on. */
  port: number;
  /** Client → server bursts so far that followed an answer (see above), over every connection. */
  roundTrips(): number;
  /** Connections accepted so far. */
  connections(): number;
  /** The delay each way from now on (chunks already held keep their place in the queue). */
  setDelay(ms: number): void;
  /** Stops listening and cuts every connection. */
  close(): Promise<void>;
}

/** Bytes held in one direction before its sender is paused: a slow reader must not make the proxy hold everything. */
const HELD_LIMIT = 4 * 1024 * 1024;
/** A timer may fire this early (libuv keeps time in whole milliseconds); a chunk due that soon goes now. */
const EARLY_MS = 0.25;

/** One direction of one connection: chunks in arrival order, each sent once its delay has passed. */
class HeldDirection {
  private readonly queue: Array<{ due: number; chunk: Buffer }> = [];
  private timer: NodeJS.Timeout | null = null;
  private held = 0;
  private ended = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly delayMs: () => number,
    private readonly delivered: () => void = () => {},
  ) {
    from.on('data', (chunk: Buffer) => this.hold(chunk));
    from.on('end', () => {
      this.ended = true;
      this.drain();
    });
    to.on('drain', () => {
      if (this.held < HELD_LIMIT) from.resume();
    });
  }

  private hold(chunk: Buffer): void {
    this.queue.push({ due: performance.now() + this.delayMs(), chunk });
    this.held += chunk.length;
    if (this.held >= HELD_LIMIT) this.from.pause();
    if (!this.timer) this.drain();
  }

  private drain(): void {
    this.timer = null;
    const now = performance.now();
    let head = this.queue[0];
    while (head && head.due <= now + EARLY_MS) {
      this.queue.shift();
      this.held -= head.chunk.length;
      if (this.to.writable) {
        const flowing = this.to.write(head.chunk);
        if (flowing && this.held < HELD_LIMIT) this.from.resume();
      }
      this.delivered();
      head = this.queue[0];
    }
    if (head) this.timer = setTimeout(() => this.drain(), Math.max(1, Math.ceil(head.due - now)));
    else if (this.ended && this.to.writable) this.to.end();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }
}

export function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  let delayMs = options.delayMs ?? 5;
  let trips = 0;
  let accepted = 0;
  const open = new Set<Socket>();

  // Half-open both ways: a side's end is passed on once what it sent before has been, not at once.
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    accepted++;
    const upstream = connect({ ...options.target, allowHalfOpen: true });
    // Our own hop adds no Nagle wait: the delay is the only one.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    open.add(client);
    open.add(upstream);
    // A fresh connection's first burst is a trip: nothing has answered it yet.
    let answered = true;
    client.on('data', () => {
      if (answered) trips++;
      answered = false;
    });
    const answer = () => {
      answered = true;
    };
    const toServer = new HeldDirection(client, upstream, () => delayMs);
    const toClient = new HeldDirection(upstream, client, () => delayMs, answer);
    const cut = () => {
      toServer.stop();
      toClient.stop();
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', () => open.delete(client));
    upstream.on('close', () => open.delete(upstream));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        roundTrips: () => trips,
        connections: () => accepted,
        setDelay: (ms) => {
          delayMs = ms;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of open) socket.destroy();
            open.clear();
            server.close(() => done());
          }),
      });
    });
  });
}
