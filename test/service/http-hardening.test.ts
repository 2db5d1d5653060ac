import { request } from 'node:http';
import { connect } from 'node:net';
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
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path, headers: { ...auth(), 'transfer-encoding': 'chunked' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
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

/** Sends raw bytes and collects what comes back until the server closes; a reset is reported as such. */
function rawExchange(bytes: string): Promise<{ reply: string; reset: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('error', () => resolve({ reply, reset: true }));
    socket.on('end', () => {
      socket.end();
      resolve({ reply, reset: false });
    });
    socket.write(bytes);
  });
}

describe('the HTTP API against broken and hostile requests', () => {
  it('answers a header line too large with 431 and a reason, not a reset', async () => {
    const head = `POST /api/op/task:list HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(70_000)}\r\nContent-Length: 2\r\n\r\n{}`;
    const { reply, reset } = await rawExchange(head);
    expect(reset).toBe(false);
    expect(reply).toMatch(/^HTTP\/1\.1 431 /);
    expect(reply).toContain('"code":"invalid"');
    expect(reply).toContain('request headers are larger than');
  });

  it('answers malformed percent-encoding in the path with 400', async () => {
    for (const path of ['/api/op/%E0%A4%A', '/api/task/%zz/complete', '/api/agent/%/heartbeat']) {
      const reply = await httpCall({ port }, 'POST', path, { headers: auth(), body: '{}' });
      expect(reply).toMatchObject({ status: 400, json: { code: 'invalid', error: 'malformed percent-encoding in the URL path' } });
    }
  });

  it("answers a path the caller gave that cannot be used with 400 in plain words, not 500 with Node's text", async () => {
    // A NUL in a path, a file where a folder is asked for.
    const call = (op: string, input: unknown) =>
      httpCall({ port }, 'POST', `/api/op/${op}`, { headers: auth(), body: JSON.stringify(input) });
    expect(await call('agency:export', { path: 'x\u0000y' })).toMatchObject({
      status: 400,
      json: { code: 'invalid', error: "field 'path' holds a NUL character (a zero byte), which wg does not store in any text; remove it" },
    });
    expect(await call('agency:export', { path: '/etc/passwd' })).toMatchObject({
      status: 400,
      json: { code: 'invalid', error: 'a part of the path is a file, not a folder: /etc/passwd/evaluations' },
    });
    expect(await call('graph:copy', { to: '   ' })).toMatchObject({
      status: 400,
      json: { code: 'invalid', error: 'to is empty: give a postgresql:// URL or a file' },
    });
  });

  it('answers an oversized chunked body with 413 (not a reset), and keeps answering', async () => {
    const reply = await chunkedPost('/api/op/task:list', 17);
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ error: 'request body is larger than 16777216 bytes', code: 'invalid' });
    expect((await httpCall({ port }, 'POST', '/api/op/task:list', { headers: auth(), body: '{}' })).status).toBe(200);
  });

  it("answers very deep JSON with a clear 400, in a body and in an op's input", async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const body = await httpCall({ port }, 'POST', '/api/op/task:list', { headers: auth(), body: deep });
    expect(body).toMatchObject({
      status: 400,
      json: { code: 'invalid', error: 'request body is nested too deeply (more than 64 levels of arrays and objects)' },
    });
    const nested = `{"id":"x","artifacts":${'{"a":'.repeat(70)}1${'}'.repeat(70)}}`;
    const op = await httpCall({ port }, 'POST', '/api/op/task:done', { headers: auth(), body: nested });
    expect(op).toMatchObject({ status: 400, json: { code: 'invalid' } });
    expect((op.json as { error: string }).error).toMatch(/nested too deeply/);
  });

  it("refuses a field an operation does not take (a misspelled 'titel' read as nothing would say it was done)", async () => {
    const add = await httpCall({ port }, 'POST', '/api/op/task:add', { headers: auth(), body: '{"title":"Typo","id":"typo"}' });
    expect(add.status).toBe(200);
    for (const [body, error] of [
      ['{"id":"typo","titel":"renamed"}', 'unknown field: titel'],
      ['{"id":"typo","title":"ok","prioritee":"high","tagz":[]}', 'unknown fields: prioritee, tagz'],
    ] as const) {
      const reply = await httpCall({ port }, 'POST', '/api/op/task:edit', { headers: auth(), body });
      expect(reply).toMatchObject({ status: 400, json: { code: 'invalid', error } });
    }
    const shown = await httpCall({ port }, 'POST', '/api/op/task:show', { headers: auth(), body: '{"id":"typo"}' });
    expect(shown.json).toMatchObject({ title: 'Typo', priority: 'normal' });
  });

  it('refuses a completion or heartbeat body that is not a JSON object of their fields, and leaves the task as it was', async () => {
    const add = await httpCall({ port }, 'POST', '/api/op/task:add', { headers: auth(), body: '{"title":"Callback","id":"callback"}' });
    expect(add.status).toBe(200);
    const takes = 'a JSON object with: agent, run_id, artifacts';
    for (const [body, error] of [
      ['[1,2]', `the body of the completion is ${takes}`],
      ['"hello"', `the body of the completion is ${takes}`],
      ['{"artifact":["a.md"]}', 'unknown field in the completion: artifact (it takes agent, run_id, artifacts)'],
    ] as const) {
      const reply = await httpCall({ port }, 'POST', '/api/task/callback/complete', { headers: auth(), body });
      expect(reply).toMatchObject({ status: 400, json: { code: 'invalid', error } });
    }
    const beat = await httpCall({ port }, 'POST', '/api/agent/agent-1/heartbeat', { headers: auth(), body: '[]' });
    expect(beat).toMatchObject({ status: 400, json: { code: 'invalid', error: 'the body of a heartbeat is a JSON object with: run_id' } });
    const shown = await httpCall({ port }, 'POST', '/api/op/task:show', { headers: auth(), body: '{"id":"callback"}' });
    expect(shown.json).toMatchObject({ status: 'open' });
  });
});
