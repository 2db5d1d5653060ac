import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/**
 * SQL for what a test sets up or looks at around the store, answered as `psql -qAt -c` prints it (each row's
 * values as the server writes them, joined by `|`, one row a line; NULL empty), but over one kept connection per
 * database instead of a psql process and a server backend per statement, which the tests' polls made by the
 * thousand.
 * Synchronous like psql was (a worker thread does the talking; the caller waits on it), so a test reads it
 * in a poll or an assertion as before. Each statement starts from the session's defaults (DISCARD ALL after it),
 * as a fresh psql did; a connection the server cut (a restart) is made again.
 */
export interface SqlSession {
  query(connectionString: string, sql: string): string;
}

/** The application_name of its connections: a look at who else is connected leaves them out (pg-schema-pool.ts). */
export const SQL_SESSION_NAME = 'wg-test-sql';

type Reply = { ok: true; text: string } | { ok: false; message: string };

const WORKER = `
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pg);
const flag = new Int32Array(workerData.flag);
const port = workerData.port;
const clients = new Map();
// Every value as the server's text, as psql prints it.
const asText = { getTypeParser: () => (value) => value };
async function connect(url) {
  let client = clients.get(url);
  if (client) return client;
  client = new pg.Client({ connectionString: url, types: asText, application_name: workerData.name });
  client.on('error', () => { if (clients.get(url) === client) clients.delete(url); });
  await client.connect();
  clients.set(url, client);
  return client;
}
function text(result) {
  const lines = [];
  for (const one of Array.isArray(result) ? result : [result])
    for (const row of one.rows ?? []) lines.push(row.map((value) => value ?? '').join('|'));
  return lines.length ? lines.join('\\n') + '\\n' : '';
}
async function run({ url, sql }) {
  for (let attempt = 0; ; attempt++) {
    const client = await connect(url);
    try {
      const answer = text(await client.query({ text: sql, rowMode: 'array' }));
      await client.query('DISCARD ALL');
      return { ok: true, text: answer };
    } catch (error) {
      // A statement the server answered with an error (it has a SQLSTATE) is the answer; a connection it cut
      // (a restart since the last statement) is made again, once.
      if (error && typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) && !error.code.startsWith('57P')) {
        await client.query('DISCARD ALL').catch(() => undefined);
        throw error;
      }
      clients.delete(url);
      client.end().catch(() => undefined);
      if (attempt > 0) throw error;
    }
  }
}
port.on('message', (request) => {
  run(request)
    .catch((error) => ({ ok: false, message: error && error.message ? error.message : String(error) }))
    .then((reply) => {
      port.postMessage(reply);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    });
});
`;

class WorkerSession implements SqlSession {
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor() {
    const { port1, port2 } = new MessageChannel();
    const pg = createRequire(import.meta.url).resolve('pg');
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { pg, name: SQL_SESSION_NAME, port: port2, flag: this.flag.buffer },
      transferList: [port2],
    });
    worker.unref();
    this.port = port1;
    this.port.unref();
  }

  query(url: string, sql: string): string {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ url, sql });
    // Bounded: a server that never answers fails the test instead of hanging it.
    const deadline = Date.now() + 60_000;
    while (Atomics.load(this.flag, 0) === 0) {
      if (Date.now() > deadline) throw new Error(`SQL got no answer in 60 s: ${sql}`);
      Atomics.wait(this.flag, 0, 0, 1_000);
    }
    const reply = receiveMessageOnPort(this.port)?.message as Reply | undefined;
    if (!reply) throw new Error(`SQL got no answer: ${sql}`);
    if (!reply.ok) throw new Error(`SQL failed: ${reply.message}\n${sql}`);
    return reply.text;
  }
}

let shared: SqlSession | null = null;

/** The test process's one SQL session worker, started on first use. */
export function sqlSession(): SqlSession {
  shared ??= new WorkerSession();
  return shared;
}
