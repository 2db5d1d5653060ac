import { useMemo, useState } from 'react';
import { Diff, Hunk, parseDiff, type FileData } from 'react-diff-view';
import 'react-diff-view/style/index.css';
import type { WorktreeDiff } from '../../shared/worktree';

/** Files changed with added/removed counts, and each file's unified diff (react-diff-view) on demand. */
export function DiffView({ diff }: { diff: WorktreeDiff }) {
  const parsed = useMemo(() => byPath(parseDiff(diff.patch)), [diff.patch]);
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(diff.files.length <= 3 ? diff.files.map((f) => f.path) : []));
  const added = diff.files.reduce((sum, f) => sum + f.added, 0);
  const removed = diff.files.reduce((sum, f) => sum + f.removed, 0);
  const toggle = (path: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  if (diff.files.length === 0) return <p className="muted small">No changes.</p>;
  return (
    <div className="diff-view">
      <p className="small muted">
        {diff.files.length} file{diff.files.length === 1 ? '' : 's'} · <span className="diff-added">+{added}</span>{' '}
        <span className="diff-removed">−{removed}</span> · {diff.kind === 'merged' ? 'merge commit' : 'live, against the base branch'}
      </p>
      <ul className="diff-files" aria-label="Changed files">
        {diff.files.map((file) => {
          const data = parsed.get(file.path);
          const expanded = open.has(file.path);
          return (
            <li key={file.path}>
              <button type="button" className="diff-file-head" aria-expanded={expanded} onClick={() => toggle(file.path)}>
                <span className="diff-caret" aria-hidden="true">
                  {expanded ? '▾' : '▸'}
                </span>
                <span className="diff-path mono">{file.path}</span>
                {file.binary ? (
                  <span className="muted small">binary</span>
                ) : (
                  <span className="small">
                    <span className="diff-added">+{file.added}</span> <span className="diff-removed">−{file.removed}</span>
                  </span>
                )}
              </button>
              {expanded && data && data.hunks.length > 0 && (
                <div className="diff-body">
                  <Diff viewType="unified" diffType={data.type} hunks={data.hunks}>
                    {(hunks) => hunks.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
                  </Diff>
                </div>
              )}
              {expanded && (!data || data.hunks.length === 0) && (
                <p className="muted small diff-body">
                  {diff.truncated && !data ? 'Not shown: the diff was cut for size.' : 'No text changes to show.'}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      {diff.truncated && <p className="muted small">The diff is too long to show whole; the file list is complete.</p>}
    </div>
  );
}

function byPath(files: FileData[]): Map<string, FileData> {
  return new Map(files.map((file) => [file.type === 'delete' ? file.oldPath : file.newPath, file]));
}
