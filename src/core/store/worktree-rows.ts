import type { TaskWorktree, WorktreeRecordState } from '../../shared/worktree';
import type { ExpressionOrFactory, SqlBool } from 'kysely';
import type { Tables } from './query/tables';
import type { StoreCore } from './store-core';

/** A `worktrees` row as SQLite returns it. */
export interface WorktreeRow {
  id: string;
  task_id: string;
  agent_id: string | null;
  path: string;
  branch: string;
  base_branch: string;
  base_commit: string;
  owner: 'agent' | 'person';
  state: WorktreeRecordState;
  merge_commit: string | null;
  conflict_files: string;
  setup_files: string;
  recover_branch: string | null;
  /** A passing evaluation whose merge is under way (JSON; see agency/evaluation/decided-pass.ts), else null. */
  decided_pass: string | null;
  /** 1 while its task, marked done as its agent worked here, waits for this work's merge at the run's end; else 0. */
  merge_at_end: number;
  created_at: string;
  updated_at: string;
  rev: number;
}

/** What a task carries of its newest worktree. */
export function toTaskWorktree(row: WorktreeRow): TaskWorktree {
  return {
    id: row.id,
    path: row.path,
    branch: row.branch,
    base_branch: row.base_branch,
    owner: row.owner,
    state: row.state,
    agent_id: row.agent_id,
    merge_commit: row.merge_commit,
    conflict_files: JSON.parse(row.conflict_files) as string[],
    ...(row.merge_at_end === 1 ? { merge_at_end: true } : {}),
  };
}

/**
 * Which tasks' worktrees a read looks at: a condition on a `worktrees` row (`task_id = …`, `core.fn.inList(…)`, or
 * `(eb) => eb('task_id', 'in', …)`).
 */
export type WorktreesOf = ExpressionOrFactory<Tables, 'worktrees', SqlBool>;

/**
 * The newest worktree of each of the tasks `of` selects (null: of every task). Sent when called: started before other
 * reads and awaited after them, it travels with them (in-flight.ts).
 */
export async function newestWorktreeRows(core: StoreCore, of: WorktreesOf | null): Promise<WorktreeRow[]> {
  const { build, fn } = core;
  const everyNewest = build
    .selectFrom('worktrees')
    .select((eb) => eb.fn.max(fn.rowid).as('newest'))
    .groupBy('task_id');
  const newest = of === null ? everyNewest : everyNewest.where(of);
  return core.all(build.selectFrom('worktrees').selectAll().where(fn.rowid, 'in', newest).$castTo<WorktreeRow>());
}
