import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import type { WgLauncher } from '../../runs/starting/agent-wg';
import { parseLine, spawnerReply, type BaseRequest, type SpawnerReply } from './spawner-protocol';
import type { SpawnedRun, SpawnEnd } from './spawner';
import type { LaunchRequest, RunLauncher } from './run-request';
import { traceKey, traceRun } from '../../runs/files/run-trace';

interface Waiting {
  started(answer: { pid: number; cgroup: string | null }): void;
  failed(reason: string): void;
  ended(end: SpawnEnd & { lost?: boolean }): void;
}

const START_TIMEOUT_MS = 30_000;
const NO_BASE: Record<string, string> = {};

/**
 * The coordinator's side of the spawner process (spawner-main.ts): started on first use with the
 * runtime `wg` runs with (plain Node, or Electron as Node in the app) and the spawner bundle as its
 * program, started again if it dies. A run
 * whose spawner died before it ended is reported `lost`; its own files still tell how it ends.
 */
export class SpawnerClient implements RunLauncher {
  private child: ResultPromise | null = null;
  private readonly waiting = new Map<string, Waiting>();
  private next = 0;
  private closed = false;
  /** The base environment the running spawner has (a new spawner has none). */
  private sentBase: Record<string, string> | null = null;

  constructor(
    private readonly launcher: WgLauncher,
    private readonly onError: (message: string) => void,
  ) {}

  /**
   * Starts a run whose environment is `base` (sent to the spawner only when it is not the one sent
   * last: the coordinator's stays the same object) plus the request's own `env`.
   */
  start(request: LaunchRequest): Promise<SpawnedRun> {
    if (this.closed) return Promise.reject(new Error('the coordinator is stopping'));
    const ref = `r${++this.next}`;
    const { base = NO_BASE, ...own } = request;
    const child = this.running();
    if (base !== this.sentBase) {
      child.stdin?.write(`${JSON.stringify({ type: 'base', env: base } satisfies BaseRequest)}\n`);
      this.sentBase = base;
    }
    const key = traceRun ? traceKey(request.dir) : '';
    return new Promise<SpawnedRun>((resolve, reject) => {
      let settle: (end: SpawnEnd & { lost?: boolean }) => void = () => undefined;
      const ended = new Promise<SpawnEnd & { lost?: boolean }>((done) => {
        settle = done;
      });
      const timer = setTimeout(() => waiting.failed('the spawner did not answer'), START_TIMEOUT_MS);
      const waiting: Waiting = {
        started: ({ pid, cgroup }) => {
          traceRun?.('d-started', key);
          clearTimeout(timer);
          resolve({ pid, cgroup, ended });
        },
        failed: (reason) => {
          clearTimeout(timer);
          this.waiting.delete(ref);
          reject(new Error(reason));
        },
        ended: (end) => {
          traceRun?.('d-ended', key);
          this.waiting.delete(ref);
          settle(end);
        },
      };
      this.waiting.set(ref, waiting);
      traceRun?.('d-spawn', key);
      child.stdin?.write(`${JSON.stringify({ type: 'start', ref, ...own })}\n`);
    });
  }

  /** Stops the spawner (the runs go on: they are detached). */
  close(): void {
    this.closed = true;
    this.child?.stdin?.end();
    this.child = null;
  }

  private running(): ResultPromise {
    if (this.child) return this.child;
    const child = execa(this.launcher.command, this.launcher.args, {
      env: this.launcher.env, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', reject: false, buffer: false, cleanup: false,
    });
    child.stdin?.on('error', () => undefined);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => this.answer(parseLine(spawnerReply, line)));
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => this.onError(`spawner: ${line}`));
    void child.then((result) => {
      if (this.child === child) this.child = null;
      // Starts it did not answer failed; runs it did not see end are watched through their files.
      for (const [ref, waiting] of this.waiting) {
        waiting.failed(`the spawner exited (${result.signal ?? result.exitCode ?? 'unknown'})`);
        waiting.ended({ status: null, signal: null, lost: true });
        this.waiting.delete(ref);
      }
    });
    // The coordinator may exit while runs go on; neither the spawner nor its pipes keep it alive.
    child.unref();
    this.child = child;
    this.sentBase = null;
    return child;
  }

  private answer(reply: SpawnerReply | null): void {
    if (!reply) return;
    const waiting = this.waiting.get(reply.ref);
    if (!waiting) return;
    if (reply.type === 'started') waiting.started({ pid: reply.pid, cgroup: reply.cgroup });
    else if (reply.type === 'failed') waiting.failed(reply.reason);
    else if (reply.type === 'lost') waiting.ended({ status: null, signal: null, lost: true });
    else waiting.ended({ status: reply.status, signal: reply.signal });
  }
}
