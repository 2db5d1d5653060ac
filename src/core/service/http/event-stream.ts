import type { ServerResponse } from 'node:http';
import type { ChangeEvent, OutputEvent } from '../../../shared/api-contract';

const KEEPALIVE_MS = 25_000;

/** The server-sent event clients: `change` after every commit seen, `output` as runs grow. */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private keepalive: NodeJS.Timeout | null = null;

  add(res: ServerResponse, rev: number): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 1000\n\n`);
    this.clients.add(res);
    this.write(res, 'change', { rev });
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopKeepalive();
    });
    // Comments keep proxies and idle-connection reapers from closing the stream; only while someone listens.
    if (!this.keepalive) {
      this.keepalive = setInterval(() => this.each((client) => client.write(': keepalive\n\n')), KEEPALIVE_MS);
      this.keepalive.unref();
    }
  }

  change(event: ChangeEvent): void {
    this.each((client) => this.write(client, 'change', event));
  }

  output(event: OutputEvent): void {
    this.each((client) => this.write(client, 'output', event));
  }

  closeAll(): void {
    this.each((client) => client.end());
    this.clients.clear();
    this.stopKeepalive();
  }

  private write(res: ServerResponse, event: string, data: unknown): void {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private each(action: (res: ServerResponse) => void): void {
    for (const client of this.clients) action(client);
  }

  private stopKeepalive(): void {
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = null;
  }
}
