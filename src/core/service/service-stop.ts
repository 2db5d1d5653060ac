import { conflict, WgError } from '../../shared/errors';
import { processAlive } from '../runs/killing/process-group';
import type { ProjectPaths } from '../project';
import { readPidFile } from './coordinator-lock';
import { daemonRequest } from './daemon-client';
import { SHUTDOWN_PATH } from './http/routes';
import { probeStatus, sleep } from './service-probe';
import { readServiceState } from './state-file';
import { killLeftAgents } from './stop-kill-leftovers';

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true;
    await sleep(50);
  }
  return !processAlive(pid);
}

/**
 * `wg service stop [--kill-agents]`: asks the daemon to stop and waits until its process is gone.
 * Returns the pid stopped, or null when none was running. A daemon that no longer answers is sent SIGTERM. With
 * killAgents, what it left running is stopped here once it is gone (killLeftAgents).
 */
export async function stopService(
  paths: ProjectPaths,
  options: { killAgents: boolean; timeoutMs?: number; force?: boolean },
): Promise<number | null> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Upstream's `stop --force`: SIGKILL at once (its agent runs keep running; the next start adopts them).
  if (options.force) {
    if (options.killAgents) throw conflict('--force kills only the coordinator: stop it without --force to kill the agents too');
    const pid = readPidFile(paths);
    if (pid === null || !processAlive(pid)) return null;
    if (readServiceState(paths)?.host === 'app') throw conflict('the coordinator runs inside the desktop app; close the project there');
    process.kill(pid, 'SIGKILL');
    if (!(await waitGone(pid, timeoutMs))) throw new WgError('unavailable', `the coordinator (pid ${pid}) does not stop`);
    return pid;
  }
  const status = await probeStatus(paths);
  if (!status) {
    const pid = readPidFile(paths);
    if (pid === null || !processAlive(pid)) return null;
    process.kill(pid, 'SIGTERM');
    if (!(await waitGone(pid, timeoutMs))) throw new WgError('unavailable', `the coordinator (pid ${pid}) does not stop`);
    if (options.killAgents) await killLeftAgents(paths);
    return pid;
  }
  if (readServiceState(paths)?.host === 'app') {
    throw conflict('the coordinator runs inside the desktop app; close the project there');
  }
  const pid = status.pid as number;
  const reply = await daemonRequest(paths, 'POST', SHUTDOWN_PATH, { kill_agents: options.killAgents }, 10_000).catch(() => null);
  if (reply && reply.status >= 400) {
    // The coordinator's own reason (a run's credential, say), not only its status.
    const why = (reply.body as { error?: unknown } | null)?.error;
    throw new WgError('unavailable', `the coordinator refused to stop: ${typeof why === 'string' ? why : `HTTP ${reply.status}`}`);
  }
  if (!(await waitGone(pid, timeoutMs)))
    throw new WgError('unavailable', `the coordinator (pid ${pid}) did not stop within ${timeoutMs / 1000}s`);
  if (options.killAgents) await killLeftAgents(paths);
  return pid;
}
