import { useEffect, useMemo, useRef, useState, type Ref } from 'react';
import type { ArchivedTask } from '../../shared/cleanup';
import { TASK_STATUSES, type TaskStatus } from '../../shared/task';
import { useClient } from '../api/backend-context';
import { errorMessage } from '../api/op-error';
import { useConfirm } from '../components/confirm';
import { modalOpen } from '../components/Dialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { RelativeTime } from '../components/RelativeTime';
import { StatusPill } from '../components/StatusPill';
import { useReadOnly } from '../hooks/use-read-only';
import { useToasts } from '../notifications/toasts';
import { useGraphRefresh } from '../state/graph-context';

interface ArchivedPanelProps {
  /** What archive.jsonl holds (undefined while it loads). */
  tasks: readonly ArchivedTask[] | undefined;
  /** Read the archive again after a change made here. */
  reload: () => Promise<void>;
  onClose: () => void;
  /** The graph keeps what it shows clear of the panel (its width is measured through this). */
  ref?: Ref<HTMLElement>;
}

const isStatus = (value: string): value is TaskStatus => (TASK_STATUSES as readonly string[]).includes(value);

/**
 * The archived tasks (`wg archive --list`), out of the graph but still readable: searchable, each
 * restorable as it was or reopened, and finished work archived from here (undone from the toast, as
 * `wg archive --undo`). Escape closes it.
 */
export function ArchivedPanel({ tasks, reload, onClose, ref }: ArchivedPanelProps) {
  const client = useClient();
  const confirm = useConfirm();
  const toasts = useToasts();
  const refresh = useGraphRefresh();
  const readOnly = useReadOnly();
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented && !modalOpen()) onClose();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [onClose]);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const all = [...(tasks ?? [])].reverse();
    if (!needle) return all;
    return all.filter((t) => [t.title, t.id, t.description ?? '', ...t.tags].some((text) => text.toLowerCase().includes(needle)));
  }, [tasks, filter]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      await Promise.all([reload(), refresh()]);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const restore = (task: ArchivedTask, reopen: boolean) =>
    act(async () => {
      const back = await client['archive:restore']({ task: task.id, reopen });
      toasts.push({ tone: 'info', title: `Restored “${back.title}”`, body: `Back in the graph as ${back.status}.` });
    });

  const archiveFinished = () =>
    act(async () => {
      const preview = await client['graph:archive']({ dryRun: true });
      const count = preview.kind === 'preview' ? preview.tasks.length : 0;
      if (count === 0) {
        toasts.push({ tone: 'info', title: 'Nothing to archive', body: 'No done or abandoned task is free of unfinished work after it.' });
        return;
      }
      const answer = await confirm({
        title: `Archive ${count} finished task${count === 1 ? '' : 's'}?`,
        body: 'Done and abandoned tasks that nothing unfinished waits on leave the graph and the task list. They stay here, and can be restored.',
        confirmLabel: 'Archive',
      });
      if (!answer) return;
      const done = await client['graph:archive']({ yes: true });
      const archived = done.kind === 'archived' ? done.tasks.length : 0;
      toasts.pushUndo(
        `Archived ${archived} task${archived === 1 ? '' : 's'}`,
        () =>
          void act(async () => {
            await client['graph:archive']({ undo: true });
          }),
        'They are in the archive now.',
      );
    });

  return (
    <aside className="archived-panel" aria-label="Archived tasks" ref={ref}>
      <header className="archived-head">
        <h2 ref={heading} tabIndex={-1}>
          Archived tasks{tasks ? ` (${tasks.length})` : ''}
        </h2>
        <button type="button" className="small-button" onClick={onClose} aria-label="Close archived tasks">
          Close
        </button>
      </header>
      <p className="muted small">
        Archived tasks are out of the graph and the task list, kept in archive.jsonl (upstream’s <code>wg archive</code>).
      </p>
      {!readOnly && (
        <div>
          <button type="button" onClick={() => void archiveFinished()} disabled={busy}>
            Archive finished tasks…
          </button>
        </div>
      )}
      <ErrorAlert message={error} onDismiss={() => setError(null)} />
      {tasks && tasks.length > 0 && (
        <input
          type="search"
          aria-label="Search archived tasks"
          placeholder="Search title, id, tag…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      {tasks === undefined && <p className="muted">Loading…</p>}
      {tasks && tasks.length === 0 && <p className="muted">No archived tasks.</p>}
      {tasks && tasks.length > 0 && shown.length === 0 && <p className="muted">No archived task matches “{filter}”.</p>}
      <ul className="archived-list">
        {shown.map((task) => (
          <li key={task.id} className="archived-item" data-task={task.id}>
            <div className="archived-item-head">
              <span className="archived-item-title">{task.title}</span>
              {isStatus(task.status) && <StatusPill status={task.status} />}
            </div>
            <div className="muted small">
              {task.id} · completed <RelativeTime iso={task.completed_at} />
              {task.tags.length > 0 && ` · ${task.tags.join(', ')}`}
            </div>
            {!readOnly && (
              <div className="row-actions">
                <button type="button" className="small-button" disabled={busy} onClick={() => void restore(task, false)}>
                  Restore
                </button>
                <button type="button" className="small-button" disabled={busy} onClick={() => void restore(task, true)}>
                  Restore as open
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
