import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestHandler, type ApiHandlers } from './routes';

export interface ApiServer {
  port: number;
  /** Base URL of the loopback API (no token). */
  baseUrl: string;
  close(): Promise<void>;
}

function listen(server: Server, target: { port: number; host: string } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    if ('path' in target) server.listen(target.path, done);
    else server.listen(target.port, target.host, done);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * The API on two doors with one handler: a random free loopback TCP port (browser mode, remote
 * agents on this machine) and the unix socket (the CLI; only this user can open it). The caller
 * holds the coordinator lock, so a socket file left by a crashed predecessor can simply be removed.
 */
export async function startApiServer(handlers: ApiHandlers, socketPath: string): Promise<ApiServer> {
  const tcp = createServer();
  let port = 0;
  tcp.on('request', createRequestHandler(handlers, () => ({ kind: 'tcp', port })));
  await listen(tcp, { port: 0, host: '127.0.0.1' });
  port = (tcp.address() as AddressInfo).port;

  if (existsSync(socketPath)) rmSync(socketPath, { force: true });
  const unix = createServer(createRequestHandler(handlers, () => ({ kind: 'unix' })));
  try {
    await listen(unix, { path: socketPath });
    chmodSync(socketPath, 0o600);
  } catch (error) {
    await closeServer(tcp);
    throw error;
  }
  // Keep-alive sockets must not hold the process open once everything else is done.
  for (const server of [tcp, unix]) server.keepAliveTimeout = 5000;

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      handlers.events.closeAll();
      await Promise.all([closeServer(tcp), closeServer(unix)]);
      rmSync(socketPath, { force: true });
    },
  };
}
