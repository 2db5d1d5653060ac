import { Suspense } from 'react';
import { lazyPart } from '../components/lazy-part';
import type { Task } from '../../shared/task';
import { shownWorktreeState, type WorktreeDetail } from '../../shared/worktree';
import type { OpQuery } from '../hooks/use-op-query';
import { ErrorAlert } from '../components/ErrorAlert';
import { useWorktreeDetail } from './use-worktree-detail';
import { WorktreeBadge } from './WorktreeBadge';
import { shortCommit } from './worktree-status';

// The diff viewer (and its parser) loads with the first diff shown, not with the app.
const DiffView = lazyPart(() => import('./DiffView').then((m) => m.DiffView), { what: 'the diff viewer' });

/** The inspector's worktree facts (branch, state, merge commit, conflicts) and what the agent changed. */
export function WorktreeSection({ task }: { task: Task }) {
  return task.worktree ? <TaskWorktreeFacts task={task} /> : null;
}

/**
 * The state is the one the Worktrees page and `wg worktree list` show (worked out from the record and
 * git now: dirty, recoverable, idle…), not the record's own word ("active" for a worktree whose agent
 * has long gone); the record's state stands only until git has answered.
 */
function TaskWorktreeFacts({ task }: { task: Task }) {
  const worktree = task.worktree as NonNullable<Task['worktree']>;
  const detail = useWorktreeDetail(task.id, task.status === 'in-progress');
  const current = detail.data?.worktree.id === worktree.id ? detail.data.worktree.status : null;
  return (
    <section className="inspector-section" aria-label="Worktree">
      <h3>Worktree</h3>
      <dl className="facts">
        <div className="fact">
          <dt>State</dt>
          <dd>
            <WorktreeBadge state={shownWorktreeState(worktree.state, current)} />
            {worktree.owner === 'person' && <span className="badge">yours</span>}
          </dd>
        </div>
        <div className="fact">
          <dt>Branch</dt>
          <dd className="mono">
            {worktree.branch} → {worktree.base_branch}
          </dd>
        </div>
        <div className="fact">
          <dt>Merge commit</dt>
          <dd className="mono" title={worktree.merge_commit ?? undefined}>
            {shortCommit(worktree.merge_commit)}
          </dd>
        </div>
        <div className="fact">
          <dt>Folder</dt>
          <dd className="mono small wrap">{worktree.path}</dd>
        </div>
      </dl>
      {worktree.conflict_files.length > 0 && (
        <div className="worktree-conflict" role="status">
          <strong>Merge conflict</strong> in {worktree.conflict_files.join(', ')}: nothing changed on {worktree.base_branch}.
        </div>
      )}
      <WorktreeChanges detail={detail} />
    </section>
  );
}

function WorktreeChanges({ detail }: { detail: OpQuery<WorktreeDetail> }) {
  if (detail.loading) return <p className="muted small">Reading the changes…</p>;
  if (detail.error) return <ErrorAlert message={detail.error} />;
  const data = detail.data;
  if (!data?.diff) return <p className="muted small">{data?.diff_note ?? 'No changes to show.'}</p>;
  return (
    <Suspense fallback={<p className="muted small">Loading the diff viewer…</p>}>
      <DiffView diff={data.diff} />
    </Suspense>
  );
}
