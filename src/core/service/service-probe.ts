import { opPath } from '../../shared/api-contract';
import type { ServiceStatus } from '../../shared/service-types';
import type { ProjectPaths } from '../project';
import { daemonRequest } from './daemon-client';
import { requireSafeSocket } from './socket-safety';

/** The running coordinator's status over the socket, or null when none answers (quickly). */
export async function probeStatus(paths: ProjectPaths, timeoutMs = 2000): Promise<ServiceStatus | null> {
  // A socket that is not the user's own is said plainly, not taken for "not running".
  requireSafeSocket(paths.socket);
  try {
    const reply = await daemonRequest(paths, 'POST', opPath('service:status'), {}, timeoutMs);
    if (reply.status !== 200 || typeof reply.body !== 'object' || reply.body === null) return null;
    return reply.body as ServiceStatus;
  } catch {
    return null;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
