import { conflict, WgError } from '../../shared/errors';
import { processAlive, processStopped } from '../processes/process-group';
import type { ProjectPaths } from '../project';
import { readPidFile } from './coordinator-lock';
import { coordinatorRequest } from '../connecting/coordinator-client';
import { SHUTDOWN_PATH } from './http/routes';
import { probeStatus, sleep } from './service-probe';
import { readServiceState } from '../service-state/state-file';
import { killLeftAgents } from './stop-kill-leftovers';

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true;
    await sleep(50);
  }
  return !processAlive(pid);
}

export interface StopOptions {
  killAgents: boolean;
  timeoutMs?: number;
  force?: boolean;
  /** A line for the person waiting, while the stop waits on something they can act on (a stopped process). */
  notice?: (line: string) => void;
}

export interface StopOutcome {
  /** The coordinator stopped, or null when none was running. */
  pid: number | null;
  /**
   * With killAgents and no coordinator running: how many runs it had left were stopped here; null on a team's graph,
   * whose other coordinators take over a lost one's runs.
   */
  leftStopped: number | null;
}

/**
 * `wg service stop [--kill-agents]`: asks the daemon to stop and waits until its process is gone. A daemon that no
 * longer answers is sent SIGTERM. With killAgents, what it left running is stopped here once it is gone
 * (killLeftAgents), and so when none runs: the runs a stopped or crashed coordinator left go on otherwise, and
 * `--kill-agents` is how a person asks for them to end (upstream's stop kills nothing then).
 */
export async function stopService(paths: ProjectPaths, options: StopOptions): Promise<StopOutcome> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Upstream's `stop --force`: SIGKILL at once (its agent runs keep running; the next start adopts them).
  if (options.force) {
    if (options.killAgents) throw conflict('--force kills only the coordinator: stop it without --force to kill the agents too');
    const pid = readPidFile(paths);
    if (pid === null || !processAlive(pid)) return { pid: null, leftStopped: 0 };
    if (readServiceState(paths)?.host === 'app') throw conflict('the coordinator runs inside the desktop app; close the project there');
    process.kill(pid, 'SIGKILL');
    if (!(await waitGone(pid, timeoutMs))) throw new WgError('unavailable', `the coordinator (pid ${pid}) does not stop`);
    return { pid, leftStopped: 0 };
  }
  const status = await probeStatus(paths);
  if (!status) {
    const pid = readPidFile(paths);
    if (pid === null || !processAlive(pid)) {
      return { pid: null, leftStopped: options.killAgents ? await killLeftAgents(paths) : 0 };
    }
    process.kill(pid, 'SIGTERM');
    // A stopped process takes the SIGTERM only once continued: without a word the stop would seem to hang.
    if (processStopped(pid)) {
      options.notice?.(
        `the coordinator (pid ${pid}) is stopped (SIGSTOP or a debugger) and ends only once continued (kill -CONT ${pid}); waiting up to ${Math.round(timeoutMs / 1000)} s${options.killAgents ? '' : ' (wg service stop --force kills it now)'}`,
      );
    }
    if (!(await waitGone(pid, timeoutMs))) throw new WgError('unavailable', `the coordinator (pid ${pid}) does not stop`);
    if (options.killAgents) await killLeftAgents(paths);
    return { pid, leftStopped: 0 };
  }
  if (readServiceState(paths)?.host === 'app') {
    throw conflict('the coordinator runs inside the desktop app; close the project there');
  }
  const pid = status.pid as number;
  const reply = await coordinatorRequest(paths, 'POST', SHUTDOWN_PATH, { kill_agents: options.killAgents }, 10_000).catch(() => null);
  if (reply && reply.status >= 400) {
    // The coordinator's own reason (a run's credential, say), not only its status.
    const why = (reply.body as { error?: unknown } | null)?.error;
    throw new WgError('unavailable', `the coordinator refused to stop: ${typeof why === 'string' ? why : `HTTP ${reply.status}`}`);
  }
  if (!(await waitGone(pid, timeoutMs)))
    throw new WgError('unavailable', `the coordinator (pid ${pid}) did not stop within ${timeoutMs / 1000}s`);
  if (options.killAgents) await killLeftAgents(paths);
  return { pid, leftStopped: 0 };
}
