import { notFound } from '../../shared/errors';
import type { StoreCore } from './store-core';
import { recountDependentsOf } from './dependency-writes';
import { touch, type NewTask } from './task-writes';
import { newestWorktreeRowsSoon, type WorktreeRow } from './worktree-rows';
import type { Soon } from './sql-connection';

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
    const row = await this.core.sql<WorktreeRow>('SELECT * FROM worktrees WHERE id = ?').get(id);
    return row ? toRecord(row) : undefined;
  }

  async get(id: string): Promise<WorktreeRecord> {
    const record = await this.find(id);
    if (!record) throw notFound('worktree', id);
    return record;
  }

  /** Every worktree not yet removed (with `removed`, those too), oldest first. */
  async list(options: { removed?: boolean } = {}): Promise<WorktreeRecord[]> {
    const where = options.removed ? '' : "WHERE state != 'removed'";
    return (await this.core.sql<WorktreeRow>(`SELECT * FROM worktrees ${where} ORDER BY rowid`).all()).map(toRecord);
  }

  /**
   * The newest worktree of the task of each of the runs `agentIds`, whatever its state, by task id: one statement for
   * them all, read with the reads asked for after it (StoreCore.soon).
   */
  async newestForTasksOfAgentsSoon(agentIds: readonly string[]): Promise<Soon<Map<string, WorktreeRecord>>> {
    const rows = await newestWorktreeRowsSoon(
      this.core,
      'task_id IN (SELECT task_id FROM agents WHERE id IN (SELECT value FROM json_each(?)))',
      JSON.stringify([...new Set(agentIds)]),
    );
    return async () => new Map((await rows()).map((row) => [row.task_id, toRecord(row)]));
  }

  /** The task's newest worktree, whatever its state. */
  async newestForTask(taskId: string): Promise<WorktreeRecord | undefined> {
    const row = await this.core.sql<WorktreeRow>('SELECT * FROM worktrees WHERE task_id = ? ORDER BY rowid DESC LIMIT 1').get(taskId);
    return row ? toRecord(row) : undefined;
  }

  /** The worktree an agent works (or last worked) in. */
  async forAgent(agentId: string): Promise<WorktreeRecord | undefined> {
    const row = await this.core.sql<WorktreeRow>('SELECT * FROM worktrees WHERE agent_id = ? ORDER BY rowid DESC LIMIT 1').get(agentId);
    return row ? toRecord(row) : undefined;
  }

  /** Inside a write. */
  async insert(input: NewWorktree, rev: number): Promise<void> {
    const now = this.core.nowIso();
    await this.core
      .sql(
        `INSERT INTO worktrees (id, task_id, agent_id, path, branch, base_branch, base_commit, owner, state, setup_files, created_at, updated_at, rev)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)`,
      )
      .send(
        input.id,
        input.task_id,
        input.agent_id,
        input.path,
        input.branch,
        input.base_branch,
        input.base_commit,
        input.owner,
        JSON.stringify(input.setup_files ?? []),
        now,
        now,
        rev,
      );
    await touch(this.core, input.task_id, rev);
  }

  /** Inside a write. */
  async update(id: string, change: WorktreeChange, rev: number): Promise<void> {
    const record = await this.get(id);
    const names: string[] = [];
    const values: (string | number | null)[] = [];
    // A decided pass belongs to the work that waited for it: any change of state (merged, sent back, abandoned, or
    // awaiting a new evaluation) ends it, so a stale one can never settle a later attempt.
    const ended = change.state !== undefined && !('decided_pass' in change) ? { decided_pass: null } : {};
    // Work to merge at the run's end is this state's: merged, set aside or removed, it no longer holds the dependents.
    const merging = change.state !== undefined && change.state !== 'active' && !('merge_at_end' in change) ? { merge_at_end: 0 } : {};
    for (const [name, value] of Object.entries({ ...change, ...ended, ...merging })) {
      if (value === undefined) continue;
      names.push(`${name} = ?`);
      values.push(Array.isArray(value) ? JSON.stringify(value) : (value as string | number | null));
    }
    await this.core
      .sql(`UPDATE worktrees SET ${[...names, 'updated_at = ?', 'rev = ?'].join(', ')} WHERE id = ?`)
      .send(...values, this.core.nowIso(), rev, id);
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
      await this.core.sql('DELETE FROM worktrees WHERE id = ?').send(id);
      await touch(this.core, record.task_id, rev);
    });
  }

  /** One write of its own. */
  async change(id: string, change: WorktreeChange): Promise<void> {
    await this.core.write((rev) => this.update(id, change, rev));
  }
}
