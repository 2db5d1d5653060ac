import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiHost, type ApiHost } from './helpers/api-host';
import { httpCall } from './helpers/http-call';

/** Hostile and broken requests get a clear 4xx, never a reset or an internal error. */
let api: ApiHost;
let port = 0;
const auth = () => api.auth();

beforeAll(async () => {
  api = await openApiHost('wg-http-hard-');
  port = api.port;
});
afterAll(() => api.close());

/** A chunked request (no Content-Length) of `chunks` × 1 MiB; resolves with the status the server answered. */
function chunkedPost(path: string, chunks: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers: { ...auth(), 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const piece = Buffer.alloc(1024 * 1024, 32);
    let sent = 0;
    const write = () => {
      while (sent < chunks) {
        sent++;
        if (!req.write(piece)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

describe('the HTTP API against broken and hostile requests', () => {
  it('answers malformed percent-encoding in the path with 400', async () => {
    for (const path of ['/api/op/%E0%A4%A', '/api/task/%zz/complete', '/api/agent/%/heartbeat']) {
      const reply = await httpCall({ port }, 'POST', path, { headers: auth(), body: '{}' });
      expect(reply).toMatchObject({ status: 400, json: { code: 'invalid', error: 'malformed percent-encoding in the URL path' } });
    }
  });

  it('answers an oversized chunked body with 413 (not a reset), and keeps answering', async () => {
    const reply = await chunkedPost('/api/op/task:list', 17);
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ error: 'request body is larger than 16777216 bytes', code: 'invalid' });
    expect((await httpCall({ port }, 'POST', '/api/op/task:list', { headers: auth(), body: '{}' })).status).toBe(200);
  });

  it('answers very deep JSON with a clear 400, in a body and in an op\'s input', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const body = await httpCall({ port }, 'POST', '/api/op/task:list', { headers: auth(), body: deep });
    expect(body).toMatchObject({ status: 400, json: { code: 'invalid', error: 'request body is nested too deeply (more than 64 levels of arrays and objects)' } });
    const nested = `{"id":"x","artifacts":${'{"a":'.repeat(70)}1${'}'.repeat(70)}}`;
    const op = await httpCall({ port }, 'POST', '/api/op/task:done', { headers: auth(), body: nested });
    expect(op).toMatchObject({ status: 400, json: { code: 'invalid' } });
    expect((op.json as { error: string }).error).toMatch(/nested too deeply/);
  });
});
