import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureSocketFolder } from '../../src/core/connecting/socket-safety';
import { projectPaths } from '../../src/core/project';
import { CoordinatorLock } from '../../src/core/service/coordinator-lock';
import type { ServiceStatus } from '../../src/shared/service-types';
import { damageMiddle, importedProject } from '../cli/support/damaged-db';
import type { TempProject } from '../helpers/wg-cli';

/**
 * A coordinator busy for longer than `wg service status` waits (a 15,000-line import sent over its HTTP API): it holds
 * the folder's lock and its socket takes the connection, but no answer comes in time. Here this process plays it: it
 * holds the lock (writing its own pid in the pid file) and listens on the socket without ever answering.
 */
let projects: TempProject[] = [];
let held: { lock: CoordinatorLock; server: Server; sockets: Socket[] } | null = null;
afterEach(async () => {
  if (held) {
    held.lock.release();
    // The connections it never answered are cut, or close would wait for them.
    for (const socket of held.sockets) socket.destroy();
    await new Promise((resolve) => held?.server.close(resolve));
    held = null;
  }
  for (const p of projects) p.remove();
  projects = [];
});

async function busyCoordinator(p: TempProject): Promise<void> {
  const paths = projectPaths(join(p.root, '.workgraph'));
  const lock = await CoordinatorLock.acquire(paths);
  ensureSocketFolder(paths.socket);
  // Takes the connection and the request, and says nothing: as a coordinator whose one thread is in a long write.
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(paths.socket, resolve));
  held = { lock, server, sockets };
}

describe('a coordinator too busy to answer in time', () => {
  it('is said to be running (with its pid) but not answering, not "not running", and a repair leaves graph.db alone', async () => {
    const { p, db } = await importedProject(projects);
    await busyCoordinator(p);
    const text = await p.wg(['service', 'status']);
    expect(text.exitCode).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(
      `coordinator is running (pid ${process.pid}) but did not answer within 2 s; it may be busy (a long import, say): try again in a moment`,
    );
    expect(text.stdout).not.toContain('not running');
    const json = JSON.parse((await p.wg(['service', 'status', '--json'])).stdout) as ServiceStatus;
    expect(json).toMatchObject({ status: 'running', running: true, pid: process.pid, not_answering: { waited_ms: 2000 } });

    damageMiddle(db, 'tasks');
    const repair = await p.wg(['check', '--db', '--repair']);
    expect(repair).toMatchObject({
      exitCode: 1,
      stderr: `wg: a coordinator is running for this project (pid ${process.pid}) but did not answer within 2 s; it may be busy; stop it first (wg service stop)`,
    });
  });

  it('is not taken for one still running once it has let go of the lock', async () => {
    const { p } = await importedProject(projects);
    await busyCoordinator(p);
    held?.lock.release();
    const text = await p.wg(['service', 'status']);
    expect(text.stdout.split('\n')[0]).toBe('coordinator is not running');
  });
});
