import type { Task } from '../../shared/task';
import { STATUS_STATE, stateColour } from '../components/status';

interface DependencyLinksProps {
  label: string;
  ids: readonly string[];
  tasks: ReadonlyMap<string, Task>;
  onOpen: (id: string) => void;
}

/** "Depends on" / "Required by": each task a link that opens it in the inspector. */
export function DependencyLinks({ label, ids, tasks, onOpen }: DependencyLinksProps) {
  return (
    <div className="dep-links">
      <h4>{label}</h4>
      {ids.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        <ul aria-label={label}>
          {ids.map((id) => {
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
          })}
        </ul>
      )}
    </div>
  );
}
