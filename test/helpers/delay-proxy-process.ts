import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type DelayProxyOptions, startDelayProxy } from './delay-proxy';

/**
 * The delay proxy (delay-proxy.ts) in a process of its own, for a bench whose own work (timing runs, reading files,
 * calling `wg`) must not hold the proxy's timers back: an event loop busy elsewhere would add its own delay to every
 * chunk. The proxy's counts are asked for over the fork's IPC channel. The child stops when its parent goes.
 */
export interface DelayProxyProcess {
  port: number;
  pid: number;
  /** Client → server bursts that followed an answer, over every connection so far (delay-proxy.ts). */
  roundTrips(): Promise<number>;
  setDelay(ms: number): Promise<void>;
  close(): Promise<void>;
}

const CHILD = 'WG_DELAY_PROXY_OPTIONS';

type Question = { ask: 'trips' } | { ask: 'delay'; ms: number };
type Ask = Question & { id: number };
type Answer = { id: number; trips?: number } | { port: number } | { failed: string };

export function startDelayProxyProcess(options: DelayProxyOptions): Promise<DelayProxyProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, [CHILD]: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let asked = 0;
  const waiting = new Map<number, (answer: { trips?: number }) => void>();
  const ask = (question: Question) =>
    new Promise<{ trips?: number }>((resolve, reject) => {
      const id = ++asked;
      waiting.set(id, resolve);
      child.send({ ...question, id } satisfies Ask, (error) => {
        if (error) reject(error);
      });
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the delay proxy's process exited (${code}) before it listened`)));
    child.on('message', (message: Answer) => {
      if ('failed' in message) reject(new Error(`the delay proxy did not start: ${message.failed}`));
      else if ('port' in message)
        resolve({
          port: message.port,
          pid: child.pid as number,
          roundTrips: async () => (await ask({ ask: 'trips' })).trips ?? 0,
          setDelay: async (ms) => {
            await ask({ ask: 'delay', ms });
          },
          close: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.disconnect();
            }),
        });
      else {
        waiting.get(message.id)?.(message);
        waiting.delete(message.id);
      }
    });
  });
}

/** The child: the proxy, answering its parent until the channel closes. */
async function serveParent(options: DelayProxyOptions): Promise<void> {
  const send = (answer: Answer) => process.send?.(answer);
  try {
    const proxy = await startDelayProxy(options);
    process.on('message', (question: Ask) => {
      if (question.ask === 'delay') proxy.setDelay(question.ms);
      send({ id: question.id, trips: proxy.roundTrips() });
    });
    process.once('disconnect', () => {
      void proxy.close().then(() => process.exit(0));
    });
    send({ port: proxy.port });
  } catch (error) {
    send({ failed: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}

const childOptions = process.env[CHILD];
if (childOptions && process.send) void serveParent(JSON.parse(childOptions) as DelayProxyOptions);
