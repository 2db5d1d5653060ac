import WebSocket from 'ws';
import {
  AGENT_PROTOCOL_VERSION,
  AGENT_WS_PATH,
  CLOSE_CODES,
  HEARTBEAT_INTERVAL_S,
  MAX_AGENT_MESSAGE_BYTES,
  daemonFrame,
  parseCoordinatorMessage,
  type CoordinatorMessage,
  type DaemonMessage,
} from '../shared/agent-protocol';
import type { AgentdLog } from './agentd-log';
import { Backoff, holdingCap } from './backoff';
import { connectFailure, type Attempt, type ConnectFailure } from './connect-failure';
import { unreachable } from '../core/connecting/server-client';

/** What became of a message: sent, held back (not connected), or refused by the protocol's own check (one plain line). */
export type SendResult = 'sent' | 'offline' | { refused: string };

export interface ConnectionHandlers {
  /** Authenticated: time to register (return the agent.register message). */
  register(): DaemonMessage;
  message(message: CoordinatorMessage): void;
  /** Leases of the jobs it runs, for each heartbeat. */
  running(): string[];
  /** It holds jobs (running, or finished with a result owed): their leases run out unless it is back in time. None when absent. */
  holding?(): boolean;
  /** The coordinator refused the token or the protocol, or cannot be reached as configured: reconnecting cannot help (one line). */
  fatal(line: string): void;
  disconnected(): void;
}

export interface ConnectionOptions {
  /** One coordinator, or a team's several (each the holder in turn): tried in order. */
  urls: string[];
  token: string;
  version: string;
  /** The authorities to trust, read once at start (src/agentd/config.ts): a reconnect never reads a file again. */
  ca: string[] | null;
  /** The name it registers with, for its own log lines. */
  host: string;
  log: AgentdLog;
}

/** How long a stopping daemon waits for the coordinator to answer its goodbye. */
const CLOSE_WAIT_MS = 2_000;

/** How long opening the socket (TCP, TLS, the upgrade) may take. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** With a team's several coordinators, the longest wait between rounds of them: a standby may hold the lease any moment. */
const TEAM_RETRY_MS = 2_000;

/**
 * The daemon's one connection to the coordinator: opens the WebSocket, authenticates, registers,
 * heartbeats every 10 s, and after any drop reconnects with exponential backoff (1 s doubling to
 * 30 s, with jitter; while it holds jobs, about a third of the stall timeout at most). A refused
 * token or protocol is fatal: it would be refused forever.
 */
export class CoordinatorConnection {
  private ws: WebSocket | null = null;
  private readonly backoff = new Backoff();
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private lastHeard = 0;
  /** The coordinator says how often (auth.ok): three heartbeats fit in its stall timeout. */
  private intervalMs = HEARTBEAT_INTERVAL_S * 1000;
  /** The coordinator's stall timeout (auth.ok): held jobs' leases run out this long after its last word from here. */
  private stallMs: number | null = null;
  private registered = false;
  private closing = false;
  /** The URL tried now, and how many were tried since the last one that took this daemon in. */
  private at = 0;
  private triedSinceRegistered = 0;
  /** The coordinator's last refusal (an error message before it closes), in its whole length: a close's reason is cut short. */
  private refusal: string | null = null;
  /** The URLs that cannot be reached until a person changes something, with why: never tried again. */
  private readonly lasting = new Map<string, string>();

  constructor(
    private readonly o: ConnectionOptions,
    private readonly h: ConnectionHandlers,
  ) {}

  get ready(): boolean {
    return this.registered && this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.connect();
  }

  /** Sends when registered ('offline' otherwise: the caller keeps what must not be lost), if the coordinator would take it. */
  send(message: DaemonMessage): SendResult {
    if (!this.ready) return 'offline';
    return this.write(message);
  }

  /**
   * Says goodbye (CLOSE_CODES.stopping: its jobs stopped with it) and waits, at most CLOSE_WAIT_MS, for the
   * socket to close, so what was sent before it leaves this process before it exits.
   */
  close(): Promise<void> {
    this.closing = true;
    if (this.retry) clearTimeout(this.retry);
    this.stopHeartbeat();
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.close(CLOSE_CODES.stopping, 'agent daemon stopping');
    });
  }

  private get url(): string {
    return this.o.urls[this.at % this.o.urls.length] as string;
  }

  private wsUrl(): string {
    const base = this.url.replace(/^http/, 'ws');
    return `${base}${AGENT_WS_PATH}`;
  }

  private connect(): void {
    if (this.closing) return;
    const url = this.url;
    const ws = new WebSocket(this.wsUrl(), {
      maxPayload: MAX_AGENT_MESSAGE_BYTES,
      perMessageDeflate: false,
      ...(this.o.ca ? { ca: this.o.ca } : {}),
    });
    this.ws = ws;
    this.registered = false;
    this.refusal = null;
    // Its own handshake timer and HTTP answer, so a failure is told by its facts, not by the library's message.
    const attempt: Attempt = { response: null, timedOut: false, error: null };
    let opened = false;
    const handshake = setTimeout(() => {
      attempt.timedOut = true;
      ws.terminate();
    }, HANDSHAKE_TIMEOUT_MS);
    ws.on('unexpected-response', (_req, res) => {
      attempt.response = { status: res.statusCode ?? 0, location: res.headers.location ?? null };
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      opened = true;
      clearTimeout(handshake);
      this.lastHeard = Date.now();
      this.o.log.info(`connected to ${url}`);
      this.write({ type: 'auth', token: this.o.token, protocol: AGENT_PROTOCOL_VERSION, agent_version: this.o.version });
    });
    ws.on('message', (data: WebSocket.RawData) => {
      this.lastHeard = Date.now();
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      this.o.log.debug(`<- ${text}`);
      const parsed = parseCoordinatorMessage(text);
      if (!parsed.ok) {
        this.o.log.warn(`ignored a message from the coordinator: ${parsed.error}`);
        return;
      }
      this.receive(parsed.message);
    });
    ws.on('pong', () => {
      this.lastHeard = Date.now();
    });
    ws.on('error', (error: NodeJS.ErrnoException) => {
      if (opened) this.o.log.warn(`the connection to ${url} failed: ${unreachable(error)}`);
      else attempt.error ??= error;
    });
    ws.on('close', (code, reason) => {
      clearTimeout(handshake);
      if (opened) this.closed(ws, code, reason.toString('utf8'));
      else void connectFailure(url, attempt, this.o.ca !== null).then((failure) => this.notReached(ws, url, failure));
    });
  }

  private receive(message: CoordinatorMessage): void {
    if (message.type === 'auth.ok') {
      this.intervalMs = message.heartbeat_interval_s * 1000;
      this.stallMs = message.stall_timeout_s * 1000;
      this.write(this.h.register());
      return;
    }
    if (message.type === 'agent.registered') {
      this.registered = true;
      this.triedSinceRegistered = 0;
      this.backoff.reset();
      this.startHeartbeat();
    }
    // A refusal is followed by the close it explains: said once, then, as the line the daemon ends with.
    if (message.type === 'error' && (message.code === 'unauthorized' || message.code === 'version')) this.refusal = message.message;
    else if (message.type === 'error') this.o.log.warn(`coordinator: ${message.message}`);
    this.h.message(message);
  }

  private closed(ws: WebSocket, code: number, reason: string): void {
    if (this.ws !== ws) return;
    this.ws = null;
    const wasRegistered = this.registered;
    this.registered = false;
    this.stopHeartbeat();
    // Its own goodbye is no loss of the coordinator.
    if (wasRegistered && !this.closing) this.h.disconnected();
    if (this.closing) return;
    // Displaced: its jobs run elsewhere now; stopping them (fatal stops the daemon and its jobs) is what keeps them from running twice.
    if (
      code === CLOSE_CODES.unauthorized ||
      code === CLOSE_CODES.revoked ||
      code === CLOSE_CODES.version ||
      code === CLOSE_CODES.displaced ||
      code === CLOSE_CODES.scope
    ) {
      this.h.fatal(`the coordinator refused this daemon: ${this.refusal ?? (reason || 'refused by the coordinator')}`);
      return;
    }
    const { delay, another } = this.next();
    const seconds = (delay / 1000).toFixed(1);
    if (another && code !== CLOSE_CODES.duplicate && code !== CLOSE_CODES.replaced) {
      this.o.log.warn(`disconnected (${code}${reason ? `: ${reason}` : ''}); trying ${this.url}`);
    } else if (code === CLOSE_CODES.duplicate) {
      // Not fatal: the other connection may be a process that is going away (a restart of this daemon).
      this.o.log.error(
        `the coordinator refused this connection: another live daemon uses this token and host name (${this.o.host}); retrying in ${seconds} s`,
      );
    } else if (code === CLOSE_CODES.replaced) {
      this.o.log.error(
        `the coordinator replaced this connection: ${reason || "another connection took this daemon's place"}; reconnecting in ${seconds} s`,
      );
    } else this.o.log.warn(`disconnected (${code}${reason ? `: ${reason}` : ''}); reconnecting in ${seconds} s`);
    this.retry = setTimeout(() => this.connect(), delay);
  }

  /**
   * The socket never opened. A transient failure is retried with backoff, in one line each time; a lasting one (a
   * wrong scheme or path, an untrusted certificate) is said once, its URL left out from then on, and with none left
   * the daemon ends: retried for ever, it only repeated the same line.
   */
  private notReached(ws: WebSocket, url: string, failure: ConnectFailure): void {
    if (this.ws !== ws) return;
    this.ws = null;
    if (this.closing) return;
    if (failure.lasting) {
      this.lasting.set(url, failure.line);
      if (this.lasting.size === this.o.urls.length) {
        this.h.fatal(`cannot connect to the coordinator, and waiting will not change it: ${[...this.lasting.values()].join('; ')}`);
        return;
      }
      this.o.log.error(`${failure.line}; it is not tried again`);
    }
    const { delay } = this.next();
    if (!failure.lasting)
      this.o.log.warn(
        `cannot reach ${url}: ${failure.line}; ${delay === 0 ? `trying ${this.url}` : `trying again in ${(delay / 1000).toFixed(1)} s`}`,
      );
    this.retry = setTimeout(() => this.connect(), delay);
  }

  /**
   * The next URL to try and how long to wait first. A team's coordinators: the next URL at once (the one that went
   * may have handed over to it), and the backoff's wait only once each was tried. One whose address is wrong is skipped.
   */
  private next(): { delay: number; another: boolean } {
    const live = this.o.urls.length - this.lasting.size;
    this.triedSinceRegistered++;
    const another = live > 1 && this.triedSinceRegistered < live;
    if (this.o.urls.length > 1) {
      do this.at = (this.at + 1) % this.o.urls.length;
      while (this.lasting.has(this.url));
    }
    // While it holds jobs, never so long that their leases run out meanwhile (the coordinator's restart gives them one stall timeout).
    const backoff = another ? 0 : this.backoff.next(holdingCap(this.h.holding?.() ?? false, this.stallMs));
    return { delay: this.o.urls.length > 1 ? Math.min(backoff, TEAM_RETRY_MS) : backoff, another };
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      const ws = this.ws;
      if (!ws) return;
      // Frozen, suspended, or a half-open TCP connection: nothing will ever arrive; start over.
      // Without a word (a message or a pong) for three heartbeats, the connection is taken for dead.
      if (Date.now() - this.lastHeard > 3 * this.intervalMs) {
        this.o.log.warn('no word from the coordinator; reconnecting');
        ws.terminate();
        return;
      }
      ws.ping();
      this.write({ type: 'agent.heartbeat', running: this.h.running() });
    }, this.intervalMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /**
   * Checked first as the coordinator will check it (the same schema, the socket's limit): a message it
   * would refuse is not sent, and one over the limit would drop the connection (1009) with every job's.
   */
  private write(message: DaemonMessage): SendResult {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return 'offline';
    const frame = daemonFrame(message);
    if (!frame.ok) {
      this.o.log.warn(`not sent to the coordinator (${message.type}): ${frame.error}`);
      return { refused: frame.error };
    }
    this.o.log.debug(`-> ${frame.text}`);
    ws.send(frame.text);
    return 'sent';
  }
}
