import { z } from 'zod';
import { op } from './define';
import type { Agent } from '../agent';
import type { Task, Evaluation } from '../task';
import type { ConfigEntry, ExecutorProfile, ModelEntry, ModelRegistry } from '../config-types';
import type { RunEventPage } from '../run-event';
import type { DeadAgentsResult, KillResult, ServiceStatus } from '../service-types';
import {
  agentId, boolValue, executorType, jsonText, jsonValue, modelTier, name, status, taskFields, taskId,
} from './schemas';

const byId = z.object({ id: taskId });

/**
 * Every operation of the app, defined once. The CLI, the HTTP API, the Electron IPC bridge
 * and the renderer's client are all derived from this object; channel names are `domain:verb`.
 */
export const ops = {
  // ── tasks ────────────────────────────────────────────────────────────────
  'task:add': op({
    kind: 'mutation', scope: 'store', summary: 'Add a task',
    input: z.object({
      title: z.string().trim().min(1, 'title is empty'),
      id: taskId.optional().describe('task id (default: slug of the title)'),
      ...taskFields,
      paused: z.boolean().optional().describe('create paused (not dispatched until published)'),
    }),
    cli: { command: 'add', args: ['title'], flags: { tags: 'tag' }, short: { description: 'd' } },
  }).returns<Task>(),
  'task:edit': op({
    kind: 'mutation', scope: 'store', summary: 'Change a task',
    input: z.object({ id: taskId, title: z.string().trim().min(1).optional(), ...taskFields }),
    cli: { command: 'edit', args: ['id'], flags: { tags: 'tag' }, short: { description: 'd' } },
  }).returns<Task>(),
  'task:addDep': op({
    kind: 'mutation', scope: 'store', summary: 'Make TASK depend on DEPENDENCY',
    input: z.object({ task: taskId, dependency: taskId }),
    cli: { command: 'add-dep', args: ['task', 'dependency'] },
  }).returns<Task>(),
  'task:rmDep': op({
    kind: 'mutation', scope: 'store', summary: 'Remove a dependency',
    input: z.object({ task: taskId, dependency: taskId }),
    cli: { command: 'rm-dep', args: ['task', 'dependency'] },
  }).returns<Task>(),
  'task:show': op({
    kind: 'query', scope: 'store', summary: 'Show one task', input: byId,
    cli: { command: 'show', args: ['id'] },
  }).returns<Task>(),
  'task:list': op({
    kind: 'query', scope: 'store', summary: 'List tasks',
    input: z.object({ status: status.optional(), tag: z.string().optional() }),
    cli: { command: 'list' },
  }).returns<Task[]>(),
  'task:ready': op({
    kind: 'query', scope: 'store', summary: 'Tasks ready to start, in dispatch order',
    input: z.object({}), cli: { command: 'ready' },
  }).returns<Task[]>(),
  'task:claim': op({
    kind: 'mutation', scope: 'store', summary: 'Claim a ready task for an agent',
    input: z.object({ id: taskId, agent: agentId }),
    cli: { command: 'claim', args: ['id'] },
  }).returns<Task>(),
  'task:unclaim': op({
    kind: 'mutation', scope: 'store', summary: 'Release a claimed task back to open', input: byId,
    cli: { command: 'unclaim', args: ['id'] },
  }).returns<Task>(),
  'task:done': op({
    kind: 'mutation', scope: 'store', summary: 'Mark a task done',
    input: z.object({
      id: taskId,
      agent: agentId.optional().describe('the agent reporting completion'),
      artifacts: jsonText(z.union([z.array(z.string()), z.record(z.string(), jsonValue)])).optional()
        .describe('JSON: a list of artifact paths or an object of results'),
    }),
    cli: { command: 'done', args: ['id'] },
  }).returns<Task>(),
  'task:fail': op({
    kind: 'mutation', scope: 'store', summary: 'Mark a task failed',
    input: z.object({ id: taskId, reason: z.string().optional() }),
    cli: { command: 'fail', args: ['id'] },
  }).returns<Task>(),
  'task:log': op({
    kind: 'mutation', scope: 'store', summary: 'Append a log entry',
    input: z.object({ id: taskId, message: z.string().min(1, 'message is empty'), actor: z.string().optional() }),
    cli: { command: 'log', args: ['id', 'message'] },
  }).returns<Task>(),
  'task:artifact': op({
    kind: 'mutation', scope: 'store', summary: 'Record an artifact (path or value)',
    input: z.object({ id: taskId, value: z.string().min(1) }),
    cli: { command: 'artifact', args: ['id', 'value'] },
  }).returns<Task>(),
  'task:pause': op({
    kind: 'mutation', scope: 'store', summary: 'Pause a task (not dispatched)', input: byId,
    cli: { command: 'pause', args: ['id'] },
  }).returns<Task>(),
  'task:publish': op({
    kind: 'mutation', scope: 'store', summary: 'Un-pause a task', input: byId,
    cli: { command: 'publish', args: ['id'] },
  }).returns<Task>(),
  'task:retry': op({
    kind: 'mutation', scope: 'store', summary: 'Reopen a failed or abandoned task', input: byId,
    cli: { command: 'retry', args: ['id'] },
  }).returns<Task>(),
  'task:abandon': op({
    kind: 'mutation', scope: 'store', summary: 'Abandon a task (satisfies dependents)',
    input: z.object({ id: taskId, reason: z.string().optional() }),
    cli: { command: 'abandon', args: ['id'] },
  }).returns<Task>(),
  'task:heartbeat': op({
    kind: 'mutation', scope: 'store', summary: 'Report that an agent is alive',
    input: z.object({ agent: agentId }),
    cli: { command: 'heartbeat', args: ['agent'] },
  }).returns<Agent>(),

  // ── graph ────────────────────────────────────────────────────────────────
  'graph:snapshot': op({
    kind: 'query', scope: 'store', summary: 'All tasks and agents with the store revision',
    input: z.object({ since: z.coerce.number().int().min(0).optional() }),
  }).returns<{ rev: number; tasks: Task[]; agents: Agent[] }>(),
  'graph:export': op({
    kind: 'query', scope: 'store', summary: 'Export the graph as JSONL', input: z.object({}),
    cli: { command: 'export', writesFile: true },
  }).returns<string>(),
  'graph:import': op({
    kind: 'mutation', scope: 'store', summary: 'Import JSONL (this app or upstream graph.jsonl)',
    input: z.object({ jsonl: z.string() }),
    cli: { command: 'import', args: ['jsonl'], readsFile: 'jsonl' },
  }).returns<{ imported: number; updated: number }>(),
  'graph:viz': op({
    kind: 'query', scope: 'store', summary: 'Render the graph as Graphviz dot or Mermaid',
    input: z.object({ dot: z.boolean().optional(), mermaid: z.boolean().optional() }),
    cli: { command: 'viz' },
  }).returns<string>(),

  // ── config, models, executors ────────────────────────────────────────────
  'config:list': op({
    kind: 'query', scope: 'store', summary: 'Every setting with its source', input: z.object({}),
  }).returns<ConfigEntry[]>(),
  'config:update': op({
    kind: 'mutation', scope: 'store', summary: 'Change settings in config.toml (or list them)',
    input: z.object({
      list: z.boolean().optional().describe('show every value with its source'),
      global: z.boolean().optional().describe('write ~/.workgraph/config.toml instead of the project'),
      maxAgents: z.coerce.number().int().min(1).max(256).optional(),
      model: z.string().min(1).optional(),
      executor: z.string().min(1).optional(),
      pollInterval: z.coerce.number().min(1).max(86400).optional(),
      heartbeatTimeout: z.coerce.number().min(1).optional(),
      agentTimeout: z.coerce.number().min(1).optional(),
      maxRetries: z.coerce.number().int().min(0).max(100).optional(),
      autoTriage: boolValue.optional(),
      triageModel: z.string().min(1).optional(),
      quitBehavior: z.enum(['keep-agents', 'stop-agents']).optional(),
    }),
    cli: { command: 'config' },
  }).returns<ConfigEntry[]>(),
  'model:list': op({
    kind: 'query', scope: 'store', summary: 'The model registry', input: z.object({}),
    cli: { command: 'model list' },
  }).returns<ModelRegistry>(),
  'model:add': op({
    kind: 'mutation', scope: 'store', summary: 'Register a model',
    input: z.object({
      name, provider: z.string().min(1), modelId: z.string().min(1),
      tier: modelTier.optional(),
      costIn: z.coerce.number().min(0).optional().describe('USD per million input tokens'),
      costOut: z.coerce.number().min(0).optional().describe('USD per million output tokens'),
    }),
    cli: { command: 'model add', args: ['name'] },
  }).returns<ModelEntry>(),
  'model:remove': op({
    kind: 'mutation', scope: 'store', summary: 'Remove a registered model', input: z.object({ name }),
    cli: { command: 'model remove', args: ['name'] },
  }).returns<ModelRegistry>(),
  'model:setDefault': op({
    kind: 'mutation', scope: 'store', summary: 'Set the default model', input: z.object({ name }),
    cli: { command: 'model set-default', args: ['name'] },
  }).returns<ModelRegistry>(),
  'model:setRole': op({
    kind: 'mutation', scope: 'store', summary: 'Route a role (evaluator, triage, …) to a model',
    input: z.object({ role: z.string().min(1), name }),
    cli: { command: 'model set', args: ['name'] },
  }).returns<ModelRegistry>(),
  'executor:list': op({
    kind: 'query', scope: 'store', summary: 'Executor profiles', input: z.object({}),
    cli: { command: 'executor list' },
  }).returns<ExecutorProfile[]>(),
  'executor:add': op({
    kind: 'mutation', scope: 'store', summary: 'Add or replace an executor profile',
    input: z.object({
      name, type: executorType,
      command: z.string().min(1).optional().describe('cli: program to run'),
      args: z.array(z.string()).optional().describe('cli: argument templates ({prompt} {cwd} {model} {task_id})'),
      endpoint: z.url().optional().describe('http: URL to POST tasks to'),
      method: z.enum(['POST', 'PUT']).optional(),
      model: z.string().min(1).optional(),
      timeout: z.coerce.number().min(1).optional().describe('seconds before a run is killed'),
    }),
    cli: { command: 'executor add', args: ['name'] },
  }).returns<ExecutorProfile>(),
  'executor:remove': op({
    kind: 'mutation', scope: 'store', summary: 'Remove an executor profile', input: z.object({ name }),
    cli: { command: 'executor remove', args: ['name'] },
  }).returns<ExecutorProfile[]>(),

  // ── evaluations ──────────────────────────────────────────────────────────
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
  'eval:show': op({
    kind: 'query', scope: 'store', summary: 'Show a task evaluation', input: byId,
    cli: { command: 'evaluate show', args: ['id'] },
  }).returns<Evaluation | null>(),

  // ── agents and runs ──────────────────────────────────────────────────────
  'agent:list': op({
    kind: 'query', scope: 'store', summary: 'List agents',
    input: z.object({ alive: z.boolean().optional(), dead: z.boolean().optional(), working: z.boolean().optional() }),
    cli: { command: 'agents' },
  }).returns<Agent[]>(),
  'agent:kill': op({
    kind: 'mutation', scope: 'store', summary: 'Kill an agent (its whole process group); its task is unclaimed',
    input: z.object({ id: agentId.optional(), all: z.boolean().optional(), force: z.boolean().optional() }),
    cli: { command: 'kill', args: ['id'] },
  }).returns<KillResult>(),
  'agent:dead': op({
    kind: 'mutation', scope: 'store', summary: 'List dead agents; --cleanup requeues their tasks, --purge forgets them',
    input: z.object({ cleanup: z.boolean().optional(), purge: z.boolean().optional() }),
    cli: { command: 'dead-agents' },
  }).returns<DeadAgentsResult>(),
  'run:events': op({
    kind: 'query', scope: 'store', summary: 'A page of an agent run\'s normalized output',
    input: z.object({
      agent: agentId,
      offset: z.coerce.number().int().min(0).optional(),
      limit: z.coerce.number().int().min(1).max(5000).optional(),
    }),
    cli: { command: 'output', args: ['agent'] },
  }).returns<RunEventPage>(),

  // ── service (needs the running coordinator) ──────────────────────────────
  'service:status': op({
    kind: 'query', scope: 'service', summary: 'Coordinator status', input: z.object({}),
  }).returns<ServiceStatus>(),
  'service:pause': op({
    kind: 'mutation', scope: 'service', summary: 'Stop spawning (agents continue)', input: z.object({}),
    cli: { command: 'service pause' },
  }).returns<ServiceStatus>(),
  'service:resume': op({
    kind: 'mutation', scope: 'service', summary: 'Resume spawning at once', input: z.object({}),
    cli: { command: 'service resume' },
  }).returns<ServiceStatus>(),
  'service:reload': op({
    kind: 'mutation', scope: 'service', summary: 'Re-read config.toml, with optional overrides',
    input: z.object({
      maxAgents: z.coerce.number().int().min(1).max(256).optional(),
      model: z.string().min(1).optional(),
      executor: z.string().min(1).optional(),
    }),
    cli: { command: 'service reload' },
  }).returns<ServiceStatus>(),
  'task:spawn': op({
    kind: 'mutation', scope: 'service', summary: 'Start an agent on a task now (manual tasks too)', input: byId,
    cli: { command: 'spawn', args: ['id'] },
  }).returns<Agent>(),
};

export type Ops = typeof ops;
export type OpName = keyof Ops;
export type OpInput<N extends OpName> = z.input<Ops[N]['input']>;
export type OpParsed<N extends OpName> = z.output<Ops[N]['input']>;
export type OpOutput<N extends OpName> = Ops[N] extends { readonly __output?: infer O } ? O : never;
export const OP_NAMES = Object.keys(ops) as OpName[];
