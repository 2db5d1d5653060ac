import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCoordinator } from '../../src/core/connecting/remote-host';
import type { ProjectHost } from '../../src/core/host';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { tasksOfTable } from '../../src/shared/task-table';
import { selfSignedCertificate } from '../helpers/self-signed-cert';

/**
 * The desktop app's view of a coordinator on another machine: a real `wg service start --listen`
 * daemon, reached over HTTP with its address and token through the same ProjectHost the window,
 * the tray and notifications use for a local folder.
 */
const p = new DaemonProject('wg-remote-host-');
let printed = '';
let base = '';
let token = '';
let host: ProjectHost;
let notCoordinator: Server;

beforeAll(async () => {
  await p.init();
  const started = await p.start(['--listen', '0.0.0.0:0', '--insecure']);
  const port = Number(/:(\d+)\//.exec(started.url ?? '')?.[1]);
  token = (started.url ?? '').split('#token=')[1] ?? '';
  base = `http://127.0.0.1:${port}`;
  printed = `${base}/#token=${token}`;
  notCoordinator = createServer((_req, res) => res.writeHead(404).end('<html>nothing here</html>'));
  await new Promise<void>((resolve) => notCoordinator.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await host?.close({ stopAgents: false });
  notCoordinator.close();
  await p.remove();
});

describe('a coordinator on another machine', () => {
  it('connects with the address wg service status printed (its #token= fills in the token)', async () => {
    host = await connectCoordinator(printed, '');
    expect(host).toMatchObject({ name: base.replace('http://', ''), where: base, remote: true, readOnly: false });
    expect(await host.status()).toMatchObject({ running: true, paused: false });
  });

  it('works as a local project: operations change the shared graph, and its changes arrive as events', async () => {
    const revs: number[] = [];
    const stop = host.onChange((rev) => revs.push(rev));
    await host.dispatch('task:add', { title: 'From the laptop', id: 'from-laptop' });
    expect((await p.json<Array<{ id: string }>>(['list', '--json'])).map((t) => t.id)).toContain('from-laptop');
    // A change made on the server (by anyone) reaches this window's listeners.
    await waitFor('the first event', () => revs.length > 0);
    const seen = revs.length;
    await p.ok(['add', 'From the server', '--id', 'from-server']);
    await waitFor("the server's change to arrive", () => revs.length > seen);
    const snapshot = await host.dispatch('graph:snapshot', {});
    expect(tasksOfTable(snapshot.tasks).map((t) => t.id)).toEqual(expect.arrayContaining(['from-laptop', 'from-server']));
    stop();
  });

  it("pauses and resumes the remote coordinator (the tray's actions), and its status follows", async () => {
    await host.pause();
    await waitFor('the status to say paused', async () => (await host.status()).paused);
    expect((await p.json<{ paused: boolean }>(['service', 'status', '--json'])).paused).toBe(true);
    await host.resume();
    await waitFor('the status to say running', async () => !(await host.status()).paused);
  });

  it('an error from the coordinator is its own plain line', async () => {
    await expect(host.dispatch('task:show', { id: 'no-such-task' })).rejects.toMatchObject({
      code: 'not_found',
      message: "task 'no-such-task' not found",
    });
  });

  it('over TLS: a certificate this computer does not trust is refused in one sentence; trusted, it connects', async () => {
    const tls = new DaemonProject('wg-remote-host-tls-');
    try {
      await tls.init();
      const { cert, key } = selfSignedCertificate(tls.root);
      const started = await tls.start(['--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key]);
      const address = started.url ?? '';
      const origin = new URL(address).origin;
      expect(origin).toMatch(/^https:/);
      await expect(connectCoordinator(address, '')).rejects.toThrow(
        `The coordinator at ${origin} has a certificate this computer does not trust; use one from a trusted authority, or start the app with NODE_EXTRA_CA_CERTS naming the certificate file.`,
      );
      // NODE_EXTRA_CA_CERTS is read when a process starts: a fresh one, as the app started with it.
      const fixture = join(import.meta.dirname, 'fixtures', 'connect-once.ts');
      const child = await execa(process.execPath, ['--import', 'tsx', fixture, address], {
        env: { NODE_EXTRA_CA_CERTS: cert },
        reject: false,
      });
      expect(JSON.parse(child.stdout)).toEqual({ name: origin.replace('https://', ''), running: true, tasks: 0 });
      await tls.ok(['service', 'stop']);
    } finally {
      await tls.remove();
    }
  });

  it('refuses a bad address or token with one plain sentence', async () => {
    const refusal = (url: string, tokenText: string) =>
      connectCoordinator(url, tokenText).then(
        () => 'connected',
        (error: Error) => error.message,
      );
    expect(await refusal('', token)).toBe("Enter the coordinator's address, e.g. https://build.example.com:8787.");
    expect(await refusal('ftp://build.example', token)).toBe('The address must start with https:// or http://, not ftp://.');
    expect(await refusal('http://exa mple', token)).toBe(
      '"http://exa mple" is not a web address; enter one like https://build.example.com:8787.',
    );
    expect(await refusal(base, '')).toBe('Enter your token (made on that machine with `wg token create NAME --person`).');
    expect(await refusal(base, 'wrong-token')).toBe(`The coordinator at ${base} refused the token.`);
    const { port } = notCoordinator.address() as AddressInfo;
    expect(await refusal(`http://127.0.0.1:${port}`, token)).toBe(`http://127.0.0.1:${port} does not answer as a workgraph coordinator.`);
    notCoordinator.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await refusal(`http://127.0.0.1:${port}`, token)).toBe(`Could not reach a coordinator at http://127.0.0.1:${port}.`);
  });
});
