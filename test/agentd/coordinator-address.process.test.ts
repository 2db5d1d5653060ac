import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { CreatedAgentToken, RemoteStatus } from '../../src/shared/remote-types';
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
});
afterAll(async () => {
  killMarked();
  await tls.remove();
});

describe('wg agentd and the coordinator address', () => {
  it('trusts the certificate WG_CA_CERT names, as wg with WG_SERVER does', async () => {
    const daemon = startAgentd('ca-cert', env({ WG_COORDINATOR_URL: base, WG_CA_CERT: cert }));
    await waitFor(
      'the daemon registered',
      async () => (await tls.json<RemoteStatus>(['agentd', 'status'])).daemons.some((d) => d.host === 'ca-cert'),
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${daemon.log()}`);
    });
    daemon.proc.kill('SIGKILL');
  });
});
