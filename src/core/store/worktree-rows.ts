import type { TaskWorktree, WorktreeRecordState } from '../../shared/worktree';
import type { StoreCore } from './store-core';
import type { Soon } from './sql-connection';

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

/** The newest worktree of each of the tasks `where` selects (its `?` bound to `params`). */
export async function newestWorktreeRows(core: StoreCore, where: string, ...params: unknown[]): Promise<WorktreeRow[]> {
  return (await newestWorktreeRowsSoon(core, where, ...params))();
}

/** `newestWorktreeRows`, read with the reads asked for after it (StoreCore.soon). */
export async function newestWorktreeRowsSoon(core: StoreCore, where: string, ...params: unknown[]): Promise<Soon<WorktreeRow[]>> {
  return core.soon<WorktreeRow>(
    `SELECT * FROM worktrees WHERE rowid IN (SELECT max(rowid) FROM worktrees WHERE ${where} GROUP BY task_id)`,
    ...params,
  );
}
