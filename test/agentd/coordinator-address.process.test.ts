import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import { selfSignedCertificate } from '../helpers/self-signed-cert';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { killMarked, makeRepo, startAgentd } from './helpers/agentd-process';

/**
 * `wg agentd` against a real coordinator on TLS: the certificate authorities it trusts (WG_CA_CERT, as every `wg`
 * reads it), and what it says and does when the address it was given is wrong.
 */
const tls = new DaemonProject('wg-agentd-address-');
const repo = makeRepo('wg-agentd-address-repo-');
let cert = '';
let base = '';
let token = '';
/** A server that speaks plain HTTP (a coordinator without TLS, as https:// meets it). */
let plain: Server;
let plainBase = '';

/** The daemon's whole output once it ended, and how: it must end by itself, nonzero, on an address waiting cannot mend. */
async function ended(host: string, url: string, more: Record<string, string> = {}): Promise<{ exitCode: number | undefined; log: string }> {
  const daemon = startAgentd(host, env({ WG_COORDINATOR_URL: url, ...more }));
  const result = await daemon.proc;
  return { exitCode: result.exitCode, log: daemon.log() };
}

/** No words of a library's internals (OpenSSL's, ws's, Node's) reach the person. */
const LIBRARY_WORDS = /EPROTO|ssl3_|socket hang up|Unexpected server response|self-signed certificate|ECONN|\(1006\)/;

const env = (more: Record<string, string>) => {
  const inherited = { ...(process.env as Record<string, string>) };
  delete inherited.WG_CA_CERT;
  delete inherited.NODE_EXTRA_CA_CERTS;
  return { ...inherited, WG_AGENT_TOKEN: token, REPO_PATHS: `acme/app=${repo}`, CLI_COMMAND: 'true', ...more };
};

beforeAll(async () => {
  await tls.init();
  ({ cert } = selfSignedCertificate(mkdtempSync(join(tmpdir(), 'wg-agentd-cert-'))));
  const started = await tls.start(['--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', join(cert, '..', 'key.pem')]);
  base = new URL(started.url ?? '').origin;
  token = (await tls.json<CreatedAgentToken>(['token', 'create', 'lap'])).token;
  plain = createServer((_req, res) => res.end('plain'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  plainBase = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
});
afterAll(async () => {
  killMarked();
  await tls.remove();
  await new Promise<void>((resolve) => plain.close(() => resolve()));
});

describe('wg agentd and the coordinator address', () => {
  it('trusts the certificate WG_CA_CERT names, as wg with WG_SERVER does', async () => {
    const daemon = startAgentd('ca-cert', env({ WG_COORDINATOR_URL: base, WG_CA_CERT: cert }));
    await waitFor(
      'the daemon registered',
      async () => (await tls.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons.some((d) => d.host === 'ca-cert'),
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${daemon.log()}`);
    });
    daemon.proc.kill('SIGKILL');
  });

  it('http:// to a coordinator on TLS: one line with its https:// address, and a nonzero exit', async () => {
    const http = base.replace('https:', 'http:');
    const { exitCode, log } = await ended('scheme-http', http, { WG_CA_CERT: cert });
    expect(exitCode).toBe(2);
    expect(log).toContain(`${http} listens with TLS: its address is ${base}`);
    expect(log).not.toMatch(LIBRARY_WORDS);
  });

  it('https:// to a coordinator without TLS: one line with its http:// address, and a nonzero exit', async () => {
    const https = plainBase.replace('http:', 'https:');
    const { exitCode, log } = await ended('scheme-https', https);
    expect(exitCode).toBe(2);
    expect(log).toContain(`${https} does not speak TLS: if it listens without TLS, its address is ${plainBase}`);
    expect(log).not.toMatch(LIBRARY_WORDS);
  });

  it('an address with a path the coordinator does not serve (404): one line saying to give it without one', async () => {
    const { exitCode, log } = await ended('path', `${base}/wg`, { WG_CA_CERT: cert });
    expect(exitCode).toBe(2);
    expect(log).toContain(
      `${base}/wg has no agent socket (HTTP 404 for /wg/api/agents/ws): WG_COORDINATOR_URL is the coordinator's address with no path, e.g. ${base}`,
    );
    expect(log).not.toMatch(LIBRARY_WORDS);
  });

  it('a certificate nothing trusts: one line saying what to set, and a nonzero exit', async () => {
    const { exitCode, log } = await ended('untrusted', base);
    expect(exitCode).toBe(2);
    expect(log).toContain(`${base}: its certificate is not one this computer trusts (set WG_CA_CERT, or --ca, to its certificate file)`);
    expect(log).not.toMatch(LIBRARY_WORDS);
  });

  it('a CA file that cannot be read ends it before it starts', async () => {
    const missing = join(tmpdir(), 'wg-no-such-ca.pem');
    const { exitCode, log } = await ended('bad-ca', base, { WG_CA_CERT: missing });
    expect(exitCode).not.toBe(0);
    expect(log.trim()).toBe(`wg: WG_CA_CERT: cannot read the CA file ${missing}: no such file or folder`);
  });

  it('a coordinator that refuses connections (it may come back) is retried with backoff, a plain line each time', async () => {
    const daemon = startAgentd('refused', env({ WG_COORDINATOR_URL: 'http://127.0.0.1:1' }));
    await waitFor(
      'two tries',
      () => daemon.log().match(/cannot reach http:\/\/127\.0\.0\.1:1: connection refused; trying again in/g)?.length === 2,
    );
    expect(daemon.proc.exitCode).toBeNull();
    expect(daemon.log()).not.toMatch(LIBRARY_WORDS);
    daemon.proc.kill('SIGKILL');
  });
});
