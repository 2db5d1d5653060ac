import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** The application_name of its connections: a look at who else is connected leaves them out (pg-schema-pool.ts). */
export const SQL_SESSION_NAME = 'wg-test-sql';

type Reply = { ok: true; text: string } | { ok: false; message: string };

/**
 * SQL for what a test sets up or looks at around the store, answered as `psql -qAt -c` prints it (each row's
 * values as the server writes them, joined by `|`, one row a line; NULL empty), but over one kept connection per
 * database instead of a psql process and a server backend per statement, which the tests' polls made by the
 * thousand.
 * Synchronous like psql was (a worker thread does the talking; the caller waits on it), so a test reads it
 * in a poll or an assertion as before. Each statement starts from the session's defaults (DISCARD ALL after it),
 * as a fresh psql did; a connection the server cut (a restart) is made again.
 */
class SqlSession {
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor() {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL('./sql-session-worker.cjs', import.meta.url), {
      workerData: { name: SQL_SESSION_NAME, port: port2, flag: this.flag.buffer },
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
  shared ??= new SqlSession();
  return shared;
}
