import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { z } from 'zod';
import { incomingLine } from './protocol';

/**
 * JSON-RPC over the app server's stdio: one JSON object a line each way, without the `"jsonrpc"` member (codex's
 * own framing, which the JSON-RPC libraries for Node, vscode-jsonrpc among them, do not speak: they frame with
 * Content-Length headers or require the member). Requests get ids of ours and settle with their response; the
 * server's notifications go to `onNotification`; a request of the server's own (an approval, which a run set to
 * never ask should not get) is refused at once, so codex never waits on an answer nobody gives.
 */
export class JsonRpcLines {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private closed: Error | null = null;

  constructor(
    private readonly input: Writable,
    output: Readable,
    private readonly onNotification: (method: string, params: unknown) => void,
    private readonly onUnreadable: (line: string) => void,
  ) {
    createInterface({ input: output, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => this.line(line));
  }

  /** Sends a request and resolves with its result, checked by `schema`; rejects with the server's error message. */
  async request<S extends z.ZodType>(method: string, params: unknown, schema: S): Promise<z.infer<S>> {
    if (this.closed) throw this.closed;
    const id = this.next++;
    const result = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.write({ id, method, params });
    const parsed = schema.safeParse(await result);
    if (!parsed.success) throw new Error(`codex app-server answered ${method} in a shape this app does not know`);
    return parsed.data;
  }

  notify(method: string, params?: unknown): void {
    this.write(params === undefined ? { method } : { method, params });
  }

  /** The server is gone: every request still waiting fails with `reason`. */
  close(reason: string): void {
    this.closed = new Error(reason);
    for (const { reject } of this.pending.values()) reject(this.closed);
    this.pending.clear();
  }

  private write(message: Record<string, unknown>): void {
    if (!this.input.writable) return;
    this.input.write(`${JSON.stringify(message)}\n`);
  }

  private line(raw: string): void {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      this.onUnreadable(raw);
      return;
    }
    const parsed = incomingLine.safeParse(json);
    if (!parsed.success) {
      this.onUnreadable(raw);
      return;
    }
    const { id, method, params, result, error } = parsed.data;
    if (method !== undefined && id !== undefined) {
      this.write({ id, error: { code: -32601, message: `a workgraph run does not answer ${method}` } });
      return;
    }
    if (method !== undefined) {
      this.onNotification(method, params);
      return;
    }
    const waiting = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!waiting) return;
    this.pending.delete(id as number);
    if (error) waiting.reject(new Error(error.message));
    else waiting.resolve(result);
  }
}
