import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import type { ServiceStatus } from '../../src/shared/service-types';
import { MAX_AGENT_MESSAGE_BYTES } from '../../src/shared/agent-protocol';
import { DaemonProject } from '../service/helpers/daemon-project';
import { RawClient } from '../agentd/helpers/raw-client';
import { httpCall } from '../service/helpers/http-call';
import { selfSignedCertificate } from '../helpers/self-signed-cert';

/** The agent socket of a real coordinator, listening with TLS (a certificate made here), against hand-driven clients. */
const p = new DaemonProject('wg-agent-socket-');
let url = '';
let token = '';
let ca = '';

beforeAll(async () => {
  await p.init();
  const { cert, key } = selfSignedCertificate(p.root);
  ca = cert;
  token = (await p.json<CreatedAgentToken>(['token', 'create', 'box', '--roles', 'dev'])).token;
  const started = await p.start(['--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key]);
  url = (started.url ?? '').replace(/\/#token=.*$/, '');
});
afterAll(() => p.remove());

const open = () => RawClient.open(url, { ca: readFileSync(ca) });

describe('the agent socket', () => {
  it('listens with TLS when given a certificate; beyond loopback it refuses to listen without TLS', async () => {
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const other = new DaemonProject('wg-agent-socket-plain-');
    try {
      await other.init();
      const refused = await other.wg(['service', 'start', '--listen', '0.0.0.0:0']);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr.trim()).toBe(
        'wg: refusing to listen on 0.0.0.0:0 without TLS: agent tokens would cross the network in clear text; pass --tls-cert and --tls-key, or --insecure if you mean it',
      );
      expect((await other.wg(['service', 'start', '--listen', 'nonsense'])).stderr.trim()).toBe(
        "wg: --listen takes HOST:PORT (e.g. 0.0.0.0:8787), not 'nonsense'",
      );
      expect((await other.wg(['service', 'start', '--tls-cert', join(p.root, 'cert.pem')])).stderr.trim()).toBe(
        'wg: TLS needs both --tls-cert and --tls-key',
      );
      // With --insecure it listens beyond loopback: reached by any name, the token alone guards the API (and the page's own origin may call it).
      const open = await other.start(['--listen', '0.0.0.0:0', '--insecure']);
      const port = Number(/:(\d+)\//.exec(open.url ?? '')?.[1]);
      const apiToken = (open.url ?? '').split('#token=')[1] ?? '';
      const host = `build.example:${port}`;
      const asked = await httpCall({ port }, 'POST', '/api/op/service:status', {
        headers: { host, origin: `http://${host}`, authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(asked.status).toBe(200);
      expect((await httpCall({ port }, 'POST', '/api/op/service:status', { headers: { host }, body: '{}' })).status).toBe(401);
      const foreign = await httpCall({ port }, 'POST', '/api/op/service:status', {
        headers: { host, origin: 'http://evil.example', authorization: `Bearer ${apiToken}` },
        body: '{}',
      });
      expect(foreign.status).toBe(403);
      await other.ok(['service', 'stop']);
    } finally {
      await other.remove();
    }
  });

  it('refuses unauthenticated messages and unknown tokens', async () => {
    const early = await open();
    early.register('sneaky');
    expect(await early.next('error')).toMatchObject({ code: 'unauthorized' });
    expect((await early.waitClosed()).code).toBe(4001);

    const wrong = await open();
    wrong.auth('wga_not-a-real-token');
    expect(await wrong.next('error')).toMatchObject({ code: 'unauthorized', message: 'unknown agent token' });
    expect((await wrong.waitClosed()).code).toBe(4001);

    const version = await open();
    version.send({ type: 'auth', token, protocol: 99, agent_version: 'x' });
    expect((await version.next('error')).code).toBe('version');
    expect((await version.waitClosed()).code).toBe(4005);
  });

  it('closes a connection that says nothing in time as stalled, not refused: a daemon frozen while it connected tries again', async () => {
    const silent = await open();
    // The daemon's side takes 4001 (refused) as the end; 4008 (stalled) as a reason to connect again.
    expect((await silent.waitClosed()).code).toBe(4008);
  });

  it('answers malformed messages with an error and changes nothing; an oversized one closes only that connection', async () => {
    const client = await open();
    client.auth(token);
    expect(await client.next('auth.ok')).toMatchObject({ token_name: 'box' });
    client.send('not json at all');
    expect((await client.next('error')).message).toBe('message refused: not valid JSON');
    client.send({ type: 'ticket.hijack', lease_id: 'x' });
    expect((await client.next('error')).message).toBe("message refused: unknown message type (see 'type')");
    client.send({ type: 'ticket.result', lease_id: '../../etc/passwd' });
    expect((await client.next('error')).message).toMatch(/^message refused: lease_id: lease ids are 32 hex digits/);
    client.send({ type: 'agent.heartbeat', running: [] });
    expect((await client.next('error')).message).toBe('register first (agent.register)');
    client.register('box-1', [], { capacity: 0 });
    expect((await client.next('error')).message).toMatch(/^message refused: capacity: /);
    client.register('box-1');
    expect(await client.next('agent.registered')).toMatchObject({ keep: [], drop: [] });
    const status = await p.json<AgentDaemonsStatus>(['agentd', 'status']);
    expect(status.daemons).toMatchObject([{ host: 'box-1', token: 'box', roles: ['dev'], repos: ['acme/app'], capacity: 1 }]);

    const big = await open();
    big.auth(token);
    await big.next('auth.ok');
    big.send('x'.repeat(MAX_AGENT_MESSAGE_BYTES + 1));
    expect((await big.waitClosed()).code).toBe(1009);

    // The coordinator is still up, and the first connection still works.
    expect((await p.json<ServiceStatus>(['service', 'status'])).running).toBe(true);
    client.send({ type: 'agent.heartbeat', running: [] });
    client.send({ type: 'agent.capabilities', capacity: 3 });
    await new Promise((r) => setTimeout(r, 200));
    expect((await p.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons[0]?.capacity).toBe(3);
    expect(client.closed).toBeNull();
    client.close();
  });

  it('tokens: printed once with their last four kept, listed without the secret, unknown names refused', async () => {
    const created = await p.json<CreatedAgentToken>(['token', 'create', 'laptop', '--roles', 'dev,qa', '--repos', 'acme/app']);
    expect(created.token).toMatch(/^wga_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      name: 'laptop',
      kind: 'agent',
      last4: created.token.slice(-4),
      roles: ['dev', 'qa'],
      repos: ['acme/app'],
    });
    const listed = await p.ok(['token', 'list', '--json']);
    expect(listed).not.toContain(created.token);
    expect((await p.wg(['token', 'create', 'laptop'])).stderr.trim()).toBe(
      "wg: a token named 'laptop' exists already (revoke it first, or pick another name)",
    );
    expect((await p.wg(['token', 'revoke', 'nobody'])).stderr.trim()).toBe("wg: token 'nobody' not found");
    expect((await p.wg(['token', 'create', 'bad', '--repos', '../etc'])).stderr.trim()).toMatch(
      /^wg: a repository name looks like acme\/app$/,
    );
    const stored = execFileSync('sqlite3', [p.paths.db, "SELECT * FROM agent_tokens WHERE name = 'laptop'"], { encoding: 'utf8' });
    expect(stored).not.toContain(created.token);
    expect(stored).toContain(createHash('sha256').update(created.token).digest('hex'));
  });
});
