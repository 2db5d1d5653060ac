import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { callServerOp } from '../../src/core/connecting/server-client';
import { parseServerTarget } from '../../src/core/connecting/server-list';

/** WG_SERVER as a person writes it: one address or several, comma separated, tried in order; each refusal one line. */
describe('WG_SERVER and WG_TOKEN', () => {
  const refusal = (servers: string, token: string | null = 'wgp_abc') => {
    try {
      parseServerTarget(servers, token ?? undefined, 'WG_SERVER');
      return 'accepted';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('takes a list, in order and each once; a bare host:port is https', () => {
    expect(parseServerTarget(' https://a.example:8787 , b.example:8787,https://a.example:8787/', 'wgp_abc', 'WG_SERVER')).toEqual({
      servers: ['https://a.example:8787', 'https://b.example:8787'],
      token: 'wgp_abc',
    });
    expect(parseServerTarget('http://127.0.0.1:9,http://localhost:9,http://[::1]:9', ' wgp_abc\n', '--server').servers).toEqual([
      'http://127.0.0.1:9',
      'http://localhost:9',
      'http://[::1]:9',
    ]);
  });

  it('refuses what would send the token where it should not go, or nowhere', () => {
    expect(refusal('http://build.example:8787')).toBe(
      'WG_SERVER: refusing to send a token to http://build.example:8787 in clear text; use https:// (the coordinator listens with --tls-cert and --tls-key)',
    );
    expect(refusal('https://build.example:8787/#token=abc')).toBe(
      "WG_SERVER: 'https://build.example:8787/#token=abc' must be only the coordinator's address, like https://build.example.com:8787 (the token goes in WG_TOKEN)",
    );
    expect(refusal('https://alice:pw@build.example')).toMatch(/must be only the coordinator's address/);
    expect(refusal('https://build.example/api')).toMatch(/must be only the coordinator's address/);
    expect(refusal('ftp://build.example')).toBe("WG_SERVER: 'ftp://build.example' must start with https:// (or http:// on this machine)");
    expect(refusal('https://exa mple')).toBe(
      "WG_SERVER: 'https://exa mple' is not an address; write one like https://build.example.com:8787",
    );
    expect(refusal(' , ')).toBe('WG_SERVER names no coordinator; write one like https://build.example.com:8787');
    expect(refusal('https://build.example', null)).toBe(
      "WG_SERVER is set but no token is: set WG_TOKEN (or pass --token) to the token 'wg token create NAME --person' printed on the coordinator's machine",
    );
    expect(refusal('https://build.example', 'wgp_a b')).toBe('the token (WG_TOKEN or --token) has spaces or control characters in it');
    // Pasted from `wg token list`: sent as it is, it gets "Invalid character in header content" from Node.
    expect(refusal('https://build.example', 'wgp_…XrRk')).toBe(
      'the token (WG_TOKEN or --token) is the short form `wg token list` shows (…abcd), not the whole token',
    );
    expect(refusal('https://build.example', 'wgp_abcé')).toBe(
      'the token (WG_TOKEN or --token) has characters no token has (a token is letters, digits, - and _)',
    );
  });
});

/**
 * A coordinator that accepts the connection and then says nothing (stopped with SIGSTOP, swapping, partitioned away):
 * a read goes on to the next address after a short silence, instead of hanging for the ten minutes a change may take.
 */
describe('a read sent to a silent coordinator', () => {
  it('is asked of the next one, and the silence is said when none answers', async () => {
    const silent = createServer(() => undefined);
    const answering = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([]));
    });
    const listen = (server: Server) =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      );
    const [quiet, live] = [await listen(silent), await listen(answering)];
    try {
      await expect(callServerOp('task:list', {}, { servers: [quiet, live], token: 'wgp_abc' }, {}, 300)).resolves.toEqual([]);
      await expect(callServerOp('task:list', {}, { servers: [quiet], token: 'wgp_abc' }, {}, 300)).rejects.toThrow(
        `could not reach the coordinator at ${quiet}: no answer since the request was sent`,
      );
    } finally {
      silent.close();
      answering.close();
    }
  });
});

describe('a change sent to a coordinator slow to answer', () => {
  it('is said to be still awaited, once, and not sent to the next one (not 150 s of silence)', async () => {
    let asked = 0;
    const slow = createHttpServer((_req, res) => {
      asked += 1;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'x' }));
      }, 700);
    });
    const url = await new Promise<string>((resolve) =>
      slow.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(slow.address() as AddressInfo).port}`)),
    );
    const said: string[] = [];
    try {
      const target = { servers: [url, 'http://127.0.0.1:9'], token: 'wgp_abc' };
      await expect(callServerOp('task:add', { title: 'x' }, target, {}, undefined, (line) => said.push(line), 200)).resolves.toMatchObject({
        id: 'x',
      });
      expect(said).toEqual([
        `still waiting for the coordinator at ${url} to answer; a change goes to one coordinator only, so if you stop here, check whether it was done`,
      ]);
      expect(asked).toBe(1);
    } finally {
      slow.close();
    }
  });
});
