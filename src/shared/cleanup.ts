import type { TaskStatus } from './task';

/*
 * `wg gc` and `wg archive`: a long-lived graph kept clean, with upstream's words and `--json` fields.
 */

/** A task `wg gc` removed (or, dry, would remove): upstream's provenance record of it. */
interface GcTask {
  id: string;
  title: string;
  status: TaskStatus;
}

/** `wg gc`: the terminal tasks it removed, or with `--dry-run` would remove. */
export interface GcResult {
  kind: 'tasks';
  dry_run: boolean;
  removed: GcTask[];
  /** Their ended runs whose folders here (output, prompts) were removed, or with `--dry-run` would be. */
  run_folders: number;
  /** The disk those folders took. */
  run_bytes: number;
}

/** Upstream's classes of a worktree `wg gc --worktrees` scanned. */
type WorktreeGcClass = 'safe' | 'force' | 'uncommitted' | 'skip';

export interface WorktreeGcItem {
  /** The worktree's folder under `.wg-worktrees/` (the agent that made it). */
  agent_id: string;
  path: string;
  class: WorktreeGcClass;
  reason: string;
  /** With `--apply`: removed, or why the removal failed. */
  removed?: boolean;
  error?: string;
  /** Its unmerged commits, kept on a recover/ branch before it went. */
  recover_branch?: string | null;
}

/** `wg gc --worktrees [--apply] [--force]`: each worktree and what became of it. */
export interface WorktreeGcReport {
  kind: 'worktrees';
  applied: boolean;
  force: boolean;
  /** The `.wg-worktrees/` folder scanned. */
  dir: string;
  /** Whether the project has that folder at all. */
  exists: boolean;
  worktrees: WorktreeGcItem[];
}

/** An archived task as `wg archive --list` and `wg archive search` print it (upstream's fields, then this app's). */
export interface ArchivedTask {
  id: string;
  title: string;
  completed_at: string | null;
  tags: string[];
  status: string;
  description: string | null;
}

export type ArchiveResult =
  /** `--list`: what the archive holds. */
  | { kind: 'list'; tasks: ArchivedTask[] }
  /**
   * `--dry-run`, or a bulk archive without `--yes`, which changes nothing and is refused (`ok` false:
   * the command exits 1 after the list, as upstream's does).
   */
  | {
      kind: 'preview';
      tasks: ArchivedTask[];
      ok: boolean;
      /** Why nothing was archived, when refused (upstream's words): `wg` prints it on stderr after the list. */
      refusal?: string;
    }
  | { kind: 'archived'; tasks: ArchivedTask[] }
  /** `--undo`: the last batch back in the graph. */
  | { kind: 'undone'; restored: string[]; skipped: string[] };

/** `wg archive restore`: the task back in the graph. */
export interface ArchiveRestore {
  id: string;
  title: string;
  status: string;
}
