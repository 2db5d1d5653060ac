import { Fragment, useCallback, useState } from 'react';
import type { WorktreeGcResult, WorktreeInfo } from '../../shared/worktree';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';
import { useOpQuery } from '../hooks/use-op-query';
import { useNavigation } from '../state/navigation';
import { DiffView } from './DiffView';
import { RemoveConfirm } from './RemoveConfirm';
import { useWorktreeDetail } from './use-worktree-detail';
import { WorktreeBadge } from './WorktreeBadge';

/** Every worktree agents work in, its state, what it changed, and removal that never loses work by surprise. */
export function WorktreesPage() {
  const client = useClient();
  const { selectTask } = useNavigation();
  const action = useMutation();
  const query = useOpQuery(
    useCallback(() => client['worktree:list']({}), [client]),
    { onChange: true, intervalMs: 10_000 },
  );
  const [diffOf, setDiffOf] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [preview, setPreview] = useState<WorktreeGcResult | null>(null);
  const worktrees = query.data ?? [];

  const remove = (worktree: WorktreeInfo, force: boolean) =>
    void action.run(async () => {
      await client['worktree:remove']({ id: worktree.id, force });
      setRemoving(null);
      await query.reload();
    });
  const collect = (apply: boolean) =>
    void action.run(async () => {
      const result = await client['worktree:gc']({ apply });
      setPreview(apply ? null : result);
      if (apply) await query.reload();
    });

  return (
    <div className="page">
      <header className="page-head">
        <h1>Worktrees</h1>
        <button type="button" disabled={action.pending || worktrees.length === 0} onClick={() => collect(false)}>
          Clean up…
        </button>
      </header>
      <ErrorAlert message={query.error ?? action.error} onDismiss={action.clearError} />
      {preview && (
        <CleanupPreview result={preview} pending={action.pending} onApply={() => collect(true)} onCancel={() => setPreview(null)} />
      )}
      {query.loading ? (
        <p className="muted">Loading worktrees…</p>
      ) : worktrees.length === 0 ? (
        // Said in full: a git project whose runs are all shell commands has none, and "when the project folder is a
        // git repository" alone read as if it were not one (wantsWorktree in core/worktrees/isolated.ts).
        <p className="muted">
          No worktrees. In a git repository each agent run (claude, codex, amplifier, cli) works in its own; a shell command runs in the
          project folder unless its executor profile sets worktree.
        </p>
      ) : (
        <table className="table" aria-label="Worktrees">
          <thead>
            <tr>
              <th>State</th>
              <th>Task</th>
              <th>Agent</th>
              <th>Branch</th>
              <th className="num">Commits</th>
              <th className="num">Uncommitted</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {worktrees.map((w) => (
              <Fragment key={w.id}>
                <tr>
                  <td>
                    <WorktreeBadge state={w.status} />
                  </td>
                  <td>
                    <button type="button" className="link-button" onClick={() => selectTask(w.task_id, true)}>
                      {w.task_id}
                    </button>
                  </td>
                  <td>{w.agent_id ?? '—'}</td>
                  <td className="mono small" title={w.path}>
                    {w.branch}
                  </td>
                  <td className="num">{w.ahead}</td>
                  <td className="num">{w.uncommitted.length}</td>
                  <td>
                    <div className="button-row">
                      <button
                        type="button"
                        className="small-button"
                        aria-expanded={diffOf === w.id}
                        onClick={() => setDiffOf(diffOf === w.id ? null : w.id)}
                      >
                        Changes
                      </button>
                      {w.owner === 'agent' && (
                        <button
                          type="button"
                          className="small-button danger"
                          disabled={action.pending || w.status === 'active'}
                          title={w.status === 'active' ? 'an agent is working in it' : (w.keep_reason ?? 'nothing in it can be lost')}
                          onClick={() => setRemoving(w.id)}
                        >
                          Remove…
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
                {removing === w.id && (
                  <tr>
                    <td colSpan={7}>
                      <RemoveConfirm
                        worktree={w}
                        pending={action.pending}
                        onConfirm={(force) => remove(w, force)}
                        onCancel={() => setRemoving(null)}
                      />
                    </td>
                  </tr>
                )}
                {diffOf === w.id && (
                  <tr>
                    <td colSpan={7}>
                      <WorktreeDiffRow id={w.id} live={w.status === 'active'} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function WorktreeDiffRow({ id, live }: { id: string; live: boolean }) {
  const detail = useWorktreeDetail(id, live);
  if (detail.loading) return <p className="muted small">Reading the changes…</p>;
  if (detail.error) return <ErrorAlert message={detail.error} />;
  if (!detail.data?.diff) return <p className="muted small">{detail.data?.diff_note ?? 'No changes.'}</p>;
  return <DiffView diff={detail.data.diff} />;
}

function CleanupPreview({
  result,
  pending,
  onApply,
  onCancel,
}: {
  result: WorktreeGcResult;
  pending: boolean;
  onApply: () => void;
  onCancel: () => void;
}) {
  // Nothing to remove is news, not a question nor a fault: said plainly (not in the red of a destructive confirmation),
  // with Close rather than Cancel, as there is nothing to cancel.
  const nothing = result.removed.length === 0;
  const kept = result.kept.length > 0 && (
    <ul className="small muted">
      {result.kept.map((k) => (
        <li key={k.id}>
          {k.id} is kept: {k.reason}
        </li>
      ))}
    </ul>
  );
  if (nothing) {
    return (
      <section className="confirm-box notice-box" role="status" aria-label="Clean up worktrees">
        <p>Nothing to clean up: every worktree still holds work (reasons below).</p>
        {kept}
        <div className="button-row">
          <button type="button" onClick={onCancel}>
            Close
          </button>
        </div>
      </section>
    );
  }
  return (
    <div className="confirm-box" role="alertdialog" aria-label="Clean up worktrees">
      <p>
        Remove {result.removed.length} worktree(s) whose work is merged or that never had any: {result.removed.map((r) => r.id).join(', ')}?
      </p>
      {kept}
      <div className="button-row">
        <button type="button" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onApply} disabled={pending}>
          Remove {result.removed.length}
        </button>
      </div>
    </div>
  );
}
