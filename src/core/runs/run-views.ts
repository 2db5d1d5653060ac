import { sql } from 'kysely';
import type { Agent } from '../../shared/agent';
import type { Settings } from '../../shared/config-types';
import type { Store } from '../store/store';
import type { StoreCore } from '../store/store-core';
import { findTaskRow } from '../store/task-reads';
import type { Config } from '../config/config-view';
import { parseLaunchRecord, type LaunchRecord } from '../run-folder/run-files';
import type { AgentView, TaskView } from '../deciding/scheduler-types';

/* How the scheduler sees a run: its agent row, its task's state and its launch record. */

/**
 * Launch records by agent id: remembered at launch, read back from the agent's row after a restart,
 * else derived from the agent (a row from before the record was stored).
 */
export class LaunchRecords {
  private readonly known = new Map<string, LaunchRecord | null>();

  constructor(
    private readonly stored: (agentId: string) => Promise<string | null>,
    private readonly derive: (agent: Agent) => LaunchRecord | null,
    private readonly find: (agentId: string) => Promise<Agent | undefined> = async () => undefined,
  ) {}

  set(agentId: string, record: LaunchRecord): void {
    this.known.set(agentId, record);
  }

  /** `storedText`: the agent row's record when the caller read it already (undefined: read it here if needed). */
  async get(agentId: string, storedText?: string | null): Promise<LaunchRecord | null> {
    if (!this.known.has(agentId)) {
      const stored = parseLaunchRecord(storedText === undefined ? await this.stored(agentId) : storedText);
      const agent = stored ? undefined : await this.find(agentId);
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
  const kind = !agent.runs_elsewhere ? 'process' : profile.type === 'http' ? 'http' : profile.type === 'remote' ? 'remote' : 'external';
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

type AgentFields = Pick<Agent, 'id' | 'state' | 'runs_elsewhere' | 'started_at' | 'last_heartbeat' | 'purpose'>;

export function toAgentView(agent: AgentFields, task: TaskView, record: LaunchRecord | null, settings: Settings): AgentView {
  // Without a record (a crash right after the claim) a run elsewhere gets no deadline rather than a wrong one.
  const kind = record?.kind ?? (agent.runs_elsewhere ? 'external' : 'process');
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

export async function agentView(store: Store, agent: Agent, record: LaunchRecord | null, settings: Settings): Promise<AgentView> {
  const row = await findTaskRow(store.core, agent.task_id);
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

/**
 * An agent's columns and its task's (`agents a LEFT JOIN tasks t`): the scheduler's view of both, in one query, with
 * the launch record (another coordinator's runs, not launched here, would each cost a query more).
 */
const agentsAndTasks = (core: StoreCore) =>
  core.build
    .selectFrom('agents as a')
    .leftJoin('tasks as t', 't.id', 'a.task_id')
    .select([
      'a.id',
      'a.task_id',
      'a.state',
      'a.purpose',
      'a.runs_elsewhere',
      'a.started_at',
      'a.last_heartbeat',
      'a.coordinator_id',
      'a.launch',
      't.status',
      't.assigned',
      't.retry_count',
      't.max_retries',
      't.failure_reason',
    ])
    .$castTo<AgentTaskRow>();

/** An agent's row and its task's, as the scheduler's view of both is made from (viewsOfRows). */
export interface AgentTaskRow {
  id: string;
  task_id: string;
  state: Agent['state'];
  purpose: Agent['purpose'];
  runs_elsewhere: number;
  started_at: string;
  last_heartbeat: string | null;
  coordinator_id: string | null;
  launch: string | null;
  status: TaskView['status'] | null;
  assigned: string | null;
  retry_count: number | null;
  max_retries: number | null;
  failure_reason: string | null;
}

async function viewOfRow(row: AgentTaskRow, records: LaunchRecords, settings: Settings): Promise<AgentView> {
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
    runs_elsewhere: row.runs_elsewhere === 1,
    started_at: row.started_at,
    last_heartbeat: row.last_heartbeat,
    purpose: row.purpose,
  };
  return toAgentView(agent, task, await records.get(row.id, row.launch), settings);
}

/**
 * Working agents with their tasks' state (a tick runs after nearly every commit): this coordinator's own,
 * which it alone judges, and the others' on a team's graph (`me` set), which count toward the team's cap.
 * Without `me` (SQLite: one coordinator per folder) every working run is its own.
 */
export async function workingAgents(
  store: Store,
  records: LaunchRecords,
  settings: Settings,
  me: string | null = null,
): Promise<{ mine: AgentView[]; others: AgentView[] }> {
  // Sent before the first await: read with whatever the caller asks for next (one round trip on PostgreSQL).
  const read = store.core.all(agentsAndTasks(store.core).where('a.state', '=', 'working'));
  const rows = await read;
  if (me === null) return { mine: await Promise.all(rows.map((row) => viewOfRow(row, records, settings))), others: [] };
  const mine: AgentView[] = [];
  const others: AgentView[] = [];
  for (const row of rows) (row.coordinator_id === me ? mine : others).push(await viewOfRow(row, records, settings));
  return { mine, others };
}

/** One agent as the scheduler sees it, whatever its state (a run that just ended is judged on this). */
export async function agentViewById(
  store: Store,
  agentId: string,
  records: LaunchRecords,
  settings: Settings,
): Promise<AgentView | undefined> {
  const row = await store.core.get(agentsAndTasks(store.core).where('a.id', '=', agentId));
  return row ? viewOfRow(row, records, settings) : undefined;
}

/**
 * `agentViewById`'s rows of many agents, in one statement (those that exist), sent before its first await; their views
 * are made apart (viewsOfRows), so that the rows may be read ahead (ExitReadsAhead).
 */
export function agentRowsById(store: Store, agentIds: readonly string[]): Promise<AgentTaskRow[]> {
  const { core } = store;
  return core.all(agentsAndTasks(core).where(core.fn.inList(sql.ref('a.id'), [...new Set(agentIds)])));
}

/** The scheduler's views of agents' rows (agentRowsById), by agent, with their launch records and the settings now. */
export async function viewsOfRows(
  rows: readonly AgentTaskRow[],
  records: LaunchRecords,
  settings: Settings,
): Promise<Map<string, AgentView>> {
  return new Map(await Promise.all(rows.map(async (row) => [row.id, await viewOfRow(row, records, settings)] as const)));
}
