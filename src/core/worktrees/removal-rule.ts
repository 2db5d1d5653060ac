import type { TaskStatus } from '../../shared/task';
import type { WorktreeRecordState, WorktreeState } from '../../shared/worktree';

/** Everything the rule needs about one worktree, gathered from the store and git. */
export interface WorktreeFacts {
  owner: 'agent' | 'person';
  state: WorktreeRecordState;
  /** An agent is working in it now. */
  liveAgent: string | null;
  /** Its task's status; null when the task is gone. */
  taskStatus: TaskStatus | null;
  exists: boolean;
  /** Uncommitted files, tracked or not (what a setup script made excluded). */
  uncommitted: number;
  /** Commits on its branch beyond the base commit it was made from. */
  ahead: number;
  /** The recorded squash commit, if any (state merged without one: there was nothing to merge). */
  mergeCommit: string | null;
  /** Whether that commit is on the base branch now (a squash merge never makes the branch an ancestor). */
  mergeOnBase: boolean;
  /** Whether a recover/ branch already holds its commits. */
  recovered: boolean;
  /**
   * Merged, yet its branch holds work the base branch lacks: commits made after its merge (an agent
   * that went on after `wg done`), or a merge no longer on the base. Asked only of merged worktrees.
   */
  unmergedAfter: boolean;
  /** Its task was marked done in graph.jsonl while its agent worked: its work is to be merged first (done-elsewhere.ts). */
  mergeAtEnd: boolean;
}

export interface Verdict {
  removable: boolean;
  /** Why it is kept (null when removable). */
  reason: string | null;
}

const keep = (reason: string): Verdict => ({ removable: false, reason });
const REMOVE: Verdict = { removable: true, reason: null };

/**
 * Whether a worktree may be removed without anyone losing work (`wg worktree gc --apply` and the
 * coordinator's sweep). Removed only when no agent uses it, nothing in it is uncommitted, and its work
 * is safe elsewhere: its task is done, its recorded merge commit is on the base branch and nothing on
 * its branch is missing from the base (or a recover/ branch holds it), or it never had any commits of
 * its own. A person's own worktree is never ours to remove.
 */
export function removalVerdict(f: WorktreeFacts): Verdict {
  if (f.owner === 'person') return keep("a person's own worktree");
  if (f.state === 'removed') return keep('already removed');
  if (f.liveAgent) return keep(`${f.liveAgent} is working in it`);
  // Its work is merged only if the score passes, and a failing score sends the next attempt back into it.
  if (f.state === 'awaiting-eval') return keep('its work awaits evaluation');
  if (f.mergeAtEnd && f.state === 'active') return keep('its task was marked done while its agent worked: its work is merged first');
  if (f.exists && f.uncommitted > 0) return keep(`${f.uncommitted} uncommitted file${f.uncommitted === 1 ? '' : 's'}`);
  if (f.state === 'conflict') return keep('its merge conflicted; kept for a retry or for you');
  if (f.state === 'merged') {
    // Merged with no commit of its own to make: the branch added nothing the base did not have.
    if (f.mergeCommit && !f.mergeOnBase) return keep(`its merge commit ${f.mergeCommit.slice(0, 10)} is no longer on the base branch`);
    // Nothing on it may be missing from the base once it goes: the coordinator merges such work, or keeps it on a recover/ branch.
    if (f.unmergedAfter && !f.recovered) return keep('its branch has commits made after its merge that are not on the base branch');
    return f.taskStatus === 'done' ? REMOVE : keep(`its task is ${f.taskStatus ?? 'gone'}`);
  }
  if (f.ahead > 0 && !f.recovered) return keep(`${f.ahead} commit${f.ahead === 1 ? '' : 's'} not merged`);
  // Nothing of its own (or its commits already kept on a recover/ branch): safe once its task is over.
  if (f.state === 'retired' || f.taskStatus === 'done' || f.taskStatus === 'abandoned' || f.taskStatus === null) return REMOVE;
  return keep(`its task is ${f.taskStatus}; a retry resumes in it`);
}

/** The state a person sees (see WORKTREE_STATES). */
export function displayState(f: WorktreeFacts): WorktreeState {
  if (f.liveAgent) return 'active';
  if (f.state === 'awaiting-eval') return 'awaiting-eval';
  if (f.state === 'conflict') return 'conflict';
  if (f.exists && f.uncommitted > 0) return 'dirty';
  if (f.state === 'merged') return f.unmergedAfter && !f.recovered ? 'recoverable' : 'merged';
  if (f.ahead > 0) return 'recoverable';
  return 'idle';
}
