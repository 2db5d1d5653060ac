import type { Task, TaskDetail, TaskSummary } from '../../shared/task';
import type { GraphSnapshot } from '../../shared/task-table';
import { openConnection, type StoreOpenOptions } from './open-connection';
import type { SqlConnection } from './sql-connection';
import { StoreCore } from './store-core';
import { AgentRecords } from './agent-records';
import { TaskCommands } from './task-commands';
import { exportJsonl, importJsonl, type ImportResult } from './import-export';
import { WorktreeRecords } from './worktree-records';
import * as reads from './task-reads';
import { readTaskTable } from './task-table-read';
import { AgencyStore } from './agency/agency-store';
import { EvaluationRecords } from './agency/evaluation-records';
import { MessageRecords } from './message-records';
import { storeClosed, storeOpened } from './postgres/open-team-stores';
import { inFlight } from './in-flight';

/** The graph store of one project: tasks, dependencies, log, agents; one SQLite file, or a schema in PostgreSQL. */
export class Store {
  readonly core: StoreCore;
  readonly tasks: TaskCommands;
  readonly agents: AgentRecords;
  readonly worktrees: WorktreeRecords;
  /** Roles, tradeoffs and agent identities. */
  readonly agency: AgencyStore;
  /** Every evaluation recorded, and how each task got its identity. */
  readonly evaluations: EvaluationRecords;
  /** Messages to and from tasks and their agents (`wg msg`). */
  readonly messages: MessageRecords;

  readonly readOnly: boolean;

  /** Opens (creating if missing, unless read only) the graph database at `location`: a file's path, or a PostgreSQL URL. */
  static async open(location: string, clock?: () => Date, options: StoreOpenOptions = {}): Promise<Store> {
    return new Store(location, await openConnection(location, options), clock, options);
  }

  private constructor(
    private readonly location: string,
    conn: SqlConnection,
    clock: (() => Date) | undefined,
    options: StoreOpenOptions,
  ) {
    this.readOnly = options.readonly === true || options.untouched === true;
    this.core = new StoreCore(conn, clock);
    if (this.core.kind === 'postgres') storeOpened(location, this.core);
    this.tasks = new TaskCommands(this.core);
    this.agents = new AgentRecords(this.core);
    this.worktrees = new WorktreeRecords(this.core);
    this.agency = new AgencyStore(this.core);
    this.evaluations = new EvaluationRecords(this.core);
    this.messages = new MessageRecords(this.core);
  }

  async get(id: string): Promise<Task> {
    return reads.getTask(this.core, id);
  }
  /** The task with its dependencies and dependents (and their statuses), and whether it is ready now. */
  async detail(id: string): Promise<TaskDetail> {
    return reads.taskDetail(this.core, id, this.core.clock());
  }
  async list(filter?: reads.TaskFilter): Promise<Task[]> {
    return reads.listTasks(this.core, filter);
  }
  /** The tasks without their logs (what `wg list` shows). */
  async summaries(filter?: reads.TaskFilter): Promise<TaskSummary[]> {
    return reads.listTaskSummaries(this.core, filter);
  }
  /** Every task as a list item, in one round trip (task-reads.ts everyTaskSummary): what a report over the whole graph reads. */
  async everySummary(): Promise<TaskSummary[]> {
    return reads.everyTaskSummary(this.core);
  }
  /** The ids of the tasks `ready` gives, read alone. */
  async readyIds(): Promise<string[]> {
    return reads.readyTaskIds(this.core, this.core.clock());
  }
  async ready(limit?: number): Promise<Task[]> {
    return reads.readyTasks(this.core, this.core.clock(), limit);
  }
  /**
   * Everything (`since` 0), or what changed after revision `since`. Rows say nothing of a task that
   * is gone (upstream's gc reaching graph.db through upstream-sync/): after a removal, every task is
   * sent, marked `full`, so a window drops what it no longer gets. The tasks come as a table
   * (shared/task-table.ts): the values `list` gives, without each task's field names. Runs: the current ones whole
   * (AgentRecords.current), then each one that changed.
   */
  async snapshot(since = 0): Promise<GraphSnapshot> {
    // One read transaction so the revision matches the rows. Everything it may need is asked for at once (one round trip
    // on PostgreSQL, two when some tasks changed: their side tables by their ids), what changed since `since` as if no
    // task was removed since: after a removal (rare) every task is read again.
    return this.core.read(async () => {
      const { core } = this;
      const removedAt =
        since > 0 ? inFlight(core.get(core.build.selectFrom('meta').select('value').where('key', '=', 'tasks_removed_rev'))) : null;
      const rev = inFlight(core.currentRev());
      let tasks = inFlight(readTaskTable(core, since > 0 ? since : null));
      let agents = inFlight(since > 0 ? this.agents.changedSince(since) : this.agents.current());
      const full = removedAt !== null && ((await removedAt)?.value ?? 0) > since;
      if (full) {
        tasks = readTaskTable(core, null);
        agents = this.agents.current();
      }
      const [revNow, table, runs] = await Promise.all([rev, tasks, agents]);
      return { rev: revNow, tasks: table, agents: runs, ...(full ? { full: true as const } : {}) };
    });
  }
  async exportJsonl(options: { upstream?: boolean } = {}): Promise<string> {
    return exportJsonl(this.core, options);
  }
  async importJsonl(jsonl: string): Promise<ImportResult> {
    return importJsonl(this.core, jsonl);
  }
  onCommit(listener: (rev: number) => void): () => void {
    return this.core.onCommit(listener);
  }
  async close(): Promise<void> {
    if (this.core.kind === 'postgres') storeClosed(this.location, this.core);
    await this.core.conn.close();
  }
}
