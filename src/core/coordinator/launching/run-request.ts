import { mkdirSync, writeFileSync } from 'node:fs';
import { runFiles } from '../../runs/files/run-files';
import { runEnvironment } from '../../runs/starting/agent-env';
import type { SpawnedRun, SpawnRequest } from './spawner';
import type { StartRequest } from './spawner-protocol';

/**
 * What a coordinator asks to start: the run's folder, command and working folder, the environment
 * every run shares (`base`, the coordinator's own) and what this run adds to it (`env`).
 */
export type LaunchRequest = Omit<StartRequest, 'type' | 'ref'> & { base?: Record<string, string> };

/**
 * What starts runs for the coordinator: the run server driven from the coordinator's own process
 * (run-launcher.ts), or the spawner process (spawner-client.ts, execa inside). Both give the same
 * answer, so nothing after the start knows which one ran it.
 */
export interface RunLauncher {
  start(request: LaunchRequest): Promise<SpawnedRun>;
  /** Stops starting runs (the runs already started go on). */
  close(): void;
}

/**
 * Makes the run folder and its stdin file, and composes the run's whole environment: what both
 * starters do for each run before it is forked (the spawner process and the coordinator's own run
 * server). At once, not through libuv's thread pool: its round trip cost a start 3 ms p50 on a
 * loaded machine (WG_TRACE_RUNS).
 */
export function prepareRun(request: LaunchRequest, base: Record<string, string>): SpawnRequest {
  const files = runFiles(request.dir);
  mkdirSync(files.dir, { recursive: true });
  if (request.stdin !== null) writeFileSync(files.stdin, request.stdin, { mode: 0o600 });
  let env: Record<string, string> | null = null;
  return {
    files, runId: request.runId, command: request.command, args: request.args, cwd: request.cwd,
    // Composed only when asked for (execa needs it whole; the run server takes the layers).
    get env() {
      env ??= runEnvironment(base, request.env);
      return env;
    },
    stdinFile: request.stdin === null ? null : files.stdin,
    layers: { base, own: request.env },
  };
}
