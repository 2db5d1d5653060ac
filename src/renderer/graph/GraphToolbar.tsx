import { TASK_STATUSES, type TaskStatus } from '../../shared/task';
import { STATUS_COLOURS } from '../components/status';
import type { GraphFilter } from './graph-filter';

interface GraphToolbarProps {
  filter: GraphFilter;
  onFilter: (filter: GraphFilter) => void;
  tags: readonly string[];
  shown: number;
  total: number;
  onNewTask: () => void;
  /** Enter in the search box: show the first match. */
  onSearchSubmit: () => void;
}

/** Status and tag filters, search by title or id, and the new-task button. */
export function GraphToolbar({ filter, onFilter, tags, shown, total, onNewTask, onSearchSubmit }: GraphToolbarProps) {
  const toggle = (status: TaskStatus) => {
    const statuses = new Set(filter.statuses);
    if (statuses.has(status)) statuses.delete(status);
    else statuses.add(status);
    onFilter({ ...filter, statuses });
  };
  return (
    <div className="graph-toolbar" role="toolbar" aria-label="Graph filters">
      <button type="button" className="primary" onClick={onNewTask}>
        + New task
      </button>
      <input
        type="search"
        className="search"
        placeholder="Search title or id"
        aria-label="Search tasks"
        value={filter.search}
        onChange={(e) => onFilter({ ...filter, search: e.target.value })}
        onKeyDown={(e) => e.key === 'Enter' && onSearchSubmit()}
      />
      <div className="status-filters" aria-label="Filter by status">
        {TASK_STATUSES.map((status) => (
          <button
            key={status}
            type="button"
            className="chip"
            aria-pressed={filter.statuses.has(status)}
            style={{ ['--chip-colour' as string]: STATUS_COLOURS[status] }}
            onClick={() => toggle(status)}
          >
            {status}
          </button>
        ))}
      </div>
      <select aria-label="Filter by tag" value={filter.tag} onChange={(e) => onFilter({ ...filter, tag: e.target.value })}>
        <option value="">all tags</option>
        {tags.map((tag) => (
          <option key={tag} value={tag}>
            {tag}
          </option>
        ))}
      </select>
      <span className="muted small" aria-live="polite">
        {shown === total ? `${total} tasks` : `${shown} of ${total} tasks`}
      </span>
    </div>
  );
}
