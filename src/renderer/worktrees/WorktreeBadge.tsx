import type { CSSProperties } from 'react';
import type { WorktreeRecordState, WorktreeState } from '../../shared/worktree';
import { WORKTREE_COLOURS, WORKTREE_HINTS } from './worktree-status';

export function WorktreeBadge({ state }: { state: WorktreeState | WorktreeRecordState }) {
  return (
    <span
      className="pill"
      data-worktree-state={state}
      title={WORKTREE_HINTS[state]}
      style={{ '--c': WORKTREE_COLOURS[state] } as CSSProperties}
    >
      {state}
    </span>
  );
}
