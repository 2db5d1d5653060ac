import { z } from 'zod';
import { op } from '../define';
import type { Task, Evaluation } from '../../task';

/** `wg evaluate run`: the task after its evaluator answered (or the prompt, with --dry-run). */
export interface EvaluationRun {
  task_id: string;
  status: Task['status'];
  evaluation: Evaluation | null;
  /** Set with --dry-run: what the evaluator would be asked. */
  prompt?: string;
}
import { taskId } from '../schemas';

const byId = z.object({ id: taskId });

/** Operations: evaluations. */
export const evaluationOps = {
  'eval:record': op({
    kind: 'mutation', scope: 'store', summary: 'Record an evaluation score',
    input: z.object({
      id: taskId,
      score: z.coerce.number().min(0).max(1),
      dim: z.record(z.string().min(1), z.coerce.number().min(0).max(1)).optional().describe('dimension=score (repeatable)'),
      evaluator: z.string().optional(),
      notes: z.string().optional(),
    }),
    cli: { command: 'evaluate record', args: ['id'] },
  }).returns<Task>(),
  'eval:run': op({
    kind: 'mutation', scope: 'service',
    summary: "Run the evaluator on a task now and wait for its score (what upstream's .evaluate-ID tasks call); --dry-run prints its prompt",
    input: z.object({
      task: taskId,
      dryRun: z.boolean().optional().describe('show what would be evaluated (the evaluator prompt) without running it'),
      flip: z.boolean().optional().describe("upstream's FLIP evaluation: not available here, the direct evaluation runs instead"),
    }),
    cli: { command: 'evaluate run', args: ['task'] },
  }).returns<EvaluationRun>(),
  'eval:show': op({
    kind: 'query', scope: 'store', summary: 'Show a task evaluation', input: byId,
    cli: { command: 'evaluate show', args: ['id'] },
  }).returns<Evaluation | null>(),
};
