import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { conflict, WgError } from '../../shared/errors';
import type { ServiceStatus } from '../../shared/service-types';
import type { ServiceOverrides } from '../coordinator/config-view';
import type { ProjectPaths } from '../project';
import { cliBundlePath } from './bundled-files';
import { probeStatus } from './service-probe';
import { listenPlan, type ListenRequest } from './http/listen-plan';
import { openAppendNoFollow } from '../files/no-follow';

function overrideFlags(o: ServiceOverrides, listen: ListenRequest = {}): string[] {
  return [
    ...(o.maxAgents !== undefined ? ['--max-agents', String(o.maxAgents)] : []),
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
 * the coordinator is up (issue 30: start until it answers ≤ 300 ms).
 */
export async function startInBackground(
  paths: ProjectPaths,
  overrides: ServiceOverrides,
  listen: ListenRequest = {},
  timeoutMs = 20_000,
): Promise<ServiceStatus> {
  // Refused here, in the caller's terminal, rather than in a background process's log.
  listenPlan(listen);
  const running = await probeStatus(paths);
  if (running) throw conflict(`a coordinator is already running for this project (pid ${running.pid})`);
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
  const readyPipe = child.stdio[READY_FD];
  const outcome = await new Promise<'ready' | 'exited' | 'late'>((resolve) => {
    const timer = setTimeout(() => resolve('late'), timeoutMs);
    readyPipe?.once('data', () => resolve('ready'));
    // The pipe closes with the process, or earlier if it never came up: either way 'exit' says which.
    child.once('exit', () => resolve('exited'));
    child.once('error', () => resolve('exited'));
    const settle = () => clearTimeout(timer);
    readyPipe?.once('data', settle);
    child.once('exit', settle);
  });
  readyPipe?.destroy();
  child.unref();
  if (outcome === 'ready') {
    const status = await probeStatus(paths, 5000);
    if (status && status.pid === child.pid) return status;
  }
  if (outcome === 'exited' || child.exitCode !== null) {
    const said = readFileSync(outFile).subarray(offset).toString('utf8').trim().split('\n').at(-1);
    throw new WgError('unavailable', said ? said.replace(/^wg: /, '') : `the coordinator exited at once (code ${child.exitCode ?? 1})`);
  }
  throw new WgError('unavailable', `the coordinator did not answer within ${timeoutMs / 1000}s; see ${paths.daemonLog}`);
}
