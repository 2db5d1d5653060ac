import { z } from 'zod';
import { op } from '../define';
import type { Agent } from '../../agent';
import type { RunEventPage } from '../../run-event';
import type { DeadAgentsResult, KillResult } from '../../service-types';
import { agentId } from '../schemas';

/** Operations: agent runs (`wg agent` is agent identities: agency-ops.ts). */
export const agentOps = {
  'agent:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'List agent runs (not identities: see wg agent)',
    input: () =>
      z.object({
        alive: z.boolean().optional().describe('only runs still working'),
        dead: z.boolean().optional().describe('only dead runs'),
        working: z.boolean().optional().describe('only runs working on a task'),
        idle: z.boolean().optional().describe('only runs alive but idle (none here: a run works from its start to its end)'),
      }),
    cli: { command: 'agents' },
  }).returns<Agent[]>(),
  'agent:kill': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Kill an agent run (everything it started); its task is requeued, or held with --hold',
    input: () =>
      z.object({
        id: agentId().optional().describe('the agent run (agent-N)'),
        all: z.boolean().optional(),
        force: z.boolean().optional(),
        hold: z.boolean().optional().describe('pause the task instead of requeueing it (it is not started again until published)'),
      }),
    cli: { command: 'kill', args: ['id'] },
  }).returns<KillResult>(),
  'agent:dead': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'List dead agent runs; --cleanup requeues their tasks, --purge forgets them',
    input: () => z.object({ cleanup: z.boolean().optional(), purge: z.boolean().optional() }),
    cli: { command: 'dead-agents' },
  }).returns<DeadAgentsResult>(),
  'run:events': op({
    kind: 'query',
    scope: 'store',
    summary: "A page of an agent run's normalized output",
    input: () =>
      z.object({
        agent: agentId().describe('the agent run (agent-N)'),
        offset: z.coerce.number().int().min(0).optional(),
        limit: z.coerce.number().int().min(1).max(5000).optional(),
      }),
    cli: { command: 'output', args: ['agent'] },
  }).returns<RunEventPage>(),
};
