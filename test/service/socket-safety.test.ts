import { chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openProjectHost } from '../../src/core/host';
import { projectPaths } from '../../src/core/project';
import { socketProblem } from '../../src/core/connecting/socket-safety';
import { TempProject } from '../helpers/wg-cli';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A unix socket server at `path` that counts connections and what they sent (a stolen token would be in it). */
async function impostor(path: string): Promise<{ server: Server; received: string[] }> {
  const received: string[] = [];
  const server = createServer((socket) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('close', () => received.push(text));
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { server, received };
}

describe('the coordinator socket', () => {
  it("lives in a folder of the user's own, 0700, also when the project path is too long for it", async () => {
    const base = mkdtempSync(join(tmpdir(), 'wg-sock-'));
    roots.push(base);
    const root = join(base, 'a-very-long-folder-name-for-a-project'.repeat(3));
    mkdirSync(join(root, '.workgraph'), { recursive: true });
    writeFileSync(join(root, '.workgraph', 'config.toml'), '[coordinator]\nexecutor = "manual"\n');
    process.env.WG_HOME = join(base, '.home');
    const host = await openProjectHost(root, { createIfMissing: true });
    try {
      const socket = host.paths.socket;
      expect(socket.startsWith(join(tmpdir(), `wg-${process.getuid?.()}`))).toBe(true);
      const folder = lstatSync(dirname(socket));
      expect(folder.isDirectory()).toBe(true);
      expect(folder.uid).toBe(process.getuid?.());
      expect(folder.mode & 0o777).toBe(0o700);
      expect(socketProblem(socket)).toBeNull();
    } finally {
      await host.close({ stopAgents: true });
    }
  });

  it('is refused by clients when it is not a socket (a symlink planted in its place)', async () => {
    const p = new TempProject('wg-sock-link-');
    roots.push(p.root);
    await p.ok(['init']);
    const paths = projectPaths(join(p.root, '.workgraph'));
    const elsewhere = join(p.root, 'elsewhere.sock');
    const fake = await impostor(elsewhere);
    mkdirSync(dirname(paths.socket), { recursive: true });
    symlinkSync(elsewhere, paths.socket);
    try {
      const status = await p.wg(['service', 'pause']);
      expect(status.exitCode).not.toBe(0);
      expect(status.stderr.trim()).toBe(`wg: refusing to send the API token: ${paths.socket} is not a socket`);
      expect(fake.received).toEqual([]);
    } finally {
      fake.server.close();
    }
  });

  it.skipIf(!isRoot)('is refused by clients when another user owns it: the token is never sent (needs root to make one)', async () => {
    const p = new TempProject('wg-sock-owner-');
    roots.push(p.root);
    await p.ok(['init']);
    await p.ok(['add', 'Task', '--id', 't']);
    const paths = projectPaths(join(p.root, '.workgraph'));
    mkdirSync(dirname(paths.socket), { recursive: true });
    const fake = await impostor(paths.socket);
    chownSync(paths.socket, 65534, 65534);
    try {
      for (const args of [
        ['service', 'status'],
        ['service', 'pause'],
        ['spawn', 't'],
      ]) {
        const result = await p.wg(args);
        expect(result.exitCode).not.toBe(0);
        expect(result.stderr.trim()).toBe(
          `wg: refusing to send the API token: the coordinator socket ${paths.socket} belongs to another user (uid 65534)`,
        );
      }
      // A store change still works (it needs no coordinator); only the poke, which carries the token, is not sent.
      expect((await p.wg(['log', 't', 'still fine'])).exitCode).toBe(0);
      expect(fake.received).toEqual([]);
    } finally {
      fake.server.close();
    }
    expect(existsSync(paths.socket)).toBe(false);
  });
});
