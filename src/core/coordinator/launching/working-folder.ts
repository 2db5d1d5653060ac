import { existsSync, statSync } from 'node:fs';
import type { Agent } from '../../../shared/agent';
import type { Task } from '../../../shared/task';
import type { ProjectPaths } from '../../project';
import { folderBaseline, type FolderBaseline } from '../watching/work-evidence';

/**
 * Where a run works. Planned in the claim's transaction (the launch spec and the prompt name it),
 * made ready just before the process starts (outside any transaction: it may take time). Today
 * every run works in the project folder; a run of its own worktree plugs in here (issue 14).
 */
export function plannedWorkingFolder(paths: ProjectPaths, _task: Pick<Task, 'id'>, _agent: Pick<Agent, 'id'>): string {
  return paths.root;
}

export type PreparedFolder =
  | { ok: true; path: string; baseline: FolderBaseline | null }
  | { ok: false; reason: string };

/**
 * Makes the planned folder ready for the run and notes its state (for the rule that an agent
 * that exits without reporting must have changed something). A folder that cannot be made ready
 * fails the run with that reason; the run never falls back to another folder.
 */
export async function prepareWorkingFolder(path: string, options: { baseline: boolean }): Promise<PreparedFolder> {
  if (!existsSync(path) || !statSync(path).isDirectory()) return { ok: false, reason: `working folder ${path} does not exist` };
  return { ok: true, path, baseline: options.baseline ? await folderBaseline(path) : null };
}
