import { isInternalTask, type Task } from '../../shared/task';
import { STATUS_STATE, stateColour } from '../components/status';

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
      {own.length === 0 ? <span className="muted">none</span> : <ul aria-label={label}>{own.map(item)}</ul>}
      {system.length > 0 && (
        <>
          <p className="muted small dep-links-caption">The coordinator's own</p>
          <ul className="dep-links-system" aria-label={`${label}: the coordinator's own`}>
            {system.map(item)}
          </ul>
        </>
      )}
    </div>
  );
}
