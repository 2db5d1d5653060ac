import { type Updateable, sql } from 'kysely';
import { notFound } from '../../shared/errors';
import type { WorktreesTable } from './query/tables';
import type { StoreCore } from './store-core';
import { recountDependentsOf } from './dependency-writes';
import { touch, type NewTask } from './task-writes';
import { newestWorktreeRows, type WorktreeRow } from './worktree-rows';

/** A worktree as the store keeps it (JSON columns parsed). */
export interface WorktreeRecord extends Omit<WorktreeRow, 'conflict_files' | 'setup_files'> {
  conflict_files: string[];
  setup_files: string[];
}

export type NewWorktree = Pick<
  WorktreeRecord,
  'id' | 'task_id' | 'agent_id' | 'path' | 'branch' | 'base_branch' | 'base_commit' | 'owner'
> & { setup_files?: string[] };

export type WorktreeChange = Partial<
  Pick<
    WorktreeRecord,
    | 'agent_id'
    | 'state'
    | 'merge_commit'
    | 'conflict_files'
    | 'setup_files'
    | 'recover_branch'
    | 'base_commit'
    | 'path'
    | 'decided_pass'
    | 'merge_at_end'
  >
>;

/** What a done writes about its task's worktree, in the done's own transaction (see worktrees/merge-on-done.ts). */
export interface WorktreeWrite {
  id: string;
  change: WorktreeChange;
  /** Lines for the task's log. */
  log: string[];
  /** A follow-up task (`.merge-<task-id>`), added after the task if not there yet. */
  mergeTask: (NewTask & { id: string }) | null;
}

/** The columns an update sets. */
type WorktreeColumns = Updateable<WorktreesTable>;

/** Its task's dependents wait for its work (query/readiness.ts workToMerge, which also asks that the task be done). */
const holdsDependents = (record: Pick<WorktreeRecord, 'merge_at_end' | 'state'>): boolean =>
  record.merge_at_end === 1 && record.state === 'active';

function toRecord(row: WorktreeRow): WorktreeRecord {
  return { ...row, conflict_files: JSON.parse(row.conflict_files) as string[], setup_files: JSON.parse(row.setup_files) as string[] };
}

/**
 * Rows of the `worktrees` table: one per worktree an agent (or a person's task) worked in. Every change
 * also stamps its task's revision, since the task carries its newest worktree.
 */
export class WorktreeRecords {
  constructor(private readonly core: StoreCore) {}

  async find(id: string): Promise<WorktreeRecord | undefined> {
    const row = await this.core.get(this.rows().where('id', '=', id));
    return row ? toRecord(row) : undefined;
  }

  async get(id: string): Promise<WorktreeRecord> {
    const record = await this.find(id);
    if (!record) throw notFound('worktree', id);
    return record;
  }

  /** Every worktree not yet removed (with `removed`, those too), oldest first. */
  async list(options: { removed?: boolean } = {}): Promise<WorktreeRecord[]> {
    const every = this.rows().orderBy(this.core.fn.rowid);
    return (await this.core.all(options.removed ? every : every.where('state', '!=', 'removed'))).map(toRecord);
  }

  /**
   * The newest worktree of the task of each of the runs `agentIds`, whatever its state, by task id: one statement for
   * them all, sent when called (started before other reads and awaited after them, it travels with them).
   */
  async newestForTasksOfAgents(agentIds: readonly string[]): Promise<Map<string, WorktreeRecord>> {
    const { build, fn } = this.core;
    const ofAgents = build
      .selectFrom('agents')
      .select('task_id')
      .where(fn.inList(sql.ref('id'), [...new Set(agentIds)]));
    const rows = await newestWorktreeRows(this.core, (eb) => eb('task_id', 'in', ofAgents));
    return new Map(rows.map((row) => [row.task_id, toRecord(row)]));
  }

  /** The task's newest worktree, whatever its state. */
  async newestForTask(taskId: string): Promise<WorktreeRecord | undefined> {
    const row = await this.core.get(this.rows().where('task_id', '=', taskId).orderBy(this.core.fn.rowid, 'desc').limit(1));
    return row ? toRecord(row) : undefined;
  }

  /** The worktree an agent works (or last worked) in. */
  async forAgent(agentId: string): Promise<WorktreeRecord | undefined> {
    const row = await this.core.get(this.rows().where('agent_id', '=', agentId).orderBy(this.core.fn.rowid, 'desc').limit(1));
    return row ? toRecord(row) : undefined;
  }

  /** Whole rows of the table. */
  private rows() {
    return this.core.build.selectFrom('worktrees').selectAll().$castTo<WorktreeRow>();
  }

  /** Inside a write. */
  async insert(input: NewWorktree, rev: number): Promise<void> {
    const now = this.core.nowIso();
    await this.core.send(
      this.core.build.insertInto('worktrees').values({
        id: input.id,
        task_id: input.task_id,
        agent_id: input.agent_id,
        path: input.path,
        branch: input.branch,
        base_branch: input.base_branch,
        base_commit: input.base_commit,
        owner: input.owner,
        state: 'active',
        setup_files: JSON.stringify(input.setup_files ?? []),
        created_at: now,
        updated_at: now,
        rev,
      }),
    );
    await touch(this.core, input.task_id, rev);
  }

  /** Inside a write. */
  async update(id: string, change: WorktreeChange, rev: number): Promise<void> {
    const record = await this.get(id);
    const values: Record<string, string | number | null> = {};
    // A decided pass belongs to the work that waited for it: any change of state (merged, sent back, abandoned, or
    // awaiting a new evaluation) ends it, so a stale one can never settle a later attempt.
    const ended = change.state !== undefined && !('decided_pass' in change) ? { decided_pass: null } : {};
    // Work to merge at the run's end is this state's: merged, set aside or removed, it no longer holds the dependents.
    const merging = change.state !== undefined && change.state !== 'active' && !('merge_at_end' in change) ? { merge_at_end: 0 } : {};
    for (const [name, value] of Object.entries({ ...change, ...ended, ...merging })) {
      if (value === undefined) continue;
      values[name] = Array.isArray(value) ? JSON.stringify(value) : (value as string | number | null);
    }
    await this.core.send(
      this.core.build
        .updateTable('worktrees')
        .set({ ...(values as WorktreeColumns), updated_at: this.core.nowIso(), rev })
        .where('id', '=', id),
    );
    await touch(this.core, record.task_id, rev);
    // The dependents' counts read this hold (query/readiness.ts workToMerge): recounted when it comes or goes.
    const after = { ...record, ...change, ...merging };
    if (holdsDependents(after) !== holdsDependents(record)) await recountDependentsOf(this.core, record.task_id, rev);
  }

  /** One write of its own: forgets a worktree that was recorded but could not be made. */
  async forget(id: string): Promise<void> {
    await this.core.write(async (rev) => {
      const record = await this.find(id);
      if (!record) return;
      await this.core.send(this.core.build.deleteFrom('worktrees').where('id', '=', id));
      await touch(this.core, record.task_id, rev);
    });
  }

  /** One write of its own. */
  async change(id: string, change: WorktreeChange): Promise<void> {
    await this.core.write((rev) => this.update(id, change, rev));
  }
}
