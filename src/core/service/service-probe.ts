import { opPath } from '../../shared/api-contract';
import type { ServiceStatus } from '../../shared/service-types';
import type { ProjectPaths } from '../project';
import { daemonRequest } from './daemon-client';

/** The running coordinator's status over the socket, or null when none answers (quickly). */
export async function probeStatus(paths: ProjectPaths, timeoutMs = 2000): Promise<ServiceStatus | null> {
  try {
    const reply = await daemonRequest(paths, 'POST', opPath('service:status'), {}, timeoutMs);
    if (reply.status !== 200 || typeof reply.body !== 'object' || reply.body === null) return null;
    return reply.body as ServiceStatus;
  } catch {
    return null;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
