import { z } from 'zod';
import { givesOnly, inputFlag, op } from '../define';
import type { ConfigEntry, ExecutorFound, ExecutorProfile, ModelEntry, ModelRegistry } from '../../config-types';
import { CONFIG_KEYS } from '../../config-keys';
import {
  boolValue,
  branchName,
  dispatchRole,
  duration,
  durationOrNone,
  executorType,
  listenAddress,
  modelName,
  modelTier,
  name,
  numberText,
  repoName,
  roleName,
  retryBudgetValue,
  roleRoutes,
  filled,
  endpointRef,
  webAddress,
} from '../schemas';

/** Operations: config, models, executors. */
export const configOps = {
  'config:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'Every setting with its source',
    input: () => z.object({}),
  }).returns<ConfigEntry[]>(),
  'config:update': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Change settings in config.toml (or list them)',
    // `wg config` and `wg config --list` show the settings: they read a project that cannot be written too.
    readsOnlyWhen: (input) => inputFlag(input, 'list') || givesOnly(input, ['list', 'global', 'local']),
    input: () =>
      z.object({
        list: z.boolean().optional().describe('show every value with its source'),
        global: z.boolean().optional().describe('write ~/.workgraph/config.toml instead of the project'),
        local: z.boolean().optional().describe("write the project's config.toml (the default)"),
        maxAgents: numberText(z.number().int().min(1).max(256)).optional().describe('agents at once (coordinator.max_agents)'),
        teamMaxAgents: numberText(z.number().int().min(1).max(4096))
          .optional()
          .describe("a team's graph: runs of all its coordinators at once (coordinator.team_max_agents)"),
        model: modelName().optional().describe('default model (coordinator.model)'),
        executor: filled().optional().describe('default executor: a profile name or an http(s) URL (coordinator.executor)'),
        pollInterval: duration('seconds').optional().describe('seconds between safety-net looks, or "2m" (coordinator.poll_interval)'),
        heartbeatTimeout: duration('minutes')
          .optional()
          .describe('minutes without a heartbeat before an agent is dead, or "90s" (agent.heartbeat_timeout)'),
        agentTimeout: durationOrNone('seconds').optional().describe('seconds a run may take, "30m", or none for no limit (agent.timeout)'),
        maxRetries: retryBudgetValue()
          .optional()
          .describe("failed attempts a task may have before it stays failed (agent.max_retries; a task's own --max-retries wins)"),
        sandbox: boolValue()
          .optional()
          .describe('this machine is a sandbox (a container, a throwaway VM): Claude Code may run unattended as root (agent.sandbox)'),
        autoTriage: boolValue()
          .optional()
          .describe("ask a model why a dead agent's run ended before retrying it (coordinator.auto_triage)"),
        triageModel: modelName().optional().describe('the model triage runs use (coordinator.triage_model)'),
        worktrees: boolValue().optional().describe('each agent in its own git worktree (default: on in a git repository)'),
        baseBranch: branchName().optional().describe('branch worktrees start from and merge onto (default: the checked-out one)'),
        quitBehavior: z.enum(['keep-agents', 'stop-agents']).optional(),
        stallTimeout: numberText(z.number().min(1).max(86400))
          .optional()
          .describe('seconds an agent daemon may stay silent before its jobs are dispatched again'),
        listen: listenAddress().optional().describe('HOST:PORT for the API and agent daemons beyond loopback (needs TLS or --insecure)'),
        tlsCert: filled().optional().describe('TLS certificate (PEM) for --listen'),
        tlsKey: filled().optional().describe('TLS private key (PEM) for --listen'),
        insecure: boolValue().optional().describe('listen beyond loopback without TLS'),
        autoAssign: boolValue().optional().describe('give ready tasks an agent identity before they start'),
        autoEvaluate: boolValue().optional().describe('score finished work before dependents start'),
        evalThreshold: numberText(z.number().min(0).max(1)).optional().describe('lowest passing evaluation score'),
        maxEvalRescues: numberText(z.number().int().min(0).max(100))
          .optional()
          .describe('failed evaluations that reopen a task before it fails'),
        assignerAgent: filled().optional().describe("the assigner's agent identity (agency.assigner_agent)"),
        evaluatorAgent: filled().optional().describe("the evaluator's agent identity (agency.evaluator_agent)"),
        triageTimeout: numberText(z.number().min(1)).optional().describe('seconds an assignment call may take (agency.assign_timeout)'),
        maxChildTasks: numberText(z.number().int().min(0))
          .optional()
          .describe('follow-ups the runs of one task may add (guardrails.max_child_tasks_per_agent)'),
        roleModel: roleRoutes().optional().describe('route a role to a model: ROLE=MODEL (repeatable)'),
        // Upstream's `wg config` can only --reset the whole file; the Settings page empties one field with this.
        unset: z
          .array(
            z.enum(Object.values(CONFIG_KEYS), {
              error: (issue) => `--unset takes a key --list shows (e.g. coordinator.max_agents), not '${String(issue.input)}'`,
            }),
          )
          .optional()
          .describe(
            'take a setting out of config.toml, so the global value or the default applies: its key, e.g. agent.max_retries (repeatable)',
          ),
        installGlobal: z.boolean().optional().describe("copy the project's config.toml to the global one"),
        force: z.boolean().optional().describe('with --install-global: replace a global config that is there'),
      }),
    cli: {
      command: 'config',
      short: { model: 'm' },
      aliases: {
        list: ['show', 'merged'],
        executor: ['dispatcher-executor', 'coordinator-executor'],
        model: ['dispatcher-model', 'coordinator-model'],
        evalThreshold: ['eval-gate-threshold'],
        pollInterval: ['coordinator-interval'],
      },
    },
  }).returns<ConfigEntry[]>(),
  'model:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'The model registry',
    input: () => z.object({ tier: modelTier().optional().describe('only models of this tier') }),
    cli: { command: 'model list' },
  }).returns<ModelRegistry>(),
  'model:add': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Register a model',
    input: () =>
      z.object({
        name: name(),
        provider: filled().describe('who serves it: anthropic, openai, openrouter, …'),
        modelId: filled().optional().describe("the API's model id (default: the name)"),
        tier: modelTier().optional(),
        global: z.boolean().optional().describe("write the global config instead of the project's"),
        costIn: numberText(z.number().min(0)).optional().describe('USD per million input tokens'),
        costOut: numberText(z.number().min(0)).optional().describe('USD per million output tokens'),
        endpoint: endpointRef()
          .optional()
          .describe("the model's own endpoint: a Responses API URL, or the name of an [[llm_endpoints.endpoints]] entry"),
        keyEnv: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name: letters, digits and _')
          .optional()
          .describe("the environment variable holding the endpoint's API key"),
      }),
    cli: { command: 'model add', args: ['name'] },
  }).returns<ModelEntry>(),
  'model:remove': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Remove a registered model',
    input: () =>
      z.object({
        name: name(),
        force: z.boolean().optional().describe('remove it even if the default or a role names it'),
        global: z.boolean().optional().describe('remove it from the global config'),
      }),
    cli: { command: 'model remove', args: ['name'] },
  }).returns<ModelRegistry>(),
  'model:setDefault': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Set the default model',
    input: () => z.object({ name: name(), global: z.boolean().optional().describe('write the global config') }),
    cli: { command: 'model set-default', args: ['name'] },
  }).returns<ModelRegistry>(),
  'model:setRole': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      "Route a role (task_agent, assigner, evaluator, triage, …) to a model: 'model set ROLE MODEL' or 'model set MODEL --role ROLE'",
    input: () =>
      z
        .object({
          role: dispatchRole().optional().describe('the role (or give it first: model set ROLE MODEL)'),
          name: name(),
          model: name().optional().describe('the model, when the role is given first'),
          global: z.boolean().optional().describe('write the global config'),
        })
        .refine((v) => (v.role === undefined) !== (v.model === undefined), {
          message: "say which role: 'wg model set evaluator opus' or 'wg model set opus --role evaluator'",
        }),
    cli: { command: 'model set', args: ['name', 'model'] },
  }).returns<ModelRegistry>(),
  'executor:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'Executor profiles',
    input: () => z.object({}),
    cli: { command: 'executor list' },
  }).returns<ExecutorProfile[]>(),
  'executor:discover': op({
    kind: 'query',
    scope: 'store',
    summary: 'List executors wg knows about, which are usable on this system, and where their backing binaries live',
    input: () => z.object({ all: z.boolean().optional().describe('Show all executors, including unusable ones.') }),
    cli: { command: 'executors' },
  }).returns<ExecutorFound[]>(),
  'executor:add': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Add or replace an executor profile',
    input: () =>
      z.object({
        name: name(),
        type: executorType(),
        command: filled().optional().describe('cli: program to run'),
        args: z
          .array(z.string())
          .optional()
          .describe(
            "cli: the arguments, split as a shell would ('--message {prompt} --model {model}'), with {prompt} {cwd} {model} {task_id}",
          ),
        endpoint: webAddress().optional().describe('http: URL to POST tasks to'),
        method: z.enum(['POST', 'PUT']).optional(),
        model: filled().optional().describe('the model its runs use unless a task names one'),
        timeout: numberText(z.number().min(1)).optional().describe('seconds before a run is killed'),
        repo: repoName().optional().describe('remote: the repository tasks need when they name none'),
        role: roleName().optional().describe('remote: the role tasks need when they name none'),
        worktree: boolValue()
          .optional()
          .describe('runs work in their own git worktree (agents: default true; shell: default false, runs in the project folder)'),
      }),
    cli: { command: 'executor add', args: ['name'], shellWords: ['args'] },
  }).returns<ExecutorProfile>(),
  'executor:remove': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Remove an executor profile',
    input: () =>
      z.object({
        name: name(),
        force: z.boolean().optional().describe('remove it even if the default executor or an unfinished task names it'),
      }),
    cli: { command: 'executor remove', args: ['name'] },
  }).returns<ExecutorProfile[]>(),
};
