import type { WorktreeRecordState, WorktreeState } from '../../shared/worktree';

/**
 * One colour per worktree state: the list, the inspector and the card's conflict mark agree. Theme
 * tokens, so each reads on its own tint in light and dark (the pill draws the text in the colour on
 * a 14% tint of it: a solid fill made "idle" grey on grey).
 */
export const WORKTREE_COLOURS: Record<WorktreeState | WorktreeRecordState, string> = {
  active: 'var(--state-running)',
  'awaiting-eval': 'var(--state-evaluating)',
  conflict: 'var(--state-failed)',
  dirty: 'var(--state-needs-you)',
  recoverable: 'var(--state-scheduled)',
  merged: 'var(--state-done)',
  idle: 'var(--state-waiting)',
  retired: 'var(--state-paused)',
  removed: 'var(--muted)',
};

/** What each state means, for a tooltip: the states are a promise about the person's work. */
export const WORKTREE_HINTS: Record<WorktreeState | WorktreeRecordState, string> = {
  active: 'an agent works in it',
  'awaiting-eval': 'its work waits for the evaluation; merged onto the base branch only if it passes',
  conflict: 'its merge onto the base branch conflicted; kept for a retry or for you',
  dirty: 'uncommitted changes; never removed without --force',
  recoverable: 'commits not on the base branch',
  merged: 'its work is on the base branch',
  idle: 'nothing of its own yet',
  retired: 'set aside by a fresh retry; kept because it has changes',
  removed: 'removed; its merge commit (or recover/ branch) remains',
};

export const shortCommit = (commit: string | null): string => (commit ? commit.slice(0, 10) : '—');
