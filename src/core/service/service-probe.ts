import { opPath } from '../../shared/api-contract';
import type { ServiceStatus } from '../../shared/service-types';
import type { ProjectPaths } from '../project';
import { processAlive } from '../processes/process-group';
import { lockHeld, readPidFile } from './coordinator-lock';
import { coordinatorRequest } from '../connecting/coordinator-client';
import { requireSafeSocket } from '../connecting/socket-safety';

/** The running coordinator's status over the socket, or null when none answers (quickly). */
export async function probeStatus(paths: ProjectPaths, timeoutMs = 2000): Promise<ServiceStatus | null> {
  // A socket that is not the user's own is said plainly, not taken for "not running".
  requireSafeSocket(paths.socket);
  try {
    const reply = await coordinatorRequest(paths, 'POST', opPath('service:status'), {}, timeoutMs);
    if (reply.status !== 200 || typeof reply.body !== 'object' || reply.body === null) return null;
    return reply.body as ServiceStatus;
  } catch {
    return null;
  }
}

/** A coordinator that runs in this folder (it holds the lock) but did not answer on its socket within `waitedMs`. */
export interface SilentCoordinator {
  pid: number | null;
  waitedMs: number;
}

/**
 * This folder's coordinator: its status when it answers; when it does not, whether it runs all the same. A coordinator
 * busy with a long write (a large import) answers late, and one still starting not at all: taking either for none would
 * say "not running" of a live one, and let a repair replace the database under it. The lock says so at once.
 */
export async function probeCoordinator(
  paths: ProjectPaths,
  timeoutMs = 2000,
): Promise<{ status: ServiceStatus } | { silent: SilentCoordinator } | null> {
  const status = await probeStatus(paths, timeoutMs);
  if (status) return { status };
  const pid = readPidFile(paths);
  const held = lockHeld(paths);
  // Where the lock cannot be asked (a read-only folder), the pid file's process is the best word there is.
  if (held === true || (held === null && pid !== null && processAlive(pid))) return { silent: { pid, waitedMs: timeoutMs } };
  return null;
}

/** How a silent coordinator is named in a refusal: its pid, and that it did not answer. */
export function silentWords(silent: SilentCoordinator): string {
  return `a coordinator is running for this project${silent.pid === null ? '' : ` (pid ${silent.pid})`} but did not answer within ${silent.waitedMs / 1000} s; it may be busy`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
