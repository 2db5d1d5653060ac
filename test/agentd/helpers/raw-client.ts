import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { AGENT_PROTOCOL_VERSION, AGENT_WS_PATH, type CoordinatorMessage } from '../../../src/shared/agent-protocol';

/** A hand-driven protocol client: sends whatever a test wants, collects every reply and the close. */
export class RawClient {
  readonly received: CoordinatorMessage[] = [];
  /** The daemon instance it registers as (a new one per client: another process, as far as the coordinator knows). */
  instance = `wgi_${randomBytes(16).toString('hex')}`;
  closed: { code: number; reason: string } | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.received.push(JSON.parse(data.toString('utf8')) as CoordinatorMessage));
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString('utf8') };
    });
    ws.on('error', () => undefined);
  }

  static open(baseUrl: string, options: WebSocket.ClientOptions = {}): Promise<RawClient> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${AGENT_WS_PATH}`, options);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  auth(token: string): void {
    this.send({ type: 'auth', token, protocol: AGENT_PROTOCOL_VERSION, agent_version: 'test' });
  }

  register(host: string, jobs: Array<{ lease_id: string; state: 'running' | 'finished' }> = [], patch: Record<string, unknown> = {}): void {
    this.send({
      type: 'agent.register',
      host,
      instance: this.instance,
      wg: '/opt/wg/bin/wg',
      version: 'test',
      roles: ['dev'],
      repos: ['acme/app'],
      clis: [],
      capacity: 1,
      jobs,
      ...patch,
    });
  }

  async next<T extends CoordinatorMessage['type']>(type: T, timeoutMs = 10_000): Promise<Extract<CoordinatorMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((m) => m.type === type);
      if (found) {
        this.received.splice(this.received.indexOf(found), 1);
        return found as Extract<CoordinatorMessage, { type: T }>;
      }
      if (Date.now() > deadline)
        throw new Error(`no ${type} within ${timeoutMs} ms (got ${JSON.stringify(this.received)}; closed ${JSON.stringify(this.closed)})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('the connection was not closed');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closed;
  }

  close(): void {
    this.ws.terminate();
  }
}
