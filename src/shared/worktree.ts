/** Git worktrees agents work in: what the store records and what `wg worktree` and the window show. */

/**
 * What the store records: a worktree in use or kept for a retry, its work awaiting the evaluation gate's score
 * (checked to merge cleanly, merged only on a pass), merged, conflicted, left behind, removed.
 */
const WORKTREE_RECORD_STATES = ['active', 'awaiting-eval', 'conflict', 'merged', 'retired', 'removed'] as const;
export type WorktreeRecordState = (typeof WORKTREE_RECORD_STATES)[number];

/** Record states whose work is not on the base branch yet: a done (or a passing score) still has it to merge. */
export const isUnmergedState = (state: WorktreeRecordState): boolean =>
  state === 'active' || state === 'awaiting-eval' || state === 'conflict';

/**
 * What a person sees, worked out from the record and git at that moment:
 * - active: an agent is working in it
 * - awaiting-eval: its work waits for the evaluation gate's score; merged only if it passes
 * - conflict: its last merge conflicted (kept for a retry, or for a person)
 * - dirty: uncommitted changes and no agent working
 * - recoverable: commits that are not on the base branch, and no agent working
 * - merged: its work is on the base branch
 * - idle: nothing in it yet (no commits of its own, no changes)
 */
const WORKTREE_STATES = ['active', 'awaiting-eval', 'conflict', 'dirty', 'recoverable', 'merged', 'idle'] as const;
export type WorktreeState = (typeof WORKTREE_STATES)[number];

/** The worktree a task's agent works in (its newest one), as carried on the task. */
export interface TaskWorktree {
  id: string;
  path: string;
  branch: string;
  base_branch: string;
  /** agent: made for an agent under .wg-worktrees/; person: the person's own (`wg add --worktree PATH`). */
  owner: 'agent' | 'person';
  state: WorktreeRecordState;
  agent_id: string | null;
  /** The squash commit on the base branch, once merged. */
  merge_commit: string | null;
  /** Files of the last merge that conflicted. */
  conflict_files: string[];
  /**
   * Present while its task, marked done where nothing merges (upstream's `wg done`, a hand edit of graph.jsonl), waits
   * for this work to be merged when the agent's run ends: the task's dependents wait for that too.
   */
  merge_at_end?: true;
  /**
   * What a person sees (WORKTREE_STATES), worked out from git when it was asked for (`wg show`): the
   * same word the Worktrees page and `wg worktree list` give. Absent where git was not asked.
   */
  status?: WorktreeState;
}

/**
 * The one word for a task's worktree everywhere (inspector, `wg show`, Worktrees page): what git shows
 * now when it was asked, except for a worktree set aside or removed, which has no folder to ask about.
 */
export function shownWorktreeState(
  state: WorktreeRecordState,
  status: WorktreeState | null | undefined,
): WorktreeState | WorktreeRecordState {
  if (state === 'removed' || state === 'retired' || !status) return state;
  return status;
}

export interface WorktreeInfo extends TaskWorktree {
  task_id: string;
  base_commit: string;
  recover_branch: string | null;
  created_at: string;
  updated_at: string;
  /** Worked out from git now (see WORKTREE_STATES). */
  status: WorktreeState;
  /** Commits on its branch that its base commit does not have. */
  ahead: number;
  /** Uncommitted files (tracked and untracked). */
  uncommitted: string[];
  /** Whether the folder is still there. */
  exists: boolean;
  /** Whether `wg worktree gc --apply` may remove it, and if not, why. */
  removable: boolean;
  keep_reason: string | null;
}

/** What `wg worktree archive` did: the files it committed (none when there were none), and whether it removed the worktree. */
export interface WorktreeArchive {
  agent: string;
  committed: string[];
  removed: boolean;
  worktree: WorktreeInfo;
}

export interface DiffFile {
  path: string;
  /** The name before a rename, if renamed. */
  old_path: string | null;
  added: number;
  removed: number;
  binary: boolean;
}

export interface WorktreeDiff {
  /** What the diff is taken against: a commit id. */
  base: string;
  /** A commit id, or 'working tree' for a running agent's live changes. */
  head: string;
  /** 'live': a worktree's changes (committed and not) against its base; 'merged': the squash commit. */
  kind: 'live' | 'merged';
  files: DiffFile[];
  /** The unified diff (`git diff` output), cut at a size limit. */
  patch: string;
  truncated: boolean;
}

export interface WorktreeDetail {
  worktree: WorktreeInfo;
  diff: WorktreeDiff | null;
  /** Why there is no diff (the folder is gone and nothing was merged, say). */
  diff_note: string | null;
}

export interface WorktreeGcResult {
  applied: boolean;
  removed: Array<{ id: string; path: string; recover_branch: string | null }>;
  kept: Array<{ id: string; path: string; reason: string }>;
}
