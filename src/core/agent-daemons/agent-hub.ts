import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  AGENT_PROTOCOL_VERSION,
  AGENT_WS_PATH,
  AUTH_TIMEOUT_MS,
  failureWithoutRun,
  CLOSE_CODES,
  HEARTBEAT_INTERVAL_S,
  MAX_AGENT_MESSAGE_BYTES,
  megabytes,
  parseDaemonMessage,
  utf8Bytes,
  type CoordinatorMessage,
  type DaemonMessage,
  type RefusedAbout,
  type RegisterMessage,
} from '../../shared/agent-protocol';
import type { AgentTokenInfo } from '../../shared/agent-daemon-types';
import { redactSecrets } from '../../shared/secret-text';
import type { DaemonConnection } from './daemon-registry';
import { outsideToken, scopeRefusal } from './token-scope';
import type { ApiError } from '../../shared/api-contract';
import { errorText } from '../../shared/errors';
import { inBackground } from '../engine-log';

export interface HubHandlers {
  authenticate(token: string): Promise<{ ok: true; token: AgentTokenInfo } | { ok: false; reason: string }>;
  /** agent.register on an authenticated connection: answers which held jobs it keeps. */
  register(daemon: DaemonConnection, message: RegisterMessage): Promise<{ keep: string[]; drop: string[] }>;
  message(daemon: DaemonConnection, message: DaemonMessage): Promise<void>;
  /** A registered connection closed, with this code (its leases stay until they expire or a reconnect claims them, unless it said goodbye). */
  closed(daemon: DaemonConnection, code: number): Promise<void>;
  /** The registered connection with the same identity (token and host name) as this newcomer, if any. */
  rival(newcomer: DaemonConnection): DaemonConnection | undefined;
  /**
   * The registered connection gives way to a newcomer with its identity. `sameDaemon`: the newcomer
   * proved it is the same process (its instance), and keeps the jobs; otherwise they are settled here.
   */
  replaced(old: DaemonConnection, reason: string, sameDaemon: boolean): Promise<void>;
  /** A registered connection said nothing for this long: it is closed as stalled. */
  silenceMs(): number;
  /**
   * A failure of `authenticate`, `register` or `replaced` met a database that cannot be reached: noted, and true; the
   * connection is then asked to try again later (its daemon keeps its jobs). Any other failure is handled as before.
   */
  unreachable?(error: unknown): boolean;
  /** --log-level debug on the coordinator side: every frame in and out. */
  debug?(line: string): void;
  log: { info(message: string): void; warn(message: string): void };
}

/** How long a registered connection has to answer a ping when another process claims its identity. */
const PROBE_MS = 5000;

/** Invalid messages in a row before a connection is closed: a client that keeps talking nonsense gets no more answers. */
const MAX_INVALID_IN_A_ROW = 20;

/** A frame larger than an agent daemon takes: its size and the limit. */
export interface OversizedFrame {
  bytes: number;
  limit: number;
}

/**
 * Whether a message is larger than an agent daemon's connection carries (MAX_AGENT_MESSAGE_BYTES): its
 * socket drops the whole connection on such a frame (1009), every job's with it, and the daemon comes
 * back to be sent it again. Null when it fits. For what the coordinator does not size itself (a task's
 * prompt, an operation's output), before it is sent; every send is measured again here regardless.
 */
export function frameTooLarge(message: CoordinatorMessage): OversizedFrame | null {
  return oversized(utf8Bytes(JSON.stringify(message)));
}

const oversized = (bytes: number): OversizedFrame | null =>
  bytes > MAX_AGENT_MESSAGE_BYTES ? { bytes, limit: MAX_AGENT_MESSAGE_BYTES } : null;

/** The answer a job's `wg` gets instead of one its daemon's connection cannot carry: refused, in one plain line. */
function answerTooLarge(message: Extract<CoordinatorMessage, { type: 'job.op.result' }>, size: OversizedFrame): CoordinatorMessage {
  return {
    type: 'job.op.result',
    lease_id: message.lease_id,
    request_id: message.request_id,
    ok: false,
    error: {
      code: 'invalid',
      message: `the answer is larger than an agent daemon's connection carries (${megabytes(size.bytes)}, at most ${megabytes(size.limit)})`,
    },
  };
}

/**
 * The agent daemons' WebSocket on the API server (`ws` with noServer; the server's `upgrade` on
 * /api/agents/ws). Every frame is parsed against the protocol's schemas; one that does not validate
 * is answered with an error and changes nothing. The first frame must authenticate, within a few
 * seconds; oversized frames are refused by the socket itself (close 1009).
 */
/** The HTTP API's check of a request's Host, which throws when the Host is not allowed (service/http/guard.ts). */
export type HostCheck = (req: IncomingMessage) => void;

export class AgentHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_AGENT_MESSAGE_BYTES, perMessageDeflate: false });
  private seq = 0;
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly h: HubHandlers) {}

  /** `checkHost`: the HTTP API's own Host check for the server's transport (it throws on a Host not allowed). */
  attach(server: Server, checkHost: HostCheck): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== AGENT_WS_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const refusal = upgradeRefusal(req, checkHost);
      if (refusal) {
        this.h.log.warn(`agent socket from ${req.socket.remoteAddress ?? 'unknown'} refused: ${refusal}`);
        // The same shape as every refusal of the HTTP API.
        const body = JSON.stringify({ error: refusal, code: 'forbidden' } satisfies ApiError);
        socket.end(
          `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
    });
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Closes these daemons' connections (their tokens were revoked), at once. */
  closeToken(daemons: readonly DaemonConnection[]): void {
    for (const daemon of daemons) daemon.close(CLOSE_CODES.revoked, 'agent token revoked');
  }

  close(): void {
    for (const ws of this.sockets) ws.close(CLOSE_CODES.shutdown, 'coordinator stopping');
    this.wss.close();
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    this.sockets.add(ws);
    const peer = req.socket.remoteAddress ?? 'unknown';
    let token: AgentTokenInfo | null = null;
    let daemon: DaemonConnection | null = null;
    /** agent.register is being weighed against a live connection with the same identity. */
    let admitting = false;
    let invalidInARow = 0;
    const send = (message: CoordinatorMessage): boolean => {
      if (ws.readyState !== ws.OPEN) return false;
      let text = JSON.stringify(message);
      const size = oversized(utf8Bytes(text));
      if (size) {
        const to = `agent daemon ${daemon?.host ?? peer}`;
        if (message.type !== 'job.op.result') {
          // Sent, it would drop the daemon's connection with every job's on it; its sender hears it was not sent.
          this.h.log.warn(`not sent to ${to}: its ${message.type} is ${megabytes(size.bytes)}, more than its connection carries`);
          return false;
        }
        this.h.log.warn(`the answer to a wg command from ${to} is ${megabytes(size.bytes)}: refused instead`);
        text = JSON.stringify(answerTooLarge(message, size));
      }
      this.h.debug?.(`-> ${daemon?.host ?? peer}: ${redactSecrets(text)}`);
      ws.send(text);
      return true;
    };
    const refuse = (code: number, kind: 'unauthorized' | 'version', text: string) => {
      send({ type: 'error', code: kind, message: text });
      ws.close(code, text.slice(0, 120));
    };
    // The coordinator cannot tell who it is or what it holds without its database: no refusal (the daemon would
    // stop), a close that asks it to try again; it keeps its jobs meanwhile.
    const askLater = (who: string): void => {
      this.h.log.warn(`agent daemon ${who} asked to connect again later: the coordinator cannot reach its database`);
      ws.close(CLOSE_CODES.tryAgain, 'the coordinator cannot reach its database now; try again');
    };
    // Too slow to authenticate is not a refusal: a daemon frozen or starved while it connected tries again.
    const authTimer = setTimeout(() => ws.close(CLOSE_CODES.stalled, 'no auth message in time'), AUTH_TIMEOUT_MS);
    // Any frame resets it; a connection silent past the stall timeout is dropped at once (a frozen
    // peer never completes a closing handshake, and meanwhile it must not be given work).
    const silence = setTimeout(() => ws.terminate(), this.h.silenceMs());
    silence.unref();

    ws.on('error', (error) => this.h.log.warn(`agent socket from ${peer}: ${error.message}`));
    ws.on('close', (code: number) => {
      clearTimeout(authTimer);
      clearTimeout(silence);
      this.sockets.delete(ws);
      if (daemon)
        inBackground(this.h.closed(daemon, code), (m) => this.h.log.warn(m), `the end of agent daemon ${daemon.host}'s connection`);
    });
    // One message at a time, in the order they came: a message's work awaits the store, and the next one (a
    // registration after its auth, a result after its heartbeat) must find that work done. What one meets (the
    // database away a moment) is said and the connection kept: the daemon's next heartbeat or resend goes on.
    let inbox: Promise<void> = Promise.resolve();
    ws.on('message', (data: RawData, binary: boolean) => {
      silence.refresh();
      if (daemon) daemon.lastHeardMs = Date.now();
      inbox = inbox
        .then(() => handle(data, binary))
        .catch((error: unknown) =>
          this.h.log.warn(`a message from agent daemon ${daemon?.host ?? peer} was not handled: ${errorText(error)}`),
        );
    });
    const handle = async (data: RawData, binary: boolean): Promise<void> => {
      const text = binary ? null : rawText(data);
      // A daemon's auth frame carries its agent token: no log line may.
      if (text !== null) this.h.debug?.(`<- ${daemon?.host ?? peer}: ${redactSecrets(text)}`);
      const parsed = text === null ? { ok: false as const, error: 'messages are JSON text, not binary' } : parseDaemonMessage(text);
      if (!parsed.ok) {
        invalidInARow++;
        if (!token) return refuse(CLOSE_CODES.unauthorized, 'unauthorized', `authenticate first (${parsed.error})`);
        if (daemon && parsed.about && (await this.refusedAboutJob(daemon, parsed.about, parsed.error, send))) return;
        send({ type: 'error', code: 'invalid', message: `message refused: ${parsed.error}` });
        if (invalidInARow >= MAX_INVALID_IN_A_ROW) ws.close(1008, 'too many invalid messages');
        return;
      }
      invalidInARow = 0;
      const message = parsed.message;
      if (!token) {
        if (message.type !== 'auth')
          return refuse(CLOSE_CODES.unauthorized, 'unauthorized', 'authenticate first (an auth message with an agent token)');
        if (message.protocol !== AGENT_PROTOCOL_VERSION) {
          return refuse(
            CLOSE_CODES.version,
            'version',
            `protocol ${message.protocol} is not spoken here (this coordinator speaks ${AGENT_PROTOCOL_VERSION}); update wg on one side`,
          );
        }
        let result: Awaited<ReturnType<HubHandlers['authenticate']>>;
        try {
          result = await this.h.authenticate(message.token);
        } catch (error) {
          if (!this.h.unreachable?.(error)) throw error;
          return askLater(`from ${peer}`);
        }
        if (!result.ok) {
          this.h.log.warn(`agent daemon from ${peer} refused: ${result.reason}`);
          return refuse(CLOSE_CODES.unauthorized, 'unauthorized', result.reason);
        }
        clearTimeout(authTimer);
        token = result.token;
        send({
          // Three heartbeats fit in a stall timeout, so one lost heartbeat never costs a lease.
          type: 'auth.ok',
          protocol: AGENT_PROTOCOL_VERSION,
          token_name: token.name,
          heartbeat_interval_s: Math.min(HEARTBEAT_INTERVAL_S, this.h.silenceMs() / 3000),
          stall_timeout_s: this.h.silenceMs() / 1000,
        });
        return;
      }
      if (message.type === 'auth') {
        send({ type: 'error', code: 'conflict', message: 'already authenticated' });
        return;
      }
      if (message.type === 'agent.register') {
        if (daemon || admitting) {
          send({ type: 'error', code: 'conflict', message: 'already registered; send agent.capabilities to change what you offer' });
          return;
        }
        const outside = outsideToken(token, message);
        const refusal = scopeRefusal(token, message.repos, outside);
        if (refusal) {
          this.h.log.warn(`agent daemon ${message.host} refused: ${refusal}`);
          return refuse(CLOSE_CODES.scope, 'unauthorized', refusal);
        }
        admitting = true;
        const candidate = this.connection(token, message, ws, send);
        // Weighed apart (a live rival is pinged first): meanwhile this connection's other messages are told to register first.
        void this.admit(candidate)
          .then(async (admitted) => {
            if (!admitted || ws.readyState !== ws.OPEN) return;
            const { keep, drop } = await this.h.register(candidate, message);
            daemon = candidate;
            send({ type: 'agent.registered', daemon_id: candidate.id, keep, drop, ...(outside ? { outside_token: outside } : {}) });
          })
          .catch((error: unknown) => {
            // Not registered: the daemon hears it and connects again, keeping its jobs. Said once for the database
            // away (the outage says it), once per daemon for anything else.
            if (this.h.unreachable?.(error)) return askLater(message.host);
            this.h.log.warn(`agent daemon ${message.host} was not registered: ${errorText(error)}`);
            ws.close(CLOSE_CODES.shutdown, 'not registered now; try again');
          })
          .finally(() => {
            admitting = false;
          });
        return;
      }
      if (!daemon) {
        send({ type: 'error', code: 'conflict', message: 'register first (agent.register)' });
        return;
      }
      await this.h.message(daemon, message);
    };
  }

  /**
   * A refused message that names one of the daemon's jobs is answered about that job, so nothing waits
   * on it and nothing is sent again: a refused result or failure is the job's failure, recorded once
   * (the session judges its lease as any end's) and acknowledged; a refused `wg` command is answered
   * as refused. Left unanswered, a result was resent after every reconnect until its lease ran out and
   * the task ran again, and a job's `wg` waited a minute for its answer.
   */
  private async refusedAboutJob(
    daemon: DaemonConnection,
    about: RefusedAbout,
    error: string,
    send: (message: CoordinatorMessage) => boolean,
  ): Promise<boolean> {
    const lease = about.lease_id;
    if (lease === null) return false;
    if (about.type === 'job.op' && about.request_id !== null) {
      send({
        type: 'job.op.result',
        lease_id: lease,
        request_id: about.request_id,
        ok: false,
        error: { code: 'invalid', message: `the command was refused: ${error}`.slice(0, 4000) },
      });
      return true;
    }
    if (about.type !== 'ticket.result' && about.type !== 'ticket.fail') return false;
    const what = about.type === 'ticket.result' ? 'result' : 'failure report';
    this.h.log.warn(`refused the ${what} of lease ${lease.slice(0, 8)} from agent daemon ${daemon.host}: ${error}`);
    send({
      type: 'error',
      code: 'invalid',
      lease_id: lease,
      message: `the ${what} of lease ${lease.slice(0, 8)} was refused (${error}); it is taken as the job's failure`,
    });
    await this.h.message(daemon, failureWithoutRun(lease, 'error', `its ${what} could not be read (${error})`));
    return true;
  }

  /**
   * One live connection per daemon identity (its token and host name). A newcomer that carries the
   * registered connection's instance is that daemon reconnecting (its old connection is half-open):
   * it takes over, and keeps its jobs. Another instance is another process: refused while the
   * registered one answers a ping; if it does not, that one is gone, its jobs are settled once, it is
   * told (if it ever reads again), and the newcomer is admitted.
   */
  private async admit(newcomer: DaemonConnection): Promise<boolean> {
    const rival = this.h.rival(newcomer);
    if (!rival) return true;
    if (rival.instance === newcomer.instance) {
      await this.h.replaced(
        rival,
        `agent daemon ${rival.host} reconnected (${newcomer.id}); this connection (${rival.id}) is replaced`,
        true,
      );
      return true;
    }
    if (await rival.probe(Math.min(PROBE_MS, this.h.silenceMs() / 2))) {
      const reason = `a live agent daemon is already connected as ${newcomer.host} with token '${newcomer.token.name}' (${rival.id}); one connection per daemon: give this one another host name (--host), or revoke the token if the other is not yours`;
      this.h.log.warn(`refused a second connection as ${newcomer.host} (token ${newcomer.token.name}): ${rival.id} answers`);
      newcomer.send({ type: 'error', code: 'conflict', message: reason });
      newcomer.close(CLOSE_CODES.duplicate, 'another live connection has this token and host name');
      return false;
    }
    // Gone meanwhile (its close already ran): nothing of it to settle.
    if (this.h.rival(newcomer) !== rival) return true;
    await this.h.replaced(
      rival,
      `agent daemon ${rival.host} (${rival.id}) stopped answering and another process connected with its token and host name; its jobs there are lost`,
      false,
    );
    return true;
  }

  private connection(token: AgentTokenInfo, m: RegisterMessage, ws: WebSocket, send: DaemonConnection['send']): DaemonConnection {
    const seq = ++this.seq;
    const now = new Date().toISOString();
    return {
      id: `${m.host}#${seq}`,
      seq,
      token,
      host: m.host,
      instance: m.instance,
      wg: m.wg,
      version: m.version,
      roles: m.roles,
      repos: m.repos,
      clis: m.clis,
      capacity: m.capacity,
      leases: new Set(),
      connectedAt: now,
      lastHeartbeat: now,
      downgradedUntilMs: null,
      downgradeReason: null,
      lastHeardMs: Date.now(),
      send,
      close: (code, reason) => ws.close(code, reason),
      terminate: () => ws.terminate(),
      probe: (timeoutMs) => probe(ws, timeoutMs),
    };
  }
}

/**
 * The HTTP API's own Host check (DNS rebinding: a page that resolved its name to 127.0.0.1 still
 * sends its Host), and no Origin at all: an agent daemon never sends one, a browser always does,
 * and no page of ours opens this socket.
 */
function upgradeRefusal(req: IncomingMessage, checkHost: HostCheck): string | null {
  try {
    checkHost(req);
  } catch (error) {
    return error instanceof Error ? error.message : 'host not allowed';
  }
  const origin = req.headers.origin;
  return origin === undefined ? null : `origin '${origin}' is not allowed on the agent socket`;
}

/** Whether the peer answers a ping (ws answers pings by itself) or sends anything within the time. */
function probe(ws: WebSocket, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (ws.readyState !== ws.OPEN) return resolve(false);
    const done = (alive: boolean) => {
      clearTimeout(timer);
      ws.off('pong', yes);
      ws.off('message', yes);
      ws.off('close', no);
      resolve(alive);
    };
    const yes = () => done(true);
    const no = () => done(false);
    const timer = setTimeout(no, timeoutMs);
    ws.on('pong', yes);
    ws.on('message', yes);
    ws.on('close', no);
    ws.ping();
  });
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
