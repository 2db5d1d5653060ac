import { z } from 'zod';
import { op } from '../define';
import type {
  AgingReport,
  CleanupMetrics,
  ForecastReport,
  HealthReport,
  StructureReport,
  VelocityReport,
  WorkloadReport,
} from '../../reports';
import { numberText } from '../schemas';

/**
 * Operations: upstream's further reports on the graph (`wg velocity`, `aging`, `workload`, `forecast`, `structure`,
 * `analyze`, `metrics`), with its names, flags and `--json` shapes. Each reads the graph once.
 */
export const reportOps = {
  'graph:velocity': op({
    kind: 'query',
    scope: 'store',
    summary:
      'Show task completion velocity: tasks completed per week over a rolling window, their estimated hours, the trend, and the weeks the open work takes at that pace',
    input: () =>
      z.object({
        weeks: numberText(
          z
            .number({ error: '--weeks is a whole number of weeks' })
            .int('--weeks is a whole number of weeks')
            .min(0)
            .max(5200, '--weeks is at most 5200 (100 years)'),
        )
          .optional()
          .describe('number of weeks to show (default: 4)'),
      }),
    cli: { command: 'velocity' },
  }).returns<VelocityReport>(),
  'graph:aging': op({
    kind: 'query',
    scope: 'store',
    summary:
      'Show task age distribution: how long open/in-progress tasks have been waiting, the oldest, and in-progress tasks started over 14 days ago',
    input: () => z.object({}),
    cli: { command: 'aging' },
  }).returns<AgingReport>(),
  'graph:workload': op({
    kind: 'query',
    scope: 'store',
    summary:
      "Show agent workload balance: each agent's assigned tasks that are not done, their estimated hours and those in progress; the unassigned tasks and how many are ready",
    input: () => z.object({}),
    cli: { command: 'workload' },
  }).returns<WorkloadReport>(),
  'graph:forecast': op({
    kind: 'query',
    scope: 'store',
    summary:
      'Forecast project completion from the last four weeks’ velocity and the estimated hours left (optimistic, +30% and +50% scenarios), with the critical path and the tasks that could delay it',
    input: () => z.object({}),
    cli: { command: 'forecast' },
  }).returns<ForecastReport>(),
  'graph:structure': op({
    kind: 'query',
    scope: 'store',
    summary:
      'Analyze graph structure: entry points (no dependencies), dead ends (nothing depends on them), and high-impact roots (5 or more tasks waiting on them, transitively)',
    input: () => z.object({}),
    cli: { command: 'structure' },
  }).returns<StructureReport>(),
  'graph:analyze': op({
    kind: 'query',
    scope: 'store',
    summary:
      'Comprehensive health report combining all analyses: summary, structural health, bottlenecks, workload, aging, and what to do first',
    input: () => z.object({}),
    cli: { command: 'analyze' },
  }).returns<HealthReport>(),
  'graph:metrics': op({
    kind: 'query',
    scope: 'store',
    summary:
      "Display cleanup metrics: worktrees removed, recover/ branches kept and dead agent runs, counted from the store's records (no timings are kept)",
    input: () => z.object({}),
    cli: { command: 'metrics' },
  }).returns<CleanupMetrics>(),
};
