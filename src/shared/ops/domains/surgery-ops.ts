import { z } from 'zod';
import { op } from '../define';
import type { Task } from '../../task';
import { directionRefusal, parseDirection, parsePosition, positionRefusal, type ReplayReport, type ResetReport } from '../../surgery';
import { numberText, taskId, taskTitle } from '../schemas';
import { parseRecoverFilters, type RecoverReport } from '../../recover';

/** A word read by `parse` (upstream's FromStr, any case), refused in upstream's words. */
function word<T>(parse: (text: string) => T | null, refusal: (text: string) => string) {
  return (text: string, ctx: z.RefinementCtx): T => {
    const parsed = parse(text);
    if (parsed !== null) return parsed;
    ctx.addIssue({ code: 'custom', message: refusal(text) });
    return z.NEVER;
  };
}

/** Operations: graph surgery, as upstream's `wg insert`, `wg rescue` and `wg reset`. */
export const surgeryOps = {
  'task:insert': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      "Insert a new task before, after or parallel to an existing task (upstream's graph-surgery primitive; --splice and --replace-edges rewire the old edges through it)",
    input: () =>
      z.object({
        position: z.string().transform(word(parsePosition, positionRefusal)).describe('before, after or parallel'),
        target: taskId().describe('the existing task the insertion is relative to'),
        title: taskTitle('Task title must not be empty').describe('title for the new task (required)'),
        description: z.string().optional().describe('detailed description for the new task'),
        id: taskId().optional().describe('explicit id for the new task (from the title if absent; a taken one gets -2, -3…)'),
        splice: z
          .boolean()
          .optional()
          .describe("before/after: route the target's old predecessor/successor edges through the new task only"),
        replaceEdges: z
          .boolean()
          .optional()
          .describe("parallel: the target's successors wait on the new task only, no longer on the target"),
      }),
    cli: { command: 'insert', args: ['position', 'target'], short: { description: 'd' } },
  }).returns<Task>(),
  'task:rescue': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      "Rescue a failed task: a first-class replacement at its place in the graph (its successors wait on the rescue instead), the description as the next agent's brief",
    input: () =>
      z.object({
        target: taskId().describe("the failed task's id"),
        description: z
          .string()
          .refine(
            (d) => d.trim() !== '',
            "Rescue description is required — it becomes the next agent's assignment. Be specific about what needs to change.",
          )
          .describe("what the rescue must do differently (the rescue task's description)"),
        title: taskTitle('the title is empty').optional().describe('title (default: Rescue: <target>)'),
        id: taskId().optional().describe('explicit id for the rescue task (from the title otherwise)'),
        fromEval: taskId().optional().describe('the evaluation task that concluded the failure (recorded on both tasks)'),
      }),
    cli: { command: 'rescue', args: ['target'], short: { description: 'd' } },
  }).returns<Task>(),
  'task:reset': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      'Reset a task and everything downstream of it (or upstream: --direction) back to open; --also-strip-meta deletes their system tasks; more than one task needs --yes',
    input: () =>
      z.object({
        seed: taskId().describe('the first seed task'),
        seeds: z.array(taskId()).optional().describe('more seed tasks (comma separated or repeated)'),
        direction: z
          .string()
          .default('forward')
          .transform(word(parseDirection, directionRefusal))
          .describe('forward (downstream, the default), backward (upstream) or both'),
        alsoStripMeta: z
          .boolean()
          .optional()
          .describe('also delete the system tasks (.flip-*, .evaluate-*, .verify-*, .assign-*, .place-*) attached to them'),
        dryRun: z.boolean().optional().describe('show what would be reset and stripped, changing nothing'),
        yes: z.boolean().optional().describe('confirm a reset of more than one task'),
      }),
    cli: { command: 'reset', args: ['seed'] },
  }).returns<ResetReport>(),
  'task:recover': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      'Retry the failed tasks in one go after a mass failure (credits, a missing CLI), abandoning their failed system tasks so they are made again; prints the plan unless --yes',
    input: () =>
      z.object({
        yes: z.boolean().optional().describe('apply the plan (without it nothing changes)'),
        filter: z
          .array(z.string())
          .optional()
          .superRefine((raw, ctx) => {
            const parsed = parseRecoverFilters(raw ?? []);
            if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
          })
          .describe('status=X, tag=X, id-prefix=X, attempts<=N or error~TEXT; all must match (default status=failed)'),
        setModel: z.string().trim().min(1).optional().describe('the model each retried task runs with from now on'),
        keepAgency: z.boolean().optional().describe('leave failed .evaluate-, .flip-, .assign- and .verify- tasks as they are'),
        maxAttempts: numberText(z.number().int().min(0))
          .default(5)
          .describe('leave out tasks that have made this many attempts (default 5)'),
        reason: z.string().optional().describe("why, in each retried task's log"),
      }),
    cli: { command: 'recover' },
  }).returns<RecoverReport>(),
  'task:replay': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      'Replay tasks: snapshot the graph (wg runs restore puts it back), reset the chosen tasks and everything after them to open (as wg reset), optionally with another model, for the coordinator to run again',
    input: () =>
      z.object({
        model: z.string().trim().min(1, 'the model is empty').optional().describe('model to use for replayed tasks'),
        failedOnly: z.boolean().optional().describe('only reset failed/abandoned tasks'),
        belowScore: numberText(z.number({ message: 'a score is a number, e.g. 0.7' }).finite())
          .optional()
          .describe('only reset tasks with evaluation score below this threshold'),
        tasks: z.array(taskId()).optional().describe('reset specific tasks (comma-separated) plus their transitive dependents'),
        keepDone: numberText(z.number({ message: 'a score is a number, e.g. 0.9' }).finite())
          .optional()
          .describe('preserve done tasks scoring at least this (default: 0.9)'),
        planOnly: z.boolean().optional().describe('dry run: show what would be reset without making changes'),
        subgraph: taskId().optional().describe('only replay tasks in this subgraph (rooted at given task)'),
      }),
    cli: { command: 'replay' },
    readsOnlyWhen: (input) => typeof input === 'object' && input !== null && (input as { planOnly?: unknown }).planOnly === true,
  }).returns<ReplayReport>(),
};
