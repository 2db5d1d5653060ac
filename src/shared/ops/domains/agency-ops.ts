import { z } from 'zod';
import { builtOnce } from '../../built-once';
import { op } from '../define';
import type {
  AgencyInitResult,
  AgencyOverview,
  AgencyStats,
  AgencyTransfer,
  IdentityView,
  Role,
  RoleView,
  Tradeoff,
  TradeoffView,
} from '../../agency';
import type { Task } from '../../task';
import { numberText, taskId, filled } from '../schemas';

/** A role, tradeoff or agent: its id, any unique prefix of it, or its name. */
const ref = builtOnce(() => z.string().trim().min(1, 'give an id, an id prefix or a name').max(200));
const byRef = builtOnce(() => z.object({ id: ref() }));
const label = builtOnce(() => z.string().trim().min(1, 'the name is empty').max(100));
/** Free text given once per flag; commas are part of the text. */
const phrases = builtOnce(() => z.array(z.string().trim().min(1)));

/** Operations: the agency (roles, tradeoffs, agent identities, assignment). */
export const agencyOps = {
  'agency:init': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Seed starter roles, tradeoffs and agents (Careful Programmer, Assigner, Evaluator); turn on auto-assign and auto-evaluate',
    input: () => z.object({}),
    cli: { command: 'agency init' },
  }).returns<AgencyInitResult>(),
  'agency:overview': op({
    kind: 'query',
    scope: 'store',
    summary: 'Roles, tradeoffs and agents with their performance',
    input: () => z.object({}),
  }).returns<AgencyOverview>(),
  'agency:stats': op({
    kind: 'query',
    scope: 'store',
    summary:
      'Tasks, average score and per-dimension averages by agent, role and tradeoff; role × tradeoff synergy, scores by task tag, the pairs not yet explored',
    input: () =>
      z.object({
        minEvals: numberText(z.number().int().min(0))
          .optional()
          .describe('evaluations a role and tradeoff pair needs to count as explored (default 3)'),
        byModel: z.boolean().optional().describe('add the scores by model (with their trend)'),
        byTaskType: z.boolean().optional().describe('add the best role and model by task type (from titles like "Fix: …")'),
      }),
    cli: { command: 'agency stats' },
  }).returns<AgencyStats>(),
  'agency:export': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      "Write the agency as upstream workgraph's YAML folder (default: .workgraph/agency); a file upstream changed since this app last read or wrote it is kept and named, and performance records are added to",
    input: () => z.object({ path: filled().optional().describe('the agency folder to write') }),
    cli: { command: 'agency export', args: ['path'] },
  }).returns<AgencyTransfer>(),
  'agency:import': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Read an upstream workgraph agency folder (default: .workgraph/agency, else .wg/agency)',
    input: () => z.object({ path: filled().optional().describe('the agency folder to read') }),
    cli: { command: 'agency import', args: ['path'] },
  }).returns<AgencyTransfer>(),
  'role:add': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Create a role',
    input: () =>
      z.object({
        name: label(),
        outcome: z
          .string({ error: 'a role needs a desired outcome (--outcome)' })
          .trim()
          .min(1, 'a role needs a desired outcome (--outcome)')
          .describe('desired outcome'),
        skill: phrases().optional().describe('a skill: a component id or a name (repeatable)'),
        description: z.string().optional().describe('what the role does'),
      }),
    cli: { command: 'role add', args: ['name'], short: { description: 'd' }, whole: ['skill'] },
  }).returns<RoleView>(),
  'role:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'List roles',
    input: () => z.object({}),
    cli: { command: 'role list' },
  }).returns<RoleView[]>(),
  'role:show': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show a role',
    input: () => byRef(),
    cli: { command: 'role show', args: ['id'] },
  }).returns<RoleView>(),
  'role:edit': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Change a role (new skills or outcome give it a new id; its agents follow)',
    input: () =>
      z.object({
        id: ref(),
        name: label().optional().describe('a new name'),
        description: z.string().optional(),
        outcome: z.string().trim().min(1).optional().describe('desired outcome'),
        skill: phrases().optional().describe('the skills, replacing the old ones (repeatable)'),
      }),
    cli: { command: 'role edit', args: ['id'], short: { description: 'd' }, whole: ['skill'] },
  }).returns<RoleView>(),
  'role:rm': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Remove a role no agent uses',
    input: () => byRef(),
    cli: { command: 'role rm', args: ['id'] },
  }).returns<Role>(),
  'tradeoff:add': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Create a tradeoff',
    input: () =>
      z.object({
        name: label(),
        accept: phrases().optional().describe('an acceptable tradeoff (repeatable)'),
        reject: phrases().optional().describe('an unacceptable tradeoff (repeatable)'),
        description: z
          .string({ error: 'a tradeoff needs a description (-d): its id is made of it' })
          .trim()
          .min(1, 'a tradeoff needs a description (-d): its id is made of it'),
      }),
    cli: { command: 'tradeoff add', args: ['name'], short: { description: 'd' }, whole: ['accept', 'reject'] },
  }).returns<TradeoffView>(),
  'tradeoff:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'List tradeoffs',
    input: () => z.object({}),
    cli: { command: 'tradeoff list' },
  }).returns<TradeoffView[]>(),
  'tradeoff:show': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show a tradeoff',
    input: () => byRef(),
    cli: { command: 'tradeoff show', args: ['id'] },
  }).returns<TradeoffView>(),
  'tradeoff:rm': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Remove a tradeoff no agent uses',
    input: () => byRef(),
    cli: { command: 'tradeoff rm', args: ['id'] },
  }).returns<Tradeoff>(),
  'identity:create': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Create an agent identity: a role and a tradeoff',
    input: () =>
      z.object({
        name: label(),
        role: ref().describe('role id, prefix or name'),
        tradeoff: ref().describe('tradeoff id, prefix or name'),
        executor: z.string().trim().min(1).optional().describe('executor it prefers (default claude)'),
        model: z.string().trim().min(1).optional().describe('model it prefers'),
        provider: z.string().trim().min(1).optional().describe('provider of the model it prefers'),
        capabilities: z.array(z.string().trim().min(1)).optional().describe('capabilities, comma separated or repeated'),
      }),
    cli: { command: 'agent create', args: ['name'], aliases: { tradeoff: ['motivation'] } },
  }).returns<IdentityView>(),
  'identity:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'List agent identities',
    input: () => z.object({}),
    cli: { command: 'agent list' },
  }).returns<IdentityView[]>(),
  'identity:show': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show an agent identity',
    input: () => byRef(),
    cli: { command: 'agent show', args: ['id'] },
  }).returns<IdentityView>(),
  'identity:rm': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Remove an agent identity',
    input: () => byRef(),
    cli: { command: 'agent rm', args: ['id'] },
  }).returns<IdentityView>(),
  'task:assign': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Give a task an agent identity (or --auto: the best fit by score; --clear: none)',
    input: () =>
      z
        .object({
          id: taskId(),
          agent: ref().optional().describe('agent id, prefix or name'),
          auto: z.boolean().optional().describe('pick the best-scoring agent whose role fits, else the default agent'),
          clear: z.boolean().optional().describe('remove the identity'),
        })
        .refine((v) => [v.agent !== undefined, v.auto === true, v.clear === true].filter(Boolean).length === 1, {
          message: 'give an agent, or --auto, or --clear (exactly one)',
        }),
    cli: { command: 'assign', args: ['id', 'agent'] },
  }).returns<Task>(),
};
