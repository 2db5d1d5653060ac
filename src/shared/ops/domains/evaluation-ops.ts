import { z } from 'zod';
import { op } from '../define';
import type { Task } from '../../task';
import type { EvaluationRecord } from '../../agency';

import { numberText, taskId, filled } from '../schemas';

/** `wg evaluate show TASK`: every evaluation of the task, newest first (upstream's `--json` shape). */
export interface TaskEvaluations {
  task_id: string;
  evaluations: EvaluationRecord[];
}

/** Operations: evaluations. */
export const evaluationOps = {
  'eval:record': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Record an evaluation score',
    input: () =>
      z
        .object({
          id: taskId().optional().describe('the task scored'),
          task: taskId().optional().describe("the task scored (upstream's --task form)"),
          score: numberText(z.number().min(0).max(1)).describe('the score, 0 to 1'),
          dim: z
            .record(filled(), numberText(z.number().min(0).max(1)))
            .optional()
            .describe('dimension=score (repeatable)'),
          evaluator: z
            .string()
            .optional()
            .describe("who scored it (default: the --source when given, else who records it: user, or a person token's name)"),
          source: filled().optional().describe('where the score comes from, e.g. manual (default), outcome:sharpe'),
          notes: z.string().optional().describe('what the score is for, in words'),
        })
        .refine((input) => input.id !== undefined || input.task !== undefined, { message: 'name the task scored: wg evaluate record TASK' })
        .refine((input) => input.id === undefined || input.task === undefined || input.id === input.task, {
          message: 'give the task once, as TASK or --task',
        }),
    cli: { command: 'evaluate record', args: ['id'] },
  }).returns<Task>(),
  'eval:show': op({
    kind: 'query',
    scope: 'store',
    summary: "Show evaluation history: a task's evaluations, or all of them filtered",
    input: () =>
      z.object({
        id: taskId().optional().describe("show this task's evaluations (its id or a prefix)"),
        task: filled().optional().describe('only evaluations of tasks whose id starts with this'),
        agent: filled().optional().describe('only evaluations of agent identities whose id starts with this'),
        source: filled().optional().describe('only evaluations from this source (a * matches any text, e.g. outcome:*)'),
        limit: numberText(z.number().int().min(1)).optional().describe('only the newest N'),
      }),
    cli: { command: 'evaluate show', args: ['id'] },
  }).returns<TaskEvaluations | EvaluationRecord[]>(),
};
