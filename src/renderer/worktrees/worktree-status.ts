import type { WorktreeRecordState, WorktreeState } from '../../shared/worktree';

/** One colour per worktree state: the list, the inspector and the card's conflict mark agree. */
export const WORKTREE_COLOURS: Record<WorktreeState | WorktreeRecordState, string> = {
  active: '#2563eb',
  'awaiting-eval': '#0891b2',
  conflict: '#dc2626',
  dirty: '#d97706',
  recoverable: '#9333ea',
  merged: '#16a34a',
  idle: '#64748b',
  retired: '#78716c',
  removed: '#a8a29e',
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
