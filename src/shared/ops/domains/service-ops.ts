import { z } from 'zod';
import { op } from '../define';
import type { Agent } from '../../agent';
import type { ServiceStatus } from '../../service-types';
import { taskId } from '../schemas';

const byId = z.object({ id: taskId });

/** Operations: service (needs the running coordinator). */
export const serviceOps = {
  'service:status': op({
    kind: 'query', scope: 'service', summary: 'Coordinator status', input: z.object({}),
  }).returns<ServiceStatus>(),
  'service:pause': op({
    kind: 'mutation', scope: 'service', summary: 'Stop spawning (agents continue)', input: z.object({}),
    cli: { command: 'service pause' },
  }).returns<ServiceStatus>(),
  'service:resume': op({
    kind: 'mutation', scope: 'service', summary: 'Resume spawning at once', input: z.object({}),
    cli: { command: 'service resume' },
  }).returns<ServiceStatus>(),
  'service:reload': op({
    kind: 'mutation', scope: 'service', summary: 'Re-read config.toml, with optional overrides',
    input: z.object({
      maxAgents: z.coerce.number().int().min(1).max(256).optional(),
      model: z.string().min(1).optional(),
      executor: z.string().min(1).optional(),
    }),
    cli: { command: 'service reload' },
  }).returns<ServiceStatus>(),
  'task:spawn': op({
    kind: 'mutation', scope: 'service', summary: 'Start an agent on a task now (manual tasks too)', input: byId,
    cli: { command: 'spawn', args: ['id'] },
  }).returns<Agent>(),
};
