import { z } from 'zod';
import { builtOnce } from '../../built-once';
import { op } from '../define';
import type { Task, Evaluation } from '../../task';

import { taskId } from '../schemas';

const byId = builtOnce(() => z.object({ id: taskId() }));

/** Operations: evaluations. */
export const evaluationOps = {
  'eval:record': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Record an evaluation score',
    input: () =>
      z.object({
        id: taskId(),
        score: z.coerce.number().min(0).max(1),
        dim: z.record(z.string().min(1), z.coerce.number().min(0).max(1)).optional().describe('dimension=score (repeatable)'),
        evaluator: z.string().optional(),
        notes: z.string().optional(),
      }),
    cli: { command: 'evaluate record', args: ['id'] },
  }).returns<Task>(),
  'eval:show': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show a task evaluation',
    input: () => byId(),
    cli: { command: 'evaluate show', args: ['id'] },
  }).returns<Evaluation | null>(),
};
