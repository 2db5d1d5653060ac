import { z } from 'zod';
import { op } from '../define';
import type { DeadAgentsUpstreamFields, KillUpstreamFields, ListedAgent } from '../../agent';
import type { RunEventPage } from '../../run-event';
import type { DeadAgentsResult, KillResult } from '../../service-types';
import { numberText, agentId } from '../schemas';

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
        limit: numberText(z.number().int().min(1)).optional().describe('only the newest N runs'),
      }),
    cli: { command: 'agents' },
  }).returns<ListedAgent[]>(),
  'agent:kill': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Kill an agent run (everything it started); its task is paused, or requeued with --redispatch',
    input: () =>
      z.object({
        id: agentId().optional().describe('the agent run (agent-N), or with --tree the task'),
        all: z.boolean().optional().describe('every working run'),
        force: z.boolean().optional().describe('SIGKILL at once, without the grace SIGTERM gives'),
        hold: z.boolean().optional().describe('pause the task (the default): it is not started again until `wg resume`'),
        redispatch: z.boolean().optional().describe('leave the task open for the coordinator to start again'),
        tree: z.boolean().optional().describe('kill the runs of the task ID and of every task downstream of it, and abandon those tasks'),
        dryRun: z.boolean().optional().describe('with --tree: say what would be killed and abandoned, change nothing'),
        noAbandon: z.boolean().optional().describe('with --tree: kill the runs but leave the tasks open'),
      }),
    cli: { command: 'kill', args: ['id'] },
  }).returns<KillResult & KillUpstreamFields>(),
  'agent:dead': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'List dead agent runs; --cleanup requeues their tasks, --purge forgets them',
    input: () =>
      z
        .object({
          cleanup: z.boolean().optional().describe('mark them dead and requeue the tasks they held'),
          purge: z.boolean().optional().describe('forget the dead runs (a done or failed run stays: it is its record)'),
          remove: z.boolean().optional().describe('forget the dead runs (as --purge)'),
          processes: z.boolean().optional().describe("check each working run's process: running or gone"),
          deleteDirs: z.boolean().optional().describe("with --purge: also delete the forgotten runs' folders"),
          threshold: numberText(z.number().int().min(0))
            .optional()
            .describe('minutes without a heartbeat before a run elsewhere is dead (default: heartbeat_timeout)'),
        })
        .refine((input) => !input.deleteDirs || input.purge === true, { message: '--delete-dirs needs --purge' }),
    cli: { command: 'dead-agents' },
  }).returns<DeadAgentsResult & DeadAgentsUpstreamFields>(),
  'run:events': op({
    kind: 'query',
    scope: 'store',
    summary: "A page of an agent run's normalized output",
    input: () =>
      z.object({
        agent: agentId().describe('the agent run (agent-N)'),
        offset: numberText(z.number().int().min(0)).optional().describe('skip this many events of the output first'),
        limit: numberText(z.number().int().min(1).max(5000)).optional().describe('show at most this many events (default 200)'),
      }),
    cli: { command: 'output', args: ['agent'] },
  }).returns<RunEventPage>(),
};
