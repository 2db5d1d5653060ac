import type { Agent } from '../../shared/agent';
import type { Settings } from '../../shared/config-types';
import { READY_AT, READY_ORDER } from '../store/readiness-sql';
import type { Store } from '../store/store';
import { findTaskRow } from '../store/task-reads';
import type { Config } from './config-view';
import { profileFor } from './deciding/executor-choice';
import { parseLaunchRecord, type LaunchRecord } from '../runs/files/run-files';
import { usesSlot, type AgentView, type ReadyTask, type SchedulerState, type TaskView } from './deciding/scheduler-types';
import { heartbeatTimeoutSeconds } from '../config/settings';

/**
 * Launch records by agent id: remembered at launch, read back from the agent's row after a restart,
 * else derived from the agent (a row from before the record was stored).
 */
export class LaunchRecords {
  private readonly known = new Map<string, LaunchRecord | null>();

  constructor(
    private readonly stored: (agentId: string) => string | null,
    private readonly derive: (agent: Agent) => LaunchRecord | null,
    private readonly find: (agentId: string) => Agent | undefined = () => undefined,
  ) {}

  set(agentId: string, record: LaunchRecord): void {
    this.known.set(agentId, record);
  }

  get(agentId: string): LaunchRecord | null {
    if (!this.known.has(agentId)) {
      const stored = parseLaunchRecord(this.stored(agentId));
      const agent = stored ? undefined : this.find(agentId);
      this.known.set(agentId, stored ?? (agent ? this.derive(agent) : null));
    }
    return this.known.get(agentId) ?? null;
  }

  forget(agentId: string): void {
    this.known.delete(agentId);
  }
}

/** What a launch record must have said, judged from the agent's executor as configured now. */
export function derivedRecord(agent: Agent, config: Config): LaunchRecord | null {
  const profile = config.profiles.find((p) => p.name === agent.executor);
  if (!profile) return null;
  const output = profile.type === 'claude' ? 'claude-stream-json' : profile.type === 'codex' ? 'codex-json' : 'plain';
  const kind = !agent.remote ? 'process' : profile.type === 'http' ? 'http' : profile.type === 'remote' ? 'remote' : 'external';
  return {
    kind,
    output,
    resumed_session: null,
    timeout_s: kind === 'process' ? (profile.timeout ?? config.settings.agent.timeout) : null,
    needs_evidence: false,
  };
}

/** A task deleted under a running agent: nothing waits on the agent any more. */
const goneTask = (id: string): TaskView => ({
  id,
  status: 'abandoned',
  assigned: null,
  retry_count: 0,
  max_retries: null,
  failure_reason: null,
});

type AgentFields = Pick<Agent, 'id' | 'state' | 'remote' | 'started_at' | 'last_heartbeat' | 'purpose'>;

export function toAgentView(agent: AgentFields, task: TaskView, record: LaunchRecord | null, settings: Settings): AgentView {
  // Without a record (a crash right after the claim) a remote agent gets no deadline rather than a wrong one.
  const kind = record?.kind ?? (agent.remote ? 'external' : 'process');
  return {
    id: agent.id,
    state: agent.state,
    kind,
    internal: agent.purpose !== 'task',
    started_at_ms: Date.parse(agent.started_at),
    last_heartbeat_ms: agent.last_heartbeat ? Date.parse(agent.last_heartbeat) : null,
    timeout_s: kind === 'process' ? (record?.timeout_s ?? settings.agent.timeout) : null,
    task,
  };
}

export function agentView(store: Store, agent: Agent, record: LaunchRecord | null, settings: Settings): AgentView {
  const row = findTaskRow(store.core, agent.task_id);
  const task = row
    ? {
        id: row.id,
        status: row.status,
        assigned: row.assigned,
        retry_count: row.retry_count,
        max_retries: row.max_retries,
        failure_reason: row.failure_reason,
      }
    : goneTask(agent.task_id);
  return toAgentView(agent, task, record, settings);
}

interface ReadyRow {
  id: string;
  executor: string | null;
  exec: string | null;
  agent: string | null;
}

/**
 * Ready tasks in queue order, only the columns the scheduler needs. Tasks whose own executor is a
 * manual profile are left out in SQL: never launched, they would only make the tick read further
 * (a project full of manual gates ahead of the work read 16, 64, then 256 whole rows every tick).
 * Tasks for agent daemons likewise: the remote dispatcher reads those itself.
 */
function readyRows(store: Store, config: Config, now: Date, limit: number): ReadyRow[] {
  const manual = config.profiles.filter((p) => p.type === 'manual' || p.type === 'remote').map((p) => p.name);
  const skip = manual.length > 0 ? `AND (executor IS NULL OR executor NOT IN (${manual.map(() => '?').join(', ')}))` : '';
  return store.core
    .sql<ReadyRow>(
      // Upstream's system tasks (.assign-x, .evaluate-x, …) are not started as agent tasks (agency/system-tasks.ts runs
      // those; wg spawn can), except `.verify-x`, which upstream's coordinator gives an agent like any task (runsAsAgentTask).
      `SELECT id, executor, exec, agent FROM tasks INDEXED BY tasks_ready
     WHERE ${READY_AT} AND (substr(id, 1, 1) <> '.' OR substr(id, 1, 8) = '.verify-') ${skip}
     ORDER BY ${READY_ORDER} LIMIT ?`,
    )
    .all(now.toISOString(), ...manual, limit);
}

function readyView(row: ReadyRow, config: Config, needsIdentity: StateInput['needsIdentity']): ReadyTask {
  try {
    const profile = profileFor(row, config.settings, config.profiles);
    const needs = needsIdentity?.(row, profile.type) ?? false;
    return { id: row.id, manual: profile.type === 'manual', remote: profile.type === 'remote', unlaunchable: null, needs_identity: needs };
  } catch (error) {
    return {
      id: row.id,
      manual: false,
      remote: false,
      unlaunchable: `cannot launch: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** An agent's columns and its task's (`agents a LEFT JOIN tasks t`): the scheduler's view of both, in one query. */
const AGENT_AND_TASK = `SELECT a.id, a.task_id, a.state, a.purpose, a.remote, a.started_at, a.last_heartbeat,
  t.status, t.assigned, t.retry_count, t.max_retries, t.failure_reason FROM agents a LEFT JOIN tasks t ON t.id = a.task_id`;

interface AgentTaskRow {
  id: string;
  task_id: string;
  state: Agent['state'];
  purpose: Agent['purpose'];
  remote: number;
  started_at: string;
  last_heartbeat: string | null;
  status: TaskView['status'] | null;
  assigned: string | null;
  retry_count: number | null;
  max_retries: number | null;
  failure_reason: string | null;
}

function viewOfRow(row: AgentTaskRow, records: LaunchRecords, settings: Settings): AgentView {
  const task =
    row.status === null
      ? goneTask(row.task_id)
      : {
          id: row.task_id,
          status: row.status,
          assigned: row.assigned,
          retry_count: row.retry_count ?? 0,
          max_retries: row.max_retries,
          failure_reason: row.failure_reason,
        };
  const agent = {
    id: row.id,
    state: row.state,
    remote: row.remote === 1,
    started_at: row.started_at,
    last_heartbeat: row.last_heartbeat,
    purpose: row.purpose,
  };
  return toAgentView(agent, task, records.get(row.id), settings);
}

/** Working agents with their tasks' state (a tick runs after nearly every commit). */
function workingAgents(store: Store, records: LaunchRecords, settings: Settings): AgentView[] {
  const rows = store.core.sql<AgentTaskRow>(`${AGENT_AND_TASK} WHERE a.state = 'working'`).all();
  return rows.map((row) => viewOfRow(row, records, settings));
}

/** One agent as the scheduler sees it, whatever its state (a run that just ended is judged on this). */
export function agentViewById(store: Store, agentId: string, records: LaunchRecords, settings: Settings): AgentView | undefined {
  const row = store.core.sql<AgentTaskRow>(`${AGENT_AND_TASK} WHERE a.id = ?`).get(agentId);
  return row ? viewOfRow(row, records, settings) : undefined;
}

export interface StateInput {
  store: Store;
  config: Config;
  records: LaunchRecords;
  now: Date;
  paused: boolean;
  /** Local runs the coordinator watches. */
  watched: string[];
  /** How many ready tasks to look at, given how many runs use a slot now. */
  readyLimit(busy: number): number;
  /** Whether a ready task must be given an identity before it starts (the agency's auto-assign). */
  needsIdentity?: (task: { id: string; agent: string | null }, executorType: string) => boolean;
}

/** One consistent-enough snapshot for the scheduler; effects re-check their preconditions in their own transaction. */
export function readSchedulerState(input: StateInput): { state: SchedulerState; readyRows: number; readyLimit: number } {
  const { store, config, records, now } = input;
  const { settings } = config;
  const working = workingAgents(store, records, settings);
  const readyLimit = input.readyLimit(working.filter((a) => usesSlot(a.kind) && !a.internal).length);
  const rows = readyLimit > 0 ? readyRows(store, config, now, readyLimit) : [];
  return {
    state: {
      now_ms: now.getTime(),
      paused: input.paused,
      max_agents: settings.coordinator.max_agents,
      heartbeat_timeout_s: heartbeatTimeoutSeconds(settings),
      default_max_retries: settings.agent.max_retries,
      auto_triage: settings.coordinator.auto_triage,
      ready: rows.map((row) => readyView(row, config, input.needsIdentity)),
      working,
      watched: input.watched,
    },
    readyRows: rows.length,
    readyLimit,
  };
}
