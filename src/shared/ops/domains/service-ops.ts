import { z } from 'zod';
import { op } from '../define';
import type { Agent } from '../../agent';
import type { ServiceStatus } from '../../service-types';
import type { Evaluation, Task } from '../../task';
import { numberText, taskId, timeoutText, filled } from '../schemas';

/** `wg evaluate run`: the task after its evaluator answered (or the prompt, with --dry-run). */
export interface EvaluationRun {
  task_id: string;
  status: Task['status'];
  evaluation: Evaluation | null;
  /** Set with --dry-run: what the evaluator would be asked. */
  prompt?: string;
}

/** Operations: service (needs the running coordinator). */
export const serviceOps = {
  'service:status': op({
    kind: 'query',
    scope: 'service',
    summary: 'Coordinator status',
    input: () => z.object({}),
  }).returns<ServiceStatus>(),
  'service:pause': op({
    kind: 'mutation',
    scope: 'service',
    summary: 'Stop spawning (agents continue)',
    input: () => z.object({}),
    cli: { command: 'service pause' },
  }).returns<ServiceStatus>(),
  'service:resume': op({
    kind: 'mutation',
    scope: 'service',
    summary: 'Resume spawning at once',
    input: () => z.object({}),
    cli: { command: 'service resume' },
  }).returns<ServiceStatus>(),
  'service:reload': op({
    kind: 'mutation',
    scope: 'service',
    summary: 'Re-read config.toml, with optional overrides',
    input: () =>
      z.object({
        maxAgents: numberText(z.number().int().min(1).max(256)).optional().describe('agents at once, until the next reload or start'),
        model: filled().optional().describe('the default model, until the next reload or start'),
        executor: filled().optional().describe('the default executor, until the next reload or start'),
        interval: numberText(z.number().int().min(1)).optional().describe("seconds between the coordinator's safety-net looks"),
      }),
    cli: { command: 'service reload' },
  }).returns<ServiceStatus>(),
  'task:spawn': op({
    kind: 'mutation',
    scope: 'service',
    summary: 'Start an agent run on a task now (manual tasks too)',
    input: () =>
      z.object({
        id: taskId(),
        executor: filled().optional().describe("this run's executor profile (default: the task's)"),
        model: filled().optional().describe("this run's model, before the task's"),
        timeout: timeoutText().optional().describe('how long this run may take (30m, 1h, 90s)'),
      }),
    cli: { command: 'spawn', args: ['id'] },
  }).returns<Agent>(),
  'eval:run': op({
    kind: 'mutation',
    scope: 'service',
    summary:
      "Run the evaluator on a task now and wait for its score (what upstream's .evaluate-ID tasks call); --dry-run prints its prompt",
    input: () =>
      z.object({
        task: taskId(),
        dryRun: z.boolean().optional().describe('show what would be evaluated (the evaluator prompt) without running it'),
        evaluatorModel: z
          .string()
          .trim()
          .min(1, 'the evaluator model is empty')
          .optional()
          .describe('model to use for the evaluator (a registered name, an upstream provider:model, or a model id)'),
        flip: z.boolean().optional().describe("upstream's FLIP evaluation: not available here, the direct evaluation runs instead"),
      }),
    cli: { command: 'evaluate run', args: ['task'] },
    // The prompt alone is built in-process: a dry run needs no coordinator (upstream's reads local files only).
    readsOnlyWhen: (input) => typeof input === 'object' && input !== null && (input as { dryRun?: unknown }).dryRun === true,
  }).returns<EvaluationRun>(),
};
