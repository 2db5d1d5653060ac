import { sql } from 'kysely';
import type { Agent, AgentState, RunPurpose } from '../../shared/agent';
import { conflict, notFound } from '../../shared/errors';
import { checkReport, noteRefusal } from './run-reports';
import type { StoreCore } from './store-core';
import { toAgent, type AgentRow } from './rows';

export interface AgentFilter {
  alive?: boolean;
  dead?: boolean;
  working?: boolean;
}

export interface NewAgent {
  task_id: string;
  executor: string;
  model: string | null;
  model_source: string | null;
  runs_elsewhere: boolean;
  output_path: string | null;
  /** What the run is for; a task's own work unless said. */
  purpose?: RunPurpose;
}

/** How a run ended, as `end` records it. */
export interface AgentEnd {
  state: AgentState;
  ended_at: string;
  exit_code: number | null;
  reason: string | null;
}

export type AgentUpdate = Partial<
  Pick<
    Agent,
    | 'pid'
    | 'model'
    | 'state'
    | 'ended_at'
    | 'last_heartbeat'
    | 'exit_code'
    | 'reason'
    | 'output_path'
    | 'session_id'
    | 'cost_usd'
    | 'tokens_in'
    | 'tokens_out'
    | 'turns'
  >
>;

/** The highest N of the `agent-N` ids among `ids` (upstream's runs are named so too); 0 when none is. */
export function highestAgentNumber(ids: Iterable<string | null | undefined>): number {
  let highest = 0;
  for (const id of ids) {
    const match = id ? /^agent-(\d{1,9})$/.exec(id) : null;
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}

/**
 * Inside a write: this app's next run is `agent-(floor + 1)` or later. Upstream's wg names its runs
 * `agent-N` as this app does (its registry's next_agent_id): ids it used stay its own, in `assigned`,
 * in `.wg-worktrees/agent-N` and in `wg/agent-N/…` branches.
 */
export async function raiseAgentSeq(core: StoreCore, floor: number): Promise<void> {
  if (floor > 0) await core.raise('agent_seq', floor);
}

/** A run's number (`agent-N`'s N), the order runs are listed in. */
const RUN_NUMBER = sql.raw('substr(id, 7)');

/** Rows of the `agents` table: one per run. Writers call these inside `core.write`. */
export class AgentRecords {
  /**
   * On a team's graph, the coordinator this process is (coordinators.id): every run it records is its own
   * to judge. Null on SQLite (one coordinator per folder) and in processes that are no coordinator.
   */
  coordinatorId: string | null = null;

  constructor(private readonly core: StoreCore) {}

  /** Every column of `agents`, rows as AgentRow. */
  private agents() {
    return this.core.build.selectFrom('agents').selectAll().$castTo<AgentRow>();
  }

  async find(id: string): Promise<Agent | undefined> {
    const row = await this.core.get(this.agents().where('id', '=', id));
    return row ? toAgent(row) : undefined;
  }

  async get(id: string): Promise<Agent> {
    const agent = await this.find(id);
    if (!agent) throw notFound('agent', id);
    return agent;
  }

  async list(filter: AgentFilter = {}): Promise<Agent[]> {
    const states: AgentState[] = [];
    if (filter.alive || filter.working) states.push('working');
    if (filter.dead) states.push('dead');
    const query = states.length ? this.agents().where('state', 'in', states) : this.agents();
    return (await this.core.all(query.orderBy(this.core.fn.integer(RUN_NUMBER)))).map(toAgent);
  }

  /** The `count` newest runs (by their number), oldest first as `list` gives them. */
  async newest(count: number): Promise<Agent[]> {
    return (
      await this.core.all(
        this.core.build
          .selectFrom(this.agents().orderBy(this.core.fn.integer(RUN_NUMBER), 'desc').limit(count).as('newest'))
          .selectAll()
          .orderBy(this.core.fn.integer(RUN_NUMBER)),
      )
    ).map(toAgent);
  }

  /**
   * The runs a window shows of the graph: every run at work, each task's newest run of each purpose (its work, its
   * evaluation, its assignment, its triage) and the run it is assigned to; of a task no longer in the graph, only a run
   * still at work. Not the project's whole history, which grows with its age and made a long-lived project's first
   * view slow: the Agents page and `wg agents` list that, and a run's output is read by its id.
   */
  async current(): Promise<Agent[]> {
    return (
      await this.core.all(
        sql<AgentRow>`SELECT * FROM agents WHERE state = 'working'
           OR id IN (SELECT assigned FROM tasks WHERE assigned IS NOT NULL)
           OR (task_id IN (SELECT id FROM tasks) AND id IN (SELECT id FROM (
             SELECT id, row_number() OVER (PARTITION BY task_id, purpose ORDER BY started_at DESC, ${this.core.fn.integer(RUN_NUMBER)} DESC) AS newest
             FROM agents) AS ranked WHERE newest = 1))
         ORDER BY ${this.core.fn.integer(RUN_NUMBER)}`,
      )
    ).map(toAgent);
  }

  async changedSince(rev: number): Promise<Agent[]> {
    return (await this.core.all(this.agents().where('rev', '>', rev))).map(toAgent);
  }

  async forTask(taskId: string): Promise<Agent[]> {
    return (await this.core.all(this.agents().where('task_id', '=', taskId).orderBy('started_at'))).map(toAgent);
  }

  /** Inside a write: allocates the next `agent-N`. */
  async nextId(): Promise<string> {
    return `agent-${await this.core.bump('agent_seq')}`;
  }

  /** Inside a write: inserts a run (see `newRun`) with how it is launched and its run id, and the coordinator that starts it, in one statement. */
  async insert(agent: Agent, launch: string | null, runId: string | null = null): Promise<void> {
    await this.core.send(
      this.core.build.insertInto('agents').values({
        id: agent.id,
        task_id: agent.task_id,
        executor: agent.executor,
        model: agent.model,
        model_source: agent.model_source,
        state: agent.state,
        runs_elsewhere: agent.runs_elsewhere ? 1 : 0,
        started_at: agent.started_at,
        last_heartbeat: agent.last_heartbeat,
        output_path: agent.output_path,
        launch,
        run_id: runId,
        purpose: agent.purpose,
        rev: agent.rev,
        coordinator_id: this.coordinatorId,
      }),
    );
  }

  /** The run id a run's processes carry (WG_RUN_ID); null for runs from before it was stored. */
  async runId(id: string): Promise<string | null> {
    return (await this.core.get(this.core.build.selectFrom('agents').select('run_id').where('id', '=', id)))?.run_id ?? null;
  }

  /** The coordinator whose run it is (coordinators.id): the one that started it, or took it over; null on SQLite and for older runs. */
  async coordinatorOf(id: string): Promise<string | null> {
    return (
      (await this.core.get(this.core.build.selectFrom('agents').select('coordinator_id').where('id', '=', id)))?.coordinator_id ?? null
    );
  }

  /** The launch record (JSON) the coordinator stored with the run. */
  async launchRecord(id: string): Promise<string | null> {
    return (await this.core.get(this.core.build.selectFrom('agents').select('launch').where('id', '=', id)))?.launch ?? null;
  }

  /** Inside a write. */
  async update(id: string, change: AgentUpdate, rev: number): Promise<void> {
    const values = Object.fromEntries(Object.entries(change).map(([name, value]) => [name, value ?? null])) as AgentUpdate;
    await this.core.send(
      this.core.build
        .updateTable('agents')
        .set({ ...values, rev })
        .where('id', '=', id),
    );
  }

  /**
   * Inside a write: the pids of runs that started (a turn records several). One fixed statement per
   * run: simpler and no slower than one `UPDATE ... FROM json_each` for all.
   */
  async setPids(pids: readonly (readonly [agentId: string, pid: number])[], rev: number): Promise<void> {
    for (const [agentId, pid] of pids) {
      await this.core.send(this.core.build.updateTable('agents').set({ pid, rev }).where('id', '=', agentId));
    }
  }

  /** Inside a write: ends a run that is still working, in one statement; false if it was not. */
  async end(id: string, change: AgentEnd, rev: number): Promise<boolean> {
    return (await this.ending(id, change, rev))();
  }

  /**
   * Inside a write: `end`, whose answer is asked for later: on PostgreSQL the statement then travels with the
   * next one the caller sends (a settle reads its task's row before it needs to know), one round trip for both.
   */
  async ending(id: string, change: AgentEnd, rev: number): Promise<() => Promise<boolean>> {
    // Sent now and not waited for: its failure, if any, is met when it is asked for, or at the write's end.
    const result = this.core.run(
      this.core.build
        .updateTable('agents')
        .set({ state: change.state, ended_at: change.ended_at, exit_code: change.exit_code, reason: change.reason, rev })
        .where('id', '=', id)
        .where('state', '=', 'working'),
    );
    result.catch(() => undefined);
    return async () => (await result).changes > 0;
  }

  /** An agent says it is alive: only a working run may (a killed one's late heartbeat is refused and logged). */
  async heartbeat(id: string, runId: string | null = null): Promise<Agent> {
    const refused = await this.core.write(async (rev) => {
      const agent = await this.get(id);
      const verdict = await checkReport(this.core, { kind: 'agent', agentId: id, runId }, null, 'heartbeat');
      if (!verdict.ok)
        return noteRefusal(this.core, agent.task_id, { kind: 'agent', agentId: id, runId }, 'heartbeat', verdict.reason, rev);
      await this.update(id, { last_heartbeat: this.core.nowIso() }, rev);
      return null;
    });
    if (refused !== null) throw conflict(refused);
    return this.get(id);
  }

  /** The ended runs of these tasks (`wg gc`): a working one is left out, as its coordinator still watches it. */
  async endedRunsOf(taskIds: readonly string[]): Promise<string[]> {
    return (
      await this.core.all(
        this.core.build
          .selectFrom('agents')
          .select('id')
          .where('state', '!=', 'working')
          .where(this.core.fn.inList(sql.ref('task_id'), taskIds)),
      )
    ).map((row) => row.id);
  }

  /** Inside a write: forgets dead runs, every one or only those of `ids` (`wg reap`'s choice). */
  async purgeDead(ids?: readonly string[]): Promise<number> {
    if (ids?.length === 0) return 0;
    const dead = this.core.build.deleteFrom('agents').where('state', '=', 'dead');
    return (await this.core.run(ids === undefined ? dead : dead.where('id', 'in', ids))).changes;
  }
}

/**
 * A run just starting, as `insert` stores it. Written out field by field: an object spread followed
 * by new keys takes V8's slow path for every key (many times slower per call).
 */
export function newRun(id: string, spec: NewAgent, now: string, rev: number): Agent {
  return {
    id,
    task_id: spec.task_id,
    executor: spec.executor,
    model: spec.model,
    model_source: spec.model_source,
    pid: null,
    state: 'working',
    runs_elsewhere: spec.runs_elsewhere,
    started_at: now,
    ended_at: null,
    last_heartbeat: now,
    exit_code: null,
    reason: null,
    output_path: spec.output_path,
    session_id: null,
    cost_usd: 0,
    tokens_in: 0,
    tokens_out: 0,
    turns: 0,
    purpose: spec.purpose ?? 'task',
    rev,
  };
}
