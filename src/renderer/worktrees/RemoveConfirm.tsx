import { useEffect, useRef } from 'react';
import type { WorktreeInfo } from '../../shared/worktree';

interface RemoveConfirmProps {
  worktree: WorktreeInfo;
  pending: boolean;
  onConfirm: (force: boolean) => void;
  onCancel: () => void;
}

/**
 * Asks before a worktree goes, saying exactly what is lost and what is kept: uncommitted files are lost
 * (so that removal is worded as such and needs its own button), unmerged commits are kept on recover/.
 */
export function RemoveConfirm({ worktree, pending, onConfirm, onCancel }: RemoveConfirmProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const dirty = worktree.uncommitted.length;
  return (
    <div
      className="confirm-box"
      role="alertdialog"
      aria-label={`Remove worktree ${worktree.id}?`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <p>
        Remove <span className="mono">{worktree.path}</span>?
        {worktree.ahead > 0 && !worktree.merge_commit && ` Its ${worktree.ahead} unmerged commit(s) are kept on a recover/ branch.`}
        {dirty > 0 && (
          <strong>
            {' '}
            {dirty} uncommitted file(s) will be lost: {worktree.uncommitted.slice(0, 5).join(', ')}
            {dirty > 5 ? '…' : ''}
          </strong>
        )}
      </p>
      <div className="button-row">
        <button ref={cancel} type="button" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => onConfirm(dirty > 0)} disabled={pending}>
          {dirty > 0 ? 'Remove and lose uncommitted files' : 'Remove'}
        </button>
      </div>
    </div>
  );
}
