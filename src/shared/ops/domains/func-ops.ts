import { z } from 'zod';
import { op } from '../define';
import {
  functionNameProblem,
  VISIBILITIES,
  type ApplyResult,
  type ExtractResult,
  type FunctionDetail,
  type ListedFunction,
} from '../../functions';
import { taskId, filled } from '../schemas';

/** A function's name (or the prefix of one): a plain file name, whoever gives it. */
const functionName = () =>
  z
    .string()
    .trim()
    .superRefine((id, check) => {
      const problem = functionNameProblem(id);
      if (problem !== null) check.addIssue({ code: 'custom', message: problem });
    });

/** Operations: reusable plans, upstream's `wg func` (functions in `functions/<id>.yaml`, its format). */
export const funcOps = {
  'func:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'List available functions',
    input: () =>
      z.object({
        verbose: z.boolean().optional().describe('show input parameters and task templates'),
        includePeers: z.boolean().optional().describe("include functions from upstream's peer projects (federation.yaml)"),
        visibility: z
          .string()
          .refine((v) => (VISIBILITIES as readonly string[]).includes(v), {
            error: (issue) => `Invalid visibility '${String(issue.input)}'. Use: internal, peer, public`,
          })
          .optional()
          .describe('only functions of this visibility (internal, peer, public)'),
      }),
    cli: { command: 'func list' },
  }).returns<ListedFunction[]>(),
  'func:show': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show details of a function',
    input: () => z.object({ id: functionName().describe('function id (a prefix is enough)') }),
    cli: { command: 'func show', args: ['id'] },
  }).returns<FunctionDetail>(),
  'func:extract': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Extract a function from completed task(s)',
    input: () =>
      z.object({
        taskIds: z
          .array(taskId())
          .min(1, 'give the task to extract from')
          .describe('task id(s) to extract from (several with --generative)'),
        name: functionName().optional().describe('function name/id (default: from the task id)'),
        subgraph: z.boolean().optional().describe('include every task after it (its subtasks)'),
        recursive: z.boolean().optional().describe('the whole subgraph with its dependency structure (same as --subgraph)'),
        generalize: z
          .boolean()
          .optional()
          .describe('have Claude Code generalize the descriptions (three passes; the raw extraction is kept if it fails)'),
        generative: z.boolean().optional().describe('compare several traces into a generative function (a planner and constraints)'),
        output: filled().optional().describe('write to this path instead of functions/<name>.yaml'),
        force: z.boolean().optional().describe('overwrite an existing function of that name'),
        includeEvaluations: z
          .boolean()
          .optional()
          .describe("include the coordinator's evaluation and assignment tasks (.evaluate-…, .assign-…), left out by default"),
      }),
    cli: { command: 'func extract', args: ['taskIds'] },
  }).returns<ExtractResult>(),
  'func:apply': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Create tasks from a function with the inputs given',
    input: () =>
      z.object({
        functionId: functionName().describe('function id (a prefix is enough)'),
        from: filled().optional().describe("load it from a peer project (peer:function-id, or the peer's name) or a .yaml file"),
        inputs: z.array(z.string()).optional().describe('an input as key=value (repeatable)'),
        inputFile: filled().optional().describe('read the inputs from a YAML or JSON file'),
        prefix: z.string().trim().min(1).optional().describe('task id prefix (default: the feature_name input, else the function id)'),
        dryRun: z.boolean().optional().describe('show the tasks it would create, creating nothing'),
        after: z.array(taskId()).optional().describe('make every root task depend on this task (repeatable, comma separated)'),
        model: filled().optional().describe('model for every task created'),
      }),
    cli: { command: 'func apply', args: ['functionId'], flags: { inputs: 'input' }, whole: ['inputs'] },
  }).returns<ApplyResult>(),
};
