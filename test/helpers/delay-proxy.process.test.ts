import { EventEmitter, once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DelayProxy, startDelayProxy } from './delay-proxy';
import { startDelayProxyProcess } from './delay-proxy-process';
import { sharedPostgres } from './postgres-server';

/** A TCP echo server on 127.0.0.1: what the proxy forwards to when the test needs to know every byte's way. */
let echo: Server;
let echoPort: number;
/** Told each time the echo server has sent something back. */
const echoed = new EventEmitter();

beforeAll(async () => {
  echo = createServer((socket) =>
    socket.on('data', (chunk) => {
      socket.write(chunk);
      echoed.emit('echo');
    }),
  );
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

/** A client of the proxy that gathers what comes back, and can wait for a given total. */
async function clientOf(proxy: {
  port: number;
}): Promise<{ socket: Socket; received: () => string; until: (text: string) => Promise<number> }> {
  const socket = connect(proxy.port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  let received = '';
  const waiters: Array<() => void> = [];
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (text: string) => {
    while (received !== text) {
      if (received.length >= text.length) throw new Error(`received '${received}', not '${text}'`);
      await new Promise<void>((wake) => waiters.push(wake));
    }
    return performance.now();
  };
  return { socket, received: () => received, until };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the delay proxy', () => {
  let proxy: DelayProxy;
  afterAll(() => proxy?.close());

  it('holds each chunk its delay in each direction: an echo takes at least twice the delay', async () => {
    proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: echoPort }, delayMs: 40 });
    const client = await clientOf(proxy);
    const sent = performance.now();
    client.socket.write('x');
    // A lower bound only: a loaded machine makes it later, never sooner. A timer may fire a quarter of a ms early.
    expect((await client.until('x')) - sent).toBeGreaterThanOrEqual(79);
    client.socket.destroy();
    await proxy.close();
  });

  it('never lets a chunk overtake the one before it, even when the delay drops meanwhile', async () => {
    proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: echoPort }, delayMs: 150 });
    const client = await clientOf(proxy);
    client.socket.write('A');
    await sleep(10);
    proxy.setDelay(0);
    client.socket.write('B');
    await client.until('AB');
    expect(client.received()).toBe('AB');
    client.socket.destroy();
    await proxy.close();
  });

  it('counts a burst sent before any answer as one round trip, and the next burst after the answer as another', async () => {
    proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: echoPort }, delayMs: 40 });
    const client = await clientOf(proxy);
    client.socket.write('a');
    await sleep(15);
    // Still unanswered (the echo of 'a' is held 80 ms): the same trip.
    client.socket.write('b');
    await client.until('ab');
    expect(proxy.roundTrips()).toBe(1);
    client.socket.write('c');
    await client.until('abc');
    expect(proxy.roundTrips()).toBe(2);
    expect(proxy.connections()).toBe(1);
    client.socket.destroy();
    await proxy.close();
  });

  it('counts a burst the client sends while the answer is still on its way back as part of the same trip', async () => {
    proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: echoPort }, delayMs: 250 });
    const client = await clientOf(proxy);
    const answered = once(echoed, 'echo');
    client.socket.write('a');
    // The server has answered and its answer is at the proxy, held there: the client has not seen it.
    await answered;
    await sleep(20);
    expect(client.received()).toBe('');
    client.socket.write('b');
    await client.until('ab');
    expect(proxy.roundTrips()).toBe(1);
    client.socket.destroy();
    await proxy.close();
  });

  it("counts a PostgreSQL client's statements as it waits for them: three one after another are three trips, three in one query one", async () => {
    const server = sharedPostgres();
    proxy = await startDelayProxy({ target: { path: join(server.socketDir, '.s.PGSQL.5432') }, delayMs: 2 });
    const client = new pg.Client({ host: '127.0.0.1', port: proxy.port, user: 'postgres', database: 'postgres' });
    await client.connect();
    // The startup message and the server's welcome (trusted, no password asked).
    expect(proxy.roundTrips()).toBe(1);
    for (const n of [1, 2, 3]) expect((await client.query(`SELECT ${n} AS n`)).rows).toEqual([{ n }]);
    expect(proxy.roundTrips()).toBe(4);
    await client.query('SELECT 1; SELECT 2; SELECT 3');
    expect(proxy.roundTrips()).toBe(5);
    await client.end();
    await proxy.close();
  });
});

describe('the delay proxy in a process of its own', () => {
  it('forwards and counts as in-process, its counts asked for over IPC', async () => {
    const proxy = await startDelayProxyProcess({ target: { host: '127.0.0.1', port: echoPort }, delayMs: 5 });
    try {
      const client = await clientOf(proxy);
      client.socket.write('one');
      await client.until('one');
      client.socket.write('two');
      await client.until('onetwo');
      expect(await proxy.roundTrips()).toBe(2);
      client.socket.destroy();
    } finally {
      await proxy.close();
    }
  });
});
