import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { closeSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { conflict, WgError } from '../../shared/errors';
import type { ServiceStatus } from '../../shared/service-types';
import type { ProjectPaths } from '../project';
import { cliBundlePath } from '../runs/starting/bundled-files';
import { probeCoordinator, probeStatus, silentWords } from './service-probe';
import { listenPlan } from './http/listen-plan';
import type { ListenRequest } from '../service-state/state-file';
import { openAppendNoFollow } from '../files/no-follow';

/** The override flags a daemon is started with: as a person gave them, or as a running one had them. */
export interface OverrideFlags {
  maxAgents?: number | string;
  model?: string;
  executor?: string;
  interval?: number | string;
}

function overrideFlags(o: OverrideFlags, listen: ListenRequest = {}): string[] {
  return [
    ...(o.maxAgents !== undefined ? ['--max-agents', String(o.maxAgents)] : []),
    ...(o.interval !== undefined ? ['--interval', String(o.interval)] : []),
    ...(o.model !== undefined ? ['--model', o.model] : []),
    ...(o.executor !== undefined ? ['--executor', o.executor] : []),
    ...(listen.listen ? ['--listen', listen.listen] : []),
    ...(listen.tlsCert ? ['--tls-cert', listen.tlsCert] : []),
    ...(listen.tlsKey ? ['--tls-key', listen.tlsKey] : []),
    ...(listen.insecure ? ['--insecure'] : []),
  ];
}

/** Where the background daemon's own stdout/stderr go (startup failures land here). */
const daemonOutFile = (paths: ProjectPaths) => join(paths.serviceDir, 'daemon.out');

/** The descriptor on which a daemon started in the background says it answers (runDaemon writes it). */
const READY_FD = 3;
export const READY_FD_VARIABLE = 'WG_READY_FD';

/**
 * `wg service start`: runs `wg service start --foreground …` detached (own session, no terminal)
 * and waits for it to say, on a pipe of its own, that it answers on the socket. If it exits first,
 * its last words are the error. Waiting on the pipe, not polling the socket, answers the moment
 * the coordinator is up.
 */
export async function startInBackground(
  paths: ProjectPaths,
  overrides: OverrideFlags,
  listen: ListenRequest = {},
  timeoutMs = 20_000,
): Promise<ServiceStatus> {
  // Refused here, in the caller's terminal, rather than in a background process's log.
  listenPlan(listen);
  const running = await probeCoordinator(paths);
  if (running && 'silent' in running) throw conflict(silentWords(running.silent));
  if (running) throw conflict(`a coordinator is already running for this project (pid ${running.status.pid})`);
  const outFile = daemonOutFile(paths);
  // The first command in a folder may be this one (an upstream project never `wg init`ed here).
  mkdirSync(paths.serviceDir, { recursive: true, mode: 0o700 });
  const offset = existsSync(outFile) ? statSync(outFile).size : 0;
  const out = openAppendNoFollow(outFile, 0o600);
  const child = spawn(
    process.execPath,
    [cliBundlePath(), '--dir', paths.dir, 'service', 'start', '--foreground', ...overrideFlags(overrides, listen)],
    {
      cwd: paths.root,
      detached: true,
      stdio: ['ignore', out, out, 'pipe'],
      env: { ...process.env, [READY_FD_VARIABLE]: String(READY_FD) },
    },
  );
  closeSync(out);
  const readyPipe = child.stdio[READY_FD] as Readable | null;
  // The daemon writes its status as one line once it answers; the pipe closes with it if it never does.
  let said = '';
  const outcome = await new Promise<'ready' | 'exited' | 'late'>((resolve) => {
    const settle = (how: 'ready' | 'exited' | 'late') => {
      clearTimeout(timer);
      resolve(how);
    };
    const timer = setTimeout(() => settle('late'), timeoutMs);
    readyPipe?.setEncoding('utf8');
    readyPipe?.on('data', (chunk: string) => {
      said += chunk;
      if (said.includes('\n')) settle('ready');
    });
    // The pipe closes with the process, or earlier if it never came up: either way 'exit' says which.
    child.once('exit', () => settle('exited'));
    child.once('error', () => settle('exited'));
  });
  readyPipe?.destroy();
  child.unref();
  const failure = startFailure(said);
  if (failure !== null) throw new WgError('unavailable', failure);
  if (outcome === 'ready') {
    const status = readyStatus(said, child.pid) ?? (await probeStatus(paths, 5000));
    if (status && status.pid === child.pid) return status;
  }
  if (outcome === 'exited' || child.exitCode !== null) {
    const said = readFileSync(outFile).subarray(offset).toString('utf8').trim().split('\n').at(-1);
    throw new WgError('unavailable', said ? said.replace(/^wg: /, '') : `the coordinator exited at once (code ${child.exitCode ?? 1})`);
  }
  throw new WgError('unavailable', `the coordinator did not answer within ${timeoutMs / 1000}s; see ${paths.daemonLog}`);
}

/** What a daemon that could not start says on its ready pipe instead of its status. */
export interface StartFailure {
  error: string;
}

/** Why the daemon could not start, when it said so on its ready pipe. */
function startFailure(line: string): string | null {
  try {
    const said = JSON.parse(line) as Partial<StartFailure>;
    return typeof said === 'object' && said !== null && typeof said.error === 'string' ? said.error : null;
  } catch {
    return null;
  }
}

/** The status line a daemon started here wrote on its ready pipe, if it is one (else it is asked over the socket). */
function readyStatus(line: string, pid: number | undefined): ServiceStatus | null {
  try {
    const status = JSON.parse(line) as ServiceStatus;
    return typeof status === 'object' && status !== null && status.pid === pid ? status : null;
  } catch {
    return null;
  }
}
