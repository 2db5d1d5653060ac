import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

/**
 * The database worker's file beside this module: `pg-worker.cjs` in the CLI's bundle (out/cli/),
 * `pg-worker.js` in the app's (out/main/, this module perhaps one folder down in a chunk), and the
 * TypeScript source when running from source (tests, benches), loaded through tsx, which is there then.
 */
function workerFile(): { file: string; source: boolean } {
  for (const base of ['./', '../']) {
    for (const name of ['pg-worker.cjs', 'pg-worker.js']) {
      const file = fileURLToPath(new URL(`${base}${name}`, import.meta.url));
      if (existsSync(file)) return { file, source: false };
    }
  }
  const source = fileURLToPath(new URL('./pg-worker.ts', import.meta.url));
  if (existsSync(source)) return { file: source, source: true };
  throw new Error('this installation lacks its database worker (pg-worker); reinstall or run `npm run build:cli`');
}

/**
 * The worker's start from source: tsx's ESM entry found from this module (an eval'd worker resolves a bare name
 * from the process's current folder, which may be any project's), and a worker that cannot load
 * raises the ended flag, so that its caller, blocked waiting, reports it instead of waiting for good.
 */
function sourceBootstrap(file: string): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsx = pathToFileURL(join(dirname(manifest), (exports['./esm/api'] as { import: { default: string } }).import.default)).href;
  return `const { workerData } = require('node:worker_threads');
import(${JSON.stringify(tsx)})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })
  .catch((error) => {
    const flag = new Int32Array(workerData.flag);
    Atomics.store(flag, 1, 1);
    Atomics.notify(flag, 0);
    throw error;
  });`;
}

/**
 * A worker thread the calling thread waits on, blocked (Atomics.wait), for each answer: the way a
 * synchronous store talks to node-postgres, which is asynchronous. The worker posts its answer on a
 * port of its own and raises a shared flag; the caller takes the answer off the port without turning
 * its event loop (receiveMessageOnPort). The worker does not keep the process alive.
 */
class SyncWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** [0]: an answer is waiting; [1]: the worker has ended. */
  private readonly flag = new Int32Array(new SharedArrayBuffer(8));
  private ended = false;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    const { file, source } = workerFile();
    const data = { port: port2, flag: this.flag.buffer };
    this.worker = source
      ? new Worker(sourceBootstrap(file), { eval: true, workerData: data, transferList: [port2], name: 'wg-postgres' })
      : new Worker(file, { workerData: data, transferList: [port2], name: 'wg-postgres' });
    this.worker.unref();
    // Its end is reported to the caller through the flag; an error event must not end the process.
    this.worker.on('error', () => undefined);
    this.port = port1;
    this.port.unref();
  }

  call(request: WorkerRequest): WorkerReply {
    if (this.ended) throw new Error('the database worker has ended');
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    while (Atomics.load(this.flag, 0) === 0) {
      if (Atomics.load(this.flag, 1) === 1) {
        this.ended = true;
        throw new Error('the database worker ended unexpectedly');
      }
      Atomics.wait(this.flag, 0, 0, 1_000);
    }
    const answer = receiveMessageOnPort(this.port);
    if (!answer) throw new Error('the database worker gave no answer');
    return answer.message as WorkerReply;
  }
}

let shared: SyncWorker | null = null;

/** The process's one database worker, started with the first PostgreSQL store: every store's connection is a session of it. */
export function sharedWorker(): SyncWorker {
  shared ??= new SyncWorker();
  return shared;
}
