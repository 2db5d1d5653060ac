import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { AGENT_WS_PATH, parseDaemonMessage, type CoordinatorMessage, type DaemonMessage } from '../../../src/shared/agent-protocol';

/**
 * The coordinator's end of the protocol, driven by the test: it accepts any token, answers auth and
 * register, and records everything the (real) daemon sends, validated with the protocol's schemas.
 */
export class FakeCoordinator {
  readonly received: DaemonMessage[] = [];
  private socket: WebSocket | null = null;
  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeCoordinator> {
    const server = createServer();
    const wss = new WebSocketServer({ server, path: AGENT_WS_PATH });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeCoordinator(server, wss, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    wss.on('connection', (ws) => fake.accept(ws));
    return fake;
  }

  private accept(ws: WebSocket): void {
    this.socket = ws;
    ws.on('message', (data: Buffer) => {
      const parsed = parseDaemonMessage(data.toString('utf8'));
      if (!parsed.ok) throw new Error(`the daemon sent an invalid message: ${parsed.error}`);
      this.received.push(parsed.message);
      if (parsed.message.type === 'auth')
        this.send({ type: 'auth.ok', protocol: 1, token_name: 't', heartbeat_interval_s: 1, stall_timeout_s: 3 });
      if (parsed.message.type === 'agent.register')
        this.send({ type: 'agent.registered', daemon_id: 'd#1', keep: parsed.message.jobs.map((j) => j.lease_id), drop: [] });
    });
  }

  send(message: CoordinatorMessage): void {
    this.socket?.send(JSON.stringify(message));
  }

  async next<T extends DaemonMessage['type']>(
    type: T,
    match: (m: Extract<DaemonMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<Extract<DaemonMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((m) => m.type === type && match(m as Extract<DaemonMessage, { type: T }>));
      if (found) return found as Extract<DaemonMessage, { type: T }>;
      if (Date.now() > deadline) throw new Error(`no ${type} within ${timeoutMs} ms; got ${this.received.map((m) => m.type).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
