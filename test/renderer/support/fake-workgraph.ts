import type { z } from 'zod';
import type { Agent } from '../../../src/shared/agent';
import type { ChangeEvent, OutputEvent } from '../../../src/shared/api-contract';
import { createClient, type Transport, type WgClient } from '../../../src/shared/client';
import type { ConfigEntry, ExecutorProfile, ModelRegistry } from '../../../src/shared/config-types';
import { WgError, notFound } from '../../../src/shared/errors';
import { ops, type OpName, type OpOutput, type OpParsed } from '../../../src/shared/ops/registry';
import type { Message } from '../../../src/shared/message';
import type { IndexedRunEvent, RunEvent } from '../../../src/shared/run-event';
import type { ServiceStatus } from '../../../src/shared/service-types';
import type { AgentTokenInfo, RemoteStatus } from '../../../src/shared/remote-types';
import { dependencyHold } from '../../../src/shared/task-hold';
import { priorityName, type Task, type TaskStatus } from '../../../src/shared/task';
import type { WorktreeDiff, WorktreeInfo } from '../../../src/shared/worktree';
import { FakeAgency } from './fake-agency';
import { makeAgent, makeTask } from './fixtures';
import { insightHandlers } from './fake-insight';

type Handlers = { [N in OpName]: (input: OpParsed<N>) => OpOutput<N> };
type RunOutput = { total: number; at: (index: number) => RunEvent };

/**
 * An in-memory workgraph behind the real op registry: inputs are validated with the registry's
 * schemas, refusals are WgErrors with the daemon's wording, every write bumps the revision and
 * emits a change event. Component tests and the test-only browser-mode server both use it.
 */
export class FakeWorkgraph {
  rev = 0;
  /** The revision of the last removal (see `remove`). */
  private removedRev = 0;
  readonly tasks = new Map<string, Task>();
  readonly agents = new Map<string, Agent>();
  readonly outputs = new Map<string, RunOutput>();
  readonly calls: Array<{ name: OpName; input: unknown }> = [];
  worktrees: WorktreeInfo[] = [];
  readonly diffs = new Map<string, WorktreeDiff>();
  models: ModelRegistry = {
    models: [
      { name: 'sonnet', provider: 'anthropic', model_id: 'claude-sonnet-4-5', tier: 'standard', cost_in: 3, cost_out: 15, builtin: true },
      { name: 'haiku', provider: 'anthropic', model_id: 'claude-haiku-4-5', tier: 'fast', cost_in: 1, cost_out: 5, builtin: true },
    ],
    default: 'sonnet',
    roles: {},
  };
  agentTokens: AgentTokenInfo[] = [];
  /** Each task's messages, and each reader's cursor (`reader task`). */
  readonly messages = new Map<string, Message[]>();
  private readonly cursors = new Map<string, number>();
  remote: RemoteStatus = { accepting: true, daemons: [], active_jobs: [], recent_jobs: [], waiting: [] };
  executors: ExecutorProfile[] = [
    {
      name: 'claude',
      type: 'claude',
      command: null,
      args: [],
      endpoint: null,
      method: null,
      model: null,
      timeout: null,
      repo: null,
      role: null,
      builtin: true,
    },
    {
      name: 'shell',
      type: 'shell',
      command: null,
      args: [],
      endpoint: null,
      method: null,
      model: null,
      timeout: null,
      repo: null,
      role: null,
      builtin: true,
    },
  ];
  config: ConfigEntry[] = [
    { key: 'coordinator.max_agents', value: 4, source: 'default' },
    { key: 'coordinator.poll_interval', value: 60, source: 'default' },
    { key: 'coordinator.executor', value: 'claude', source: 'default' },
    { key: 'coordinator.model', value: null, source: 'default' },
    { key: 'coordinator.auto_triage', value: false, source: 'default' },
    { key: 'coordinator.triage_model', value: 'haiku', source: 'default' },
    { key: 'agent.heartbeat_timeout', value: 120, source: 'default' },
    { key: 'agent.timeout', value: 3600, source: 'default' },
    { key: 'agent.max_retries', value: 2, source: 'default' },
    { key: 'service.quit_behavior', value: 'keep-agents', source: 'default' },
  ];
  service: ServiceStatus = {
    running: true,
    pid: 1234,
    started_at: new Date(Date.now() - 3_600_000).toISOString(),
    uptime_seconds: 3600,
    paused: false,
    max_agents: 4,
    url: 'http://127.0.0.1:0/',
    agents: { working: 0, done: 0, failed: 0, dead: 0 },
    recent_errors: [],
  };
  private readonly changeListeners = new Set<(event: ChangeEvent) => void>();
  private readonly outputListeners = new Set<(event: OutputEvent) => void>();
  private agentSeq = 0;

  /** A transport calling straight into this fake (what IPC or HTTP would do). */
  readonly transport: Transport = async (name, input) => this.call(name, input);
  readonly client: WgClient = createClient(this.transport);

  onChange(listener: (event: ChangeEvent) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onOutput(listener: (event: OutputEvent) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  call<N extends OpName>(name: N, input: unknown): OpOutput<N> {
    this.calls.push({ name, input });
    const schema: z.ZodType = ops[name].input;
    const parsed = schema.safeParse(input ?? {});
    if (!parsed.success) {
      throw new WgError('invalid', parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
    }
    const handler = this.handlers[name] as (input: unknown) => OpOutput<N>;
    // A copy, as if it had crossed the wire: callers never share objects with the store.
    return JSON.parse(JSON.stringify(handler(parsed.data) ?? null)) as OpOutput<N>;
  }

  // ── seeding and simulation helpers (tests) ───────────────────────────────
  seed(tasks: Task[], agents: Agent[] = []): void {
    for (const task of tasks) this.tasks.set(task.id, { ...task, rev: this.rev });
    for (const agent of agents) this.agents.set(agent.id, { ...agent, rev: this.rev });
  }

  /** Remove a task as upstream's gc does through the sync with graph.jsonl. */
  remove(id: string): void {
    this.write((rev) => {
      this.tasks.delete(id);
      this.removedRev = rev;
    });
  }

  /** Change a task as the coordinator would, with a new revision and a change event. */
  update(id: string, change: Partial<Task>): Task {
    return this.write((rev) => this.put({ ...this.task(id), ...change, rev }));
  }

  updateAgent(id: string, change: Partial<Agent>): Agent {
    return this.write((rev) => {
      const agent = { ...this.agent(id), ...change, rev };
      this.agents.set(id, agent);
      return agent;
    });
  }

  startAgent(taskId: string, fields: Partial<Agent> = {}): Agent {
    return this.write((rev) => {
      const agent = makeAgent({
        id: `agent-${++this.agentSeq}`,
        task_id: taskId,
        started_at: new Date().toISOString(),
        ...fields,
        rev,
      });
      this.agents.set(agent.id, agent);
      const task = this.task(taskId);
      this.put({ ...task, status: 'in-progress', assigned: agent.id, started_at: agent.started_at, rev });
      return agent;
    });
  }

  /** Give an agent `total` events, produced on demand by `at` (a million cost no memory). */
  setOutput(agentId: string, total: number, at: (index: number) => RunEvent): void {
    this.outputs.set(agentId, { total, at });
    for (const listener of this.outputListeners) listener({ agent_id: agentId, total });
  }

  appendOutput(agentId: string, events: RunEvent[]): void {
    const current = this.outputs.get(agentId);
    const list: RunEvent[] = [];
    if (current) for (let i = 0; i < current.total; i++) list.push(current.at(i));
    list.push(...events);
    this.setOutput(agentId, list.length, (i) => list[i] ?? { type: 'raw', text: '' });
  }

  // ── internals ────────────────────────────────────────────────────────────
  private write<T>(change: (rev: number) => T): T {
    const rev = ++this.rev;
    const result = change(rev);
    for (const listener of this.changeListeners) listener({ rev });
    return result;
  }

  private task(id: string): Task {
    const task = this.tasks.get(id);
    if (!task) throw notFound('task', id);
    return task;
  }

  private agent(id: string): Agent {
    const agent = this.agents.get(id);
    if (!agent) throw notFound('agent', id);
    return agent;
  }

  private put(task: Task): Task {
    this.tasks.set(task.id, task);
    return task;
  }

  private setStatus(id: string, status: TaskStatus, extra: Partial<Task> = {}): Task {
    return this.write((rev) => {
      const task = this.task(id);
      const now = new Date().toISOString();
      const terminal = status === 'done' || status === 'failed' || status === 'abandoned';
      return this.put({
        ...task,
        status,
        ...extra,
        rev,
        completed_at: terminal ? now : null,
        log: [...task.log, { timestamp: now, actor: 'user', message: `status -> ${status}` }],
      });
    });
  }

  /** `task -> dependency -> … -> task` if adding the dependency closes a loop. */
  private cycle(task: string, dependency: string): string[] | null {
    if (task === dependency) return [task, task];
    const parent = new Map<string, string>();
    const queue = [dependency];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const current = queue.shift() as string;
      for (const next of this.tasks.get(current)?.after ?? []) {
        if (next === task) {
          const path = [current];
          let node = current;
          while (node !== dependency) {
            node = parent.get(node) as string;
            path.unshift(node);
          }
          return [task, ...path, task];
        }
        if (!seen.has(next)) {
          seen.add(next);
          parent.set(next, current);
          queue.push(next);
        }
      }
    }
    return null;
  }

  private checkDependencies(id: string, after: readonly string[]): void {
    for (const dependency of after) {
      this.task(dependency);
      const loop = this.cycle(id, dependency);
      if (loop) throw new WgError('cycle', `dependency would create a cycle: ${loop.join(' -> ')}`);
    }
  }

  private slug(title: string): string {
    const base =
      title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'task';
    let id = base;
    for (let n = 2; this.tasks.has(id); n++) id = `${base}-${n}`;
    return id;
  }

  /** Roles, tradeoffs and identities; `agency.seedStarters()` gives it what `wg agency init` would. */
  readonly agency = new FakeAgency(
    () => [...this.tasks.values()],
    (change) => this.write(() => change()),
    (id, agent, line) =>
      this.write((rev) => {
        const task = this.task(id);
        return this.put({ ...task, agent, rev, log: [...task.log, { timestamp: new Date().toISOString(), actor: 'user', message: line }] });
      }),
  );

  private readonly handlers: Handlers = {
    ...this.agency.handlers,
    ...insightHandlers({
      tasks: () => [...this.tasks.values()],
      ready: (task) => this.isReady(task),
      setStatus: (id, status, extra) => this.setStatus(id, status, extra),
      setPaused: (id, paused) => this.write((rev) => this.put({ ...this.task(id), paused, rev })),
    }),
    'task:add': (input) => {
      const id = input.id ?? this.slug(input.title);
      if (this.tasks.has(id)) throw new WgError('conflict', `task '${id}' already exists`);
      const after = input.after ?? [];
      for (const dependency of after) this.task(dependency);
      return this.write((rev) =>
        this.put(
          makeTask({
            id,
            title: input.title,
            description: input.description ?? '',
            tags: input.tags ?? [],
            after,
            priority: priorityName(input.priority ?? 10),
            priority_value: input.priority ?? 10,
            model: input.model ?? null,
            executor: input.executor ?? null,
            exec: input.exec ?? null,
            repo: input.repo ?? null,
            role: input.role ?? null,
            schedule: input.schedule ?? null,
            paused: input.paused ?? false,
            max_retries: input.maxRetries ?? 2,
            created_at: new Date().toISOString(),
            rev,
          }),
        ),
      );
    },
    'task:edit': (input) => {
      const task = this.task(input.id);
      if (input.after) this.checkDependencies(task.id, input.after);
      return this.write((rev) =>
        this.put({
          ...task,
          rev,
          title: input.title ?? task.title,
          description: input.description ?? task.description,
          after: input.after ?? task.after,
          tags: input.tags ?? task.tags,
          priority: input.priority === undefined ? task.priority : priorityName(input.priority),
          priority_value: input.priority ?? task.priority_value,
          model: input.model ?? task.model,
          executor: input.executor ?? task.executor,
          exec: input.exec ?? task.exec,
          schedule: input.schedule ?? task.schedule,
          max_retries: input.maxRetries ?? task.max_retries,
        }),
      );
    },
    'task:addDep': ({ task: id, dependency }) => {
      const task = this.task(id);
      this.checkDependencies(id, [dependency]);
      if (task.after.includes(dependency)) return task;
      return this.write((rev) => this.put({ ...task, after: [...task.after, dependency], rev }));
    },
    'task:rmDep': ({ task: id, dependency }) => {
      const task = this.task(id);
      if (!task.after.includes(dependency)) throw new WgError('not_found', `'${id}' does not depend on '${dependency}'`);
      return this.write((rev) => this.put({ ...task, after: task.after.filter((d) => d !== dependency), rev }));
    },
    'task:show': ({ id }) => {
      const task = this.task(id);
      const link = (other: string) => ({ id: other, status: this.tasks.get(other)?.status ?? null });
      const requiredBy = [...this.tasks.values()].filter((t) => t.after.includes(id)).map((t) => link(t.id));
      const ready = this.isReady(task);
      const open = (task.status === 'open' || task.status === 'incomplete') && !task.paused;
      const hold = open && !ready ? dependencyHold(task, this.tasks) : null;
      return { ...task, dependencies: task.after.map(link), required_by: requiredBy, ready, hold };
    },
    'task:list': ({ status, tag }) =>
      [...this.tasks.values()].filter((t) => (!status || t.status === status) && (tag ?? []).every((each) => t.tags.includes(each))),
    'task:ready': () => [...this.tasks.values()].filter((t) => this.isReady(t)).map((t) => ({ ...t, ready: true })),
    'task:claim': ({ id, agent }) => this.setStatus(id, 'in-progress', { assigned: agent, started_at: new Date().toISOString() }),
    'task:unclaim': ({ id }) => this.setStatus(id, 'open', { assigned: null }),
    'task:done': ({ id, artifacts }) => {
      const extra: Partial<Task> = {};
      if (Array.isArray(artifacts)) extra.artifacts = [...this.task(id).artifacts, ...artifacts];
      else if (artifacts) extra.results = { ...this.task(id).results, ...artifacts };
      return this.setStatus(id, 'done', extra);
    },
    'task:fail': ({ id, reason }) => this.setStatus(id, 'failed', { failure_reason: reason ?? null }),
    'task:log': ({ id, message, actor, list }) =>
      list || message === undefined
        ? { id, title: this.task(id).title, log: this.task(id).log }
        : this.write((rev) => {
            const task = this.task(id);
            return this.put({ ...task, rev, log: [...task.log, { timestamp: new Date().toISOString(), actor: actor ?? 'user', message }] });
          }),
    'task:artifact': ({ id, value }) =>
      this.write((rev) => {
        const task = this.task(id);
        return this.put({ ...task, rev, artifacts: value === undefined ? task.artifacts : [...task.artifacts, value] });
      }),
    'task:pause': ({ id }) => this.write((rev) => this.put({ ...this.task(id), paused: true, rev })),
    'task:publish': ({ id }) => ({ task: this.write((rev) => this.put({ ...this.task(id), paused: false, rev })), resumed: [id] }),
    'task:retry': ({ id }) => {
      const task = this.task(id);
      if (task.status !== 'failed' && task.status !== 'abandoned')
        throw new WgError('conflict', `task '${id}' is ${task.status}, not failed or abandoned`);
      return this.setStatus(id, 'open', { failure_reason: null, assigned: null, retry_count: task.retry_count + 1 });
    },
    'task:abandon': ({ id, reason }) => ({
      task: this.setStatus(id, 'abandoned', { failure_reason: reason ?? null }),
      auto_abandoned: [],
      already_abandoned: false,
    }),
    'task:heartbeat': ({ agent }) => this.updateAgent(agent, { last_heartbeat: new Date().toISOString() }),
    'graph:snapshot': ({ since }) => {
      // As the store: after a removal, everything, marked full.
      const full = since !== undefined && since > 0 && this.removedRev > since;
      const all = since === undefined || full;
      return {
        rev: this.rev,
        tasks: [...this.tasks.values()].filter((t) => all || t.rev > (since ?? 0)),
        agents: [...this.agents.values()].filter((a) => all || a.rev > (since ?? 0)),
        ...(full ? { full: true as const } : {}),
      };
    },
    'graph:export': () => [...this.tasks.values()].map((t) => JSON.stringify(t)).join('\n'),
    'graph:import': ({ jsonl }) =>
      this.write((rev) => {
        let imported = 0;
        let updated = 0;
        for (const line of jsonl.split('\n')) {
          if (line.trim() === '') continue;
          const fields = JSON.parse(line) as Partial<Task> & { id: string };
          if (this.tasks.has(fields.id)) updated++;
          else imported++;
          this.put(makeTask({ ...fields, rev }));
        }
        return { imported, updated, loops: [] };
      }),
    'graph:viz': () => [...this.tasks.values()].flatMap((t) => t.after.map((d) => `${d} -> ${t.id}`)).join('\n'),
    'config:list': () => this.config,
    'config:update': (input) => {
      const keys: Record<string, string> = {
        maxAgents: 'coordinator.max_agents',
        pollInterval: 'coordinator.poll_interval',
        executor: 'coordinator.executor',
        model: 'coordinator.model',
        autoTriage: 'coordinator.auto_triage',
        triageModel: 'coordinator.triage_model',
        heartbeatTimeout: 'agent.heartbeat_timeout',
        agentTimeout: 'agent.timeout',
        maxRetries: 'agent.max_retries',
        quitBehavior: 'service.quit_behavior',
      };
      for (const [field, value] of Object.entries(input)) {
        const key = keys[field];
        if (!key || value === undefined) continue;
        const entry: ConfigEntry = { key, value: typeof value === 'object' ? null : value, source: input.global ? 'global' : 'local' };
        this.config = this.config.map((e) => (e.key === key ? entry : e));
      }
      return this.config;
    },
    'model:list': () => this.models,
    'model:add': (input) => {
      const entry = {
        name: input.name,
        provider: input.provider,
        model_id: input.modelId,
        tier: input.tier ?? 'standard',
        cost_in: input.costIn ?? null,
        cost_out: input.costOut ?? null,
        builtin: false,
      };
      this.models = { ...this.models, models: [...this.models.models.filter((m) => m.name !== input.name), entry] };
      return entry;
    },
    'model:remove': ({ name }) => {
      if (!this.models.models.some((m) => m.name === name)) throw notFound('model', name);
      this.models = { ...this.models, models: this.models.models.filter((m) => m.name !== name) };
      return this.models;
    },
    'model:setDefault': ({ name }) => {
      if (!this.models.models.some((m) => m.name === name)) throw notFound('model', name);
      this.models = { ...this.models, default: name };
      return this.models;
    },
    'model:setRole': (input) => {
      const [role, name] = input.model === undefined ? [input.role as string, input.name] : [input.name, input.model];
      if (!this.models.models.some((m) => m.name === name)) throw notFound('model', name);
      this.models = { ...this.models, roles: { ...this.models.roles, [role]: name } };
      return this.models;
    },
    'executor:list': () => this.executors,
    'executor:add': (input) => {
      const profile: ExecutorProfile = {
        name: input.name,
        type: input.type,
        command: input.command ?? null,
        args: input.args ?? [],
        endpoint: input.endpoint ?? null,
        method: input.method ?? null,
        model: input.model ?? null,
        timeout: input.timeout ?? null,
        repo: input.repo ?? null,
        role: input.role ?? null,
        builtin: false,
      };
      this.executors = [...this.executors.filter((e) => e.name !== input.name), profile];
      return profile;
    },
    'executor:remove': ({ name }) => {
      this.executors = this.executors.filter((e) => e.name !== name);
      return this.executors;
    },
    'eval:record': ({ id, score, dim, evaluator, notes }) =>
      this.write((rev) => {
        this.agency.record(this.task(id), score, dim ?? {});
        return this.put({
          ...this.task(id),
          rev,
          evaluation: {
            score,
            dimensions: dim ?? {},
            evaluator: evaluator ?? null,
            notes: notes ?? null,
            timestamp: new Date().toISOString(),
          },
        });
      }),
    'eval:show': ({ id }) => this.task(id).evaluation,
    'eval:run': ({ task }) => {
      const found = this.task(task);
      return { task_id: task, status: found.status, evaluation: found.evaluation };
    },
    'agent:list': ({ alive, dead, working }) =>
      [...this.agents.values()].filter((a) => {
        if (alive || working) return a.state === 'working';
        if (dead) return a.state === 'dead';
        return true;
      }),
    'agent:kill': ({ id, all, hold }) => {
      const targets = [...this.agents.values()].filter((a) => a.state === 'working' && (all || a.id === id));
      if (id && targets.length === 0) throw new WgError('conflict', `agent '${id}' is not running`);
      const killed = targets.map((a) => {
        const agent = this.updateAgent(a.id, { state: 'killed', ended_at: new Date().toISOString() });
        this.setStatus(a.task_id, 'open', hold ? { assigned: null, paused: true } : { assigned: null });
        return agent;
      });
      return { killed };
    },
    'agent:dead': () => ({ dead: [...this.agents.values()].filter((a) => a.state === 'dead'), cleaned: 0, purged: 0 }),
    'run:events': ({ agent, offset, limit }) => {
      const output = this.outputs.get(agent) ?? { total: 0, at: () => ({ type: 'raw', text: '' }) };
      const start = Math.min(offset ?? 0, output.total);
      const end = Math.min(output.total, start + (limit ?? 500));
      const events: IndexedRunEvent[] = [];
      for (let i = start; i < end; i++) events.push({ seq: i, at: '2025-01-01T00:00:00.000Z', event: output.at(i) });
      return { agent_id: agent, total: output.total, offset: start, events };
    },
    // Messages as the store keeps them (core/messages/message-records.ts): ids per task, one cursor a reader.
    'msg:send': ({ task, message, from, priority }) => {
      this.task(task);
      if (message === undefined) throw new WgError('invalid', 'a message is required (or use --stdin)');
      const list = this.messages.get(task) ?? [];
      return this.write(() => {
        const sent: Message = {
          id: list.length + 1,
          task_id: task,
          timestamp: new Date().toISOString(),
          sender: from ?? 'user',
          body: message,
          priority: priority ?? 'normal',
          status: 'sent',
        };
        this.messages.set(task, [...list, sent]);
        return sent;
      });
    },
    'msg:list': ({ task }) => {
      this.task(task);
      return this.messages.get(task) ?? [];
    },
    'msg:poll': ({ task, agent }) => {
      this.task(task);
      const cursor = this.cursors.get(`${agent ?? 'user'} ${task}`) ?? 0;
      return (this.messages.get(task) ?? []).filter((m) => m.id > cursor);
    },
    'msg:read': ({ task, agent }) => {
      this.task(task);
      const key = `${agent ?? 'user'} ${task}`;
      const list = this.messages.get(task) ?? [];
      const unread = list.filter((m) => m.id > (this.cursors.get(key) ?? 0));
      if (unread.length > 0) this.cursors.set(key, list.length);
      return unread;
    },
    'service:status': () => this.serviceStatus(),
    // Like the real service, pausing and resuming make a revision of their own (windows hear of it).
    'service:pause': () =>
      this.write(() => {
        this.service = { ...this.service, paused: true };
        return this.serviceStatus();
      }),
    'service:resume': () =>
      this.write(() => {
        this.service = { ...this.service, paused: false };
        return this.serviceStatus();
      }),
    'service:reload': (input) => {
      if (input.maxAgents) this.service = { ...this.service, max_agents: input.maxAgents };
      return this.serviceStatus();
    },
    'task:spawn': ({ id }) => this.startAgent(id),
    'token:create': ({ name, roles, repos }) => {
      if (this.agentTokens.some((t) => t.name === name))
        throw new WgError('conflict', `a token named '${name}' exists already (revoke it first, or pick another name)`);
      const token = `wga_${'x'.repeat(39)}${String(this.agentTokens.length).padStart(4, '0')}`;
      const info: AgentTokenInfo = {
        name,
        kind: 'agent',
        last4: token.slice(-4),
        roles: roles ?? [],
        repos: repos ?? [],
        created_at: '2025-01-01T00:00:00.000Z',
        revoked_at: null,
        last_used_at: null,
      };
      this.write(() => this.agentTokens.push(info));
      return { ...info, token };
    },
    'token:list': () => this.agentTokens,
    'token:revoke': ({ name }) => {
      const token = this.agentTokens.find((t) => t.name === name);
      if (!token) throw notFound('token', name);
      this.write(() => (token.revoked_at ??= '2025-01-02T00:00:00.000Z'));
      return token;
    },
    'remote:status': () => this.remote,
    'worktree:list': () => this.worktrees.filter((w) => w.state !== 'removed'),
    'worktree:show': ({ id }) => {
      const worktree = this.findWorktree(id);
      return { worktree, diff: this.diffs.get(worktree.id) ?? null, diff_note: this.diffs.has(worktree.id) ? null : 'no diff' };
    },
    'worktree:gc': ({ apply }) => {
      const removable = this.worktrees.filter((w) => w.removable && w.state !== 'removed');
      if (apply) this.worktrees = this.worktrees.map((w) => (removable.includes(w) ? { ...w, state: 'removed' } : w));
      return {
        applied: apply ?? false,
        removed: removable.map((w) => ({ id: w.id, path: w.path, recover_branch: null })),
        kept: this.worktrees.filter((w) => !w.removable).map((w) => ({ id: w.id, path: w.path, reason: w.keep_reason ?? 'kept' })),
      };
    },
    'worktree:remove': ({ id, force }) => {
      const worktree = this.findWorktree(id);
      if (worktree.uncommitted.length > 0 && !force)
        throw new WgError('conflict', `${worktree.path} has uncommitted files; --force removes them`);
      const removed: WorktreeInfo = { ...worktree, state: 'removed' };
      this.worktrees = this.worktrees.map((w) => (w.id === worktree.id ? removed : w));
      this.write(() => undefined);
      return removed;
    },
  };

  private findWorktree(key: string): WorktreeInfo {
    const worktree = this.worktrees.find((w) => w.id === key || w.task_id === key || w.agent_id === key);
    if (!worktree) throw notFound('worktree', key);
    return worktree;
  }

  isReady(task: Task): boolean {
    return (
      task.status === 'open' &&
      !task.paused &&
      task.after.every((d) => {
        const status = this.tasks.get(d)?.status;
        return status === 'done' || status === 'abandoned';
      })
    );
  }

  private serviceStatus(): ServiceStatus {
    const counts = { working: 0, done: 0, failed: 0, dead: 0 };
    for (const agent of this.agents.values()) {
      if (agent.state === 'working' || agent.state === 'done' || agent.state === 'failed' || agent.state === 'dead') counts[agent.state]++;
    }
    return { ...this.service, agents: counts };
  }
}
