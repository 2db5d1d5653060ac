import { type ReactNode, useEffect, useRef, useState } from 'react';
import { isInternalTask, type Task } from '../../shared/task';
import { STATUS_STATE, stateColour } from '../components/status';

/**
 * Links listed at first, and how many more each press of "Show more" adds: a hub's list is read a screen at a time.
 * Its 5,000 dependents listed whole were 20,000 elements put in the page at once, a task of 240–500 ms in the press that
 * opened it (a search's Enter on the fan's first task).
 */
const FIRST = 20;
const MORE = 100;

interface DependencyLinksProps {
  label: string;
  ids: readonly string[];
  tasks: ReadonlyMap<string, Task>;
  onOpen: (id: string) => void;
}

/**
 * "Depends on" / "Required by": each task a link that opens it in the inspector. Upstream's system tasks
 * (`.assign-X` before a task, `.evaluate-X` and `.flip-X` after it) are the coordinator's bookkeeping, folded away in
 * the graph (graph/internal-tasks.ts): listed after the task's own links, apart, so the plan's dependencies read first.
 */
export function DependencyLinks({ label, ids, tasks, onOpen }: DependencyLinksProps) {
  const internal = (id: string) => isInternalTask(tasks.get(id) ?? { id, tags: [] });
  const own = ids.filter((id) => !internal(id));
  const system = ids.filter(internal);
  const item = (id: string) => {
    const task = tasks.get(id);
    return (
      <li key={id}>
        <span className="dot" style={{ background: task ? stateColour(STATUS_STATE[task.status]) : 'var(--line-strong)' }} />
        <button type="button" className="link-button" onClick={() => onOpen(id)}>
          {task ? task.title : id}
        </button>
        <span className="muted small">{id}</span>
      </li>
    );
  };
  return (
    <div className="dep-links">
      <h4>{label}</h4>
      {own.length === 0 ? <span className="muted">none</span> : <LinkList label={label} ids={own} item={item} />}
      {system.length > 0 && (
        <>
          <p className="muted small dep-links-caption">The coordinator's own</p>
          <LinkList label={`${label}: the coordinator's own`} className="dep-links-system" ids={system} item={item} />
        </>
      )}
    </div>
  );
}

/** The first links of a list, and a button that lists more while some are left out. */
function LinkList({ label, className, ids, item }: { label: string; className?: string; ids: string[]; item: (id: string) => ReactNode }) {
  const [shown, setShown] = useState(FIRST);
  const list = useRef<HTMLUListElement>(null);
  // After a press, the first link it listed takes the focus (the button goes with the last ones).
  const [focusAt, setFocusAt] = useState<number | null>(null);
  useEffect(() => {
    if (focusAt === null) return;
    list.current?.querySelectorAll<HTMLButtonElement>('li .link-button')[focusAt]?.focus();
    setFocusAt(null);
  }, [focusAt]);
  const left = ids.length - shown;
  return (
    <>
      <ul ref={list} className={className} aria-label={label}>
        {ids.slice(0, shown).map(item)}
      </ul>
      {left > 0 && (
        <button
          type="button"
          className="small-button dep-links-more"
          onClick={() => {
            setFocusAt(shown);
            setShown(shown + MORE);
          }}
        >
          Show {Math.min(left, MORE).toLocaleString()} more ({left.toLocaleString()} not listed)
        </button>
      )}
    </>
  );
}
