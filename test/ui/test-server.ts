import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { API_PREFIX, EVENTS_PATH } from '../../src/shared/api-contract';
import { WgError } from '../../src/shared/errors';
import { OP_NAMES, type OpName } from '../../src/shared/ops/registry';
import { FakeWorkgraph } from '../renderer/support/fake-workgraph';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

export interface TestServer {
  origin: string;
  token: string;
  fake: FakeWorkgraph;
  close(): Promise<void>;
}

/**
 * A stand-in for the daemon's browser mode, for developing the UI tests before the daemon
 * existed and for the benchmark: serves `out/renderer` and answers `/api/op/*` and
 * `/api/events` (per src/shared/api-contract.ts) from a FakeWorkgraph in this process.
 */
export async function startTestServer(rendererDir: string, fake = new FakeWorkgraph()): Promise<TestServer> {
  const token = randomBytes(16).toString('hex');
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, error));
  });
  const streams = new Set<ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) return serveStatic(res, url.pathname);
    const given = req.headers.authorization?.replace(/^Bearer /, '') ?? url.searchParams.get('token');
    if (given !== token) throw new WgError('unauthorized', 'invalid token');
    if (url.pathname === EVENTS_PATH) return openStream(res);
    const name = /^\/api\/op\/([^/]+)$/.exec(url.pathname)?.[1];
    const op = OP_NAMES.find((n) => n === decodeURIComponent(name ?? ''));
    if (!op) throw new WgError('not_found', `no operation '${name ?? url.pathname}'`);
    sendJson(res, 200, fake.call(op satisfies OpName, await readBody(req)));
  }

  function openStream(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: 1000\n\nevent: change\ndata: ${JSON.stringify({ rev: fake.rev })}\n\n`);
    streams.add(res);
    const offChange = fake.onChange((event) => res.write(`event: change\ndata: ${JSON.stringify(event)}\n\n`));
    const offOutput = fake.onOutput((event) => res.write(`event: output\ndata: ${JSON.stringify(event)}\n\n`));
    res.on('close', () => {
      streams.delete(res);
      offChange();
      offOutput();
    });
  }

  function serveStatic(res: ServerResponse, pathname: string): void {
    const index = join(rendererDir, 'index.html');
    const file = normalize(join(rendererDir, pathname === '/' ? 'index.html' : decodeURIComponent(pathname)));
    const inside = file.startsWith(rendererDir.endsWith(sep) ? rendererDir : `${rendererDir}${sep}`);
    const target = inside && existsSync(file) && statSync(file).isFile() ? file : index;
    res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' });
    createReadStream(target).pipe(res);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.service = { ...fake.service, url: `http://127.0.0.1:${port}/#token=${token}` };
  return {
    origin: `http://127.0.0.1:${port}`,
    token,
    fake,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : {};
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof WgError) sendJson(res, error.httpStatus, { error: error.message, code: error.code });
  else sendJson(res, 500, { error: error instanceof Error ? error.message : String(error), code: 'internal' });
}
