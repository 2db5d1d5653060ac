import { z } from 'zod';
import { op } from '../define';
import type { CoordinationStatus, DiscoveredTask, MatchReport, SuggestedTrajectory, Trajectory } from '../../coordination';
import type { ResourcesReport } from '../../resources';
import { agentId, numberText, taskId } from '../schemas';

/**
 * Operations: upstream's coordination reports (`wg coordinate`, `wg discover`, `wg match`, `wg trajectory`,
 * `wg resources`), with its
 * names, arguments and `--json` shapes (shared/coordination.ts).
 */
export const coordinationOps = {
  'graph:coordinate': op({
    kind: 'query',
    scope: 'store',
    summary:
      'Show coordination status: ready tasks, in-progress tasks, and opportunities for parallel execution. Useful for sprint planning or standup reviews',
    input: () =>
      z.object({
        maxParallel: numberText(z.number({ error: '--max-parallel is a whole number' }).int().min(0))
          .optional()
          .describe('maximum number of parallel tasks to show'),
      }),
    cli: { command: 'coordinate' },
  }).returns<CoordinationStatus>(),
  'graph:discover': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show recently completed tasks and their artifacts (stigmergic discovery)',
    input: () =>
      z.object({
        since: z.string().max(40).default('24h').describe('time window (e.g. "24h", "7d", "30m"; a bare number is hours)'),
        withArtifacts: z.boolean().optional().describe('include artifact paths in output'),
      }),
    cli: { command: 'discover' },
  }).returns<DiscoveredTask[]>(),
  'task:match': op({
    kind: 'query',
    scope: 'store',
    summary: "Find agents capable of performing a task (their capabilities against the task's skills)",
    input: () => z.object({ task: taskId() }),
    cli: { command: 'match', args: ['task'] },
  }).returns<MatchReport>(),
  'task:trajectory': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show context-efficient task trajectory (claim order for minimal context switching)',
    input: () =>
      z.object({
        task: taskId(),
        actor: agentId().optional().describe('suggest trajectories from the ready tasks instead (upstream names the actor only)'),
      }),
    cli: { command: 'trajectory', args: ['task'] },
  }).returns<Trajectory | SuggestedTrajectory[]>(),
  'graph:resources': op({
    kind: 'query',
    scope: 'store',
    summary:
      "Show resource utilization (committed vs available): upstream's resource nodes in graph.jsonl, and the estimated cost of the tasks that require them",
    input: () => z.object({}),
    cli: { command: 'resources' },
  }).returns<ResourcesReport>(),
};
