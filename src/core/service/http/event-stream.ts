import type { ServerResponse } from 'node:http';
import type { ChangeEvent, OutputEvent } from '../../../shared/api-contract';
import type { TokenHolder } from '../../../shared/agent-daemon-types';

const KEEPALIVE_MS = 25_000;
/**
 * What one stream may hold unsent before it is dropped. A client that stops reading (a hung window, a peer that
 * left the connection open) would otherwise have every later event kept in this process's memory for as long as the
 * coordinator runs. Its events only say that something changed, so nothing is lost: an EventSource reconnects
 * (`retry`) and its new stream opens with the current revision.
 */
export const MAX_UNSENT_BYTES = 1024 * 1024;

/**
 * The server-sent event clients: `change` after every commit seen, `output` as runs grow. A client that
 * came with a person's token is kept with whose token it was (name and issue), so a revoke ends its stream too.
 */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly people = new Map<ServerResponse, TokenHolder>();
  /** Streams of one run's output (`?watch=<agent>`): only that run's `output` events. */
  private readonly watching = new Map<ServerResponse, string>();
  private keepalive: NodeJS.Timeout | null = null;

  add(res: ServerResponse, rev: number, person?: TokenHolder, watch?: string): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 1000\n\n`);
    this.clients.add(res);
    if (person !== undefined) this.people.set(res, person);
    if (watch !== undefined) this.watching.set(res, watch);
    else this.write(res, 'change', { rev });
    res.on('close', () => {
      this.clients.delete(res);
      this.people.delete(res);
      this.watching.delete(res);
      if (this.clients.size === 0) this.stopKeepalive();
    });
    // Comments keep proxies and idle-connection reapers from closing the stream; only while someone listens.
    if (!this.keepalive) {
      this.keepalive = setInterval(() => this.each((client) => this.send(client, ': keepalive\n\n')), KEEPALIVE_MS);
      this.keepalive.unref();
    }
  }

  change(event: ChangeEvent): void {
    this.each((client) => {
      if (!this.watching.has(client)) this.write(client, 'change', event);
    });
  }

  output(event: OutputEvent): void {
    this.each((client) => {
      const watched = this.watching.get(client);
      if (watched === undefined || watched === event.agent_id) this.write(client, 'output', event);
    });
  }

  /** Whose tokens the open streams came with, one per stream. */
  personHolders(): TokenHolder[] {
    return [...this.people.values()];
  }

  /** Ends the streams of these holders (the same objects personHolders gave): their tokens were revoked. */
  closePeople(stale: ReadonlySet<TokenHolder>): void {
    for (const [client, person] of this.people) if (stale.has(person)) client.end();
  }

  closeAll(): void {
    this.each((client) => client.end());
    this.clients.clear();
    this.watching.clear();
    this.stopKeepalive();
  }

  private write(res: ServerResponse, event: string, data: unknown): void {
    this.send(res, `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Writes to a stream still reading; one holding too much unsent is dropped (its close forgets it). */
  private send(res: ServerResponse, text: string): void {
    if (res.writableLength > MAX_UNSENT_BYTES) res.destroy();
    else res.write(text);
  }

  private each(action: (res: ServerResponse) => void): void {
    for (const client of this.clients) action(client);
  }

  private stopKeepalive(): void {
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = null;
  }
}
