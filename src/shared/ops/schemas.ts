import { z } from 'zod';
import { PRIORITIES, TASK_STATUSES } from '../task';
import { EXECUTOR_TYPES, MODEL_TIERS } from '../config-types';

/** Reusable input pieces. Each validates the same way from the CLI, HTTP and IPC. */

export const taskId = z
  .string()
  .min(1, 'task id is empty')
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'task id may hold only letters, digits, ".", "_" and "-"');

export const agentId = z.string().min(1).max(200);
export const status = z.enum(TASK_STATUSES);
export const priority = z.enum(PRIORITIES);
export const executorType = z.enum(EXECUTOR_TYPES);
export const modelTier = z.enum(MODEL_TIERS);
export const name = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'names may hold only letters, digits and . _ : / -');

/** A repository as agent daemons name it: `acme/app` (no `..`, no leading slash: a name, never a path). */
export const repoName = z
  .string()
  .max(200)
  .regex(/^[\w-][\w.-]*(\/[\w-][\w.-]*)*$/, 'a repository name looks like acme/app')
  .refine((value) => !value.split('/').some((part) => part === '..' || part === '.'), 'a repository name cannot hold . or .. parts');

/** A role an agent daemon claims: one word such as dev or qa. */
export const roleName = z.string().max(100).regex(/^[\w-][\w.-]*$/, 'a role is one word, e.g. dev');

/** Accepts a real boolean (HTTP, IPC) or "true"/"false" typed on the command line. */
export const boolValue = z.union([z.boolean(), z.stringbool()]);

/** A JSON value that may arrive as text (the command line) or already parsed (HTTP, IPC). */
export function jsonText<T extends z.ZodType>(schema: T) {
  return z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `is not valid JSON: ${value.slice(0, 60)}` });
      return z.NEVER;
    }
  }, schema);
}

export const jsonValue: z.ZodType<import('../task').JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** Fields shared by `wg add` and `wg edit`. */
export const taskFields = {
  description: z.string().optional().describe('description (markdown)'),
  after: z.array(taskId).optional().describe('dependencies, comma separated or repeated'),
  tags: z.array(z.string().min(1)).optional().describe('tag (repeatable)'),
  priority: priority.optional().describe('critical, high, normal or low'),
  model: z.string().min(1).optional().describe('model for this task'),
  executor: z.string().min(1).optional().describe('executor profile name or an http(s) URL'),
  exec: z.string().min(1).optional().describe('shell command (shell executor)'),
  repo: repoName.optional().describe('remote executor: the repository an agent daemon must have (e.g. acme/app)'),
  role: roleName.optional().describe('remote executor: the role a daemon must claim (e.g. dev)'),
  schedule: z.string().min(1).optional().describe('"09:00" or a cron expression'),
  maxRetries: z.coerce.number().int().min(0).max(100).optional().describe('retries before a dead agent fails the task'),
};
