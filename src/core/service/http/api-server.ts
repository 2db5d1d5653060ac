import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { invalid } from '../../../shared/errors';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { LOOPBACK_PLAN, type ListenPlan } from './listen-plan';
import { answerClientErrors } from './client-errors';
import { createRequestHandler, type ApiHandlers } from './routes';
import type { Transport } from './guard';

export interface ApiServer {
  port: number;
  /** Base URL of the TCP API (no token): loopback, or the address it listens on beyond it. */
  baseUrl: string;
  /** The TCP server, for the agent daemons' WebSocket (its `upgrade` event). */
  tcp: Server;
  /** How the TCP server is reached, for the same Host and Origin checks on the WebSocket. */
  tcpTransport(): Transport;
  close(): Promise<void>;
}

/** The address to print: a wildcard bind is reached by the machine's name. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return hostname();
  return host.includes(':') ? `[${host}]` : host;
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

/** Why the coordinator cannot listen there, in a person's words (the system's code names no fix). */
function listenRefusal(error: NodeJS.ErrnoException, address: string): Error {
  if (error.code === 'EADDRINUSE') return invalid(`${address} is already in use by another program; choose another port with --listen`);
  if (error.code === 'EACCES')
    return invalid(`this user may not listen on ${address} (a port below 1024 needs privileges); choose another with --listen`);
  if (error.code === 'EADDRNOTAVAIL')
    return invalid(`${address} is no address of this machine; --listen takes one of its addresses, or 0.0.0.0`);
  return error;
}

/** The TLS server, or one line on why its certificate and key do not make one. */
function tlsServer(tls: NonNullable<ListenPlan['tls']>): Server {
  try {
    return createTlsServer({ cert: tls.cert, key: tls.key });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (/KEY_VALUES_MISMATCH|key values mismatch/i.test(`${code} ${(error as Error).message}`))
      throw invalid('the TLS key (--tls-key) does not belong to the certificate (--tls-cert)');
    throw invalid('the TLS certificate or key (--tls-cert, --tls-key) cannot be read as PEM');
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * The API on two doors with one handler: TCP (browser mode, agents, agent daemons; a free loopback
 * port unless `plan` says otherwise, with TLS when it has certificates) and the unix socket (the CLI;
 * only this user can open it). The caller holds the coordinator lock, so a socket file left by a
 * crashed predecessor can simply be removed.
 */
export async function startApiServer(handlers: ApiHandlers, socketPath: string, plan: ListenPlan = LOOPBACK_PLAN): Promise<ApiServer> {
  // An https.Server is an http.Server underneath (same events, same request handler).
  const tcp: Server = plan.tls ? tlsServer(plan.tls) : createServer();
  const scheme = plan.tls ? 'https' : 'http';
  let port = 0;
  const tcpTransport = (): Transport => ({ kind: 'tcp', port, loopback: plan.loopback, scheme });
  tcp.on('request', createRequestHandler(handlers, tcpTransport));
  answerClientErrors(tcp);
  const first = plan.port === 0 && plan.preferredPort ? plan.preferredPort : plan.port;
  await listen(tcp, { port: first, host: plan.host }).catch((error: NodeJS.ErrnoException) => {
    // The port preferred is only a wish: taken by another program meanwhile, any free one does.
    if (first !== plan.port && error.code === 'EADDRINUSE') return listen(tcp, { port: 0, host: plan.host });
    throw listenRefusal(error, `${urlHost(plan.host)}:${plan.port}`);
  });
  port = (tcp.address() as AddressInfo).port;

  if (existsSync(socketPath)) rmSync(socketPath, { force: true });
  const unix = createServer(createRequestHandler(handlers, () => ({ kind: 'unix' })));
  answerClientErrors(unix);
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
    baseUrl: `${scheme}://${urlHost(plan.host)}:${port}`,
    tcp,
    tcpTransport,
    close: async () => {
      handlers.events.closeAll();
      await Promise.all([closeServer(tcp), closeServer(unix)]);
      rmSync(socketPath, { force: true });
    },
  };
}
