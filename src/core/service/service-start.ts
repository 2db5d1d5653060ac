import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { conflict, WgError } from '../../shared/errors';
import type { ServiceStatus } from '../../shared/service-types';
import type { ServiceOverrides } from '../coordinator/config-view';
import type { ProjectPaths } from '../project';
import { cliBundlePath } from './bundled-files';
import { probeStatus, sleep } from './service-probe';
import { listenPlan, type ListenRequest } from './http/listen-plan';
import { openAppendNoFollow } from '../files/no-follow';

export function overrideFlags(o: ServiceOverrides, listen: ListenRequest = {}): string[] {
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
export const daemonOutFile = (paths: ProjectPaths) => join(paths.serviceDir, 'daemon.out');

/**
 * `wg service start`: runs `wg service start --foreground …` detached (own session, no terminal)
 * and waits until it answers on the socket. If it exits first, its last words are the error.
 */
export async function startInBackground(paths: ProjectPaths, overrides: ServiceOverrides, listen: ListenRequest = {}, timeoutMs = 20_000): Promise<ServiceStatus> {
  // Refused here, in the caller's terminal, rather than in a background process's log.
  listenPlan(listen);
  const running = await probeStatus(paths);
  if (running) throw conflict(`a coordinator is already running for this project (pid ${running.pid})`);
  const outFile = daemonOutFile(paths);
  // The first command in a folder may be this one (an upstream project never `wg init`ed here).
  mkdirSync(paths.serviceDir, { recursive: true, mode: 0o700 });
  const offset = existsSync(outFile) ? statSync(outFile).size : 0;
  const out = openAppendNoFollow(outFile, 0o600);
  const child = spawn(process.execPath, [cliBundlePath(), '--dir', paths.dir, 'service', 'start', '--foreground', ...overrideFlags(overrides, listen)], {
    cwd: paths.root, detached: true, stdio: ['ignore', out, out], env: process.env,
  });
  closeSync(out);
  child.unref();
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? 1;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) {
      const said = readFileSync(outFile).subarray(offset).toString('utf8').trim().split('\n').at(-1);
      throw new WgError('unavailable', said ? said.replace(/^wg: /, '') : `the coordinator exited at once (code ${exited})`);
    }
    const status = await probeStatus(paths, 1000);
    if (status && status.pid === child.pid) return status;
    await sleep(50);
  }
  throw new WgError('unavailable', `the coordinator did not answer within ${timeoutMs / 1000}s; see ${paths.daemonLog}`);
}
