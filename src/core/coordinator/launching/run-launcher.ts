import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { traceKey, traceRun } from '../../runs/files/run-trace';
import { canCarry, forkRun, forkServerHere, type ForkServer } from './fork-server';
import { prepareRun, type LaunchRequest, type RunLauncher } from './run-request';
import type { SpawnedRun, SpawnEnd } from './spawner';
import { SpawnerClient } from './spawner-client';
import type { WgLauncher } from '../../runs/starting/agent-wg';

const NO_BASE: Record<string, string> = {};

/**
 * Runs started by the coordinator's own process through the run server (fork-server.ts), forked
 * from it once: each run is one request on the server's stdin and its start and end one line each
 * on its stdout, with no process between (the spawner process cost every run a pipe hop each way,
 * a JSON message and a zod check on both ends). The spawner process stays for what the shell
 * cannot carry exactly, started only if such a run comes.
 */
export class DirectLauncher implements RunLauncher {
  private fallback: SpawnerClient | null = null;

  constructor(
    private readonly server: ForkServer,
    private readonly spawner: WgLauncher,
    private readonly onError: (message: string) => void,
  ) {}

  start(request: LaunchRequest): Promise<SpawnedRun> {
    const key = traceRun ? traceKey(request.dir) : '';
    traceRun?.('d-spawn', key);
    const spawn = prepareRun(request, request.base ?? NO_BASE);
    if (!canCarry(spawn)) {
      this.fallback ??= new SpawnerClient(this.spawner, this.onError);
      return this.fallback.start(request);
    }
    return forkRun(this.server, spawn).then((run) => {
      if (traceRun) {
        traceRun('d-started', key);
        void run.ended.then(() => traceRun?.('d-ended', key));
      }
      return { pid: run.pid, cgroup: run.cgroup, ended: run.ended.then(exactEnd) };
    });
  }

  close(): void {
    this.server.close();
    this.fallback?.close();
  }
}

/**
 * The run server's worker writes the run's exit status to its exit file, then reports that same number
 * (fork-server.sh): the end it reports needs no read of the file (three system calls a run). A run
 * the server lost track of (`lost`) is told by its files, as before.
 */
function exactEnd(end: SpawnEnd & { lost?: boolean }): SpawnEnd & { lost?: boolean } {
  return end.lost || !Number.isInteger(end.status) ? end : { status: end.status, signal: end.signal, exact: true };
}

/**
 * How this coordinator starts runs: the run server from its own process on POSIX systems with
 * bash 4+ (the script ships beside the spawner bundle), else the spawner process with execa
 * (Windows, no bash 4, WG_FORK_SERVER=0 in either environment, no script beside the bundle).
 */
export function runLauncher(spawner: WgLauncher, onError: (message: string) => void): RunLauncher {
  const bundle = spawner.args.find((arg) => basename(arg) === 'spawner.mjs');
  const script = bundle ? join(dirname(bundle), 'fork-server.sh') : null;
  const here = spawner.env.WG_FORK_SERVER === '0' || script === null || !existsSync(script) ? null : forkServerHere(process.env, script, onError);
  return here ? new DirectLauncher(here, spawner, onError) : new SpawnerClient(spawner, onError);
}
