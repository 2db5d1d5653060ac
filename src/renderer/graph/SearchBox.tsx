import { useMemo, useState, type KeyboardEvent } from 'react';
import { useListbox } from '../components/use-listbox';
import type { Task } from '../../shared/task';
import type { TaskState } from '../task-state/task-state';
import { searchTasks } from './graph-filter';

const SHOWN = 50;

interface SearchBoxProps {
  tasks: ReadonlyMap<string, Task>;
  states: ReadonlyMap<string, TaskState>;
  /** Tasks not shown (folded internal tasks): not found either. */
  leftOut: ReadonlySet<string>;
  onChoose: (id: string) => void;
}

/**
 * Finds tasks by title or id and lists the matches (title, id, state); choosing one (click, or the
 * arrow keys and Enter) shows it in the graph and opens it. A combobox, as assistive technology expects.
 */
export function SearchBox({ tasks, states, leftOut, onChoose }: SearchBoxProps) {
  const [text, setText] = useState('');
  const { matches, total } = useMemo(() => searchTasks(tasks.values(), text, SHOWN, leftOut), [tasks, text, leftOut]);
  const listbox = useListbox(matches.length);
  const { active, setOpen, listId } = listbox;
  const showList = listbox.open && text.trim() !== '';

  const choose = (task: Task | undefined) => {
    if (!task) return;
    setOpen(false);
    onChoose(task.id);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (listbox.arrowKeys(event)) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      choose(matches[active] ?? matches[0]);
    } else if (event.key === 'Escape' && (showList || text)) {
      // Handled here: the inspector behind stays open.
      event.stopPropagation();
      event.nativeEvent.stopImmediatePropagation();
      if (showList) setOpen(false);
      else setText('');
    }
  };

  return (
    <div className="search-box">
      <input
        type="search"
        className="search"
        placeholder="Search tasks"
        title="Search by title or id"
        aria-label="Search tasks"
        {...listbox.inputProps(showList)}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          listbox.typed();
        }}
        onKeyDown={onKeyDown}
      />
      {showList && (
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA combobox pattern's list of options (a <select> cannot stay open under a text box); the role replaces the list's own
        <ul className="search-results" id={listId} role="listbox" aria-label="Matching tasks" tabIndex={-1}>
          {matches.length === 0 && <li className="search-empty muted">No task matches “{text.trim()}”.</li>}
          {matches.map((task, index) => {
            const state = states.get(task.id);
            return (
              <li key={task.id} className="search-result" {...listbox.optionProps(index, () => choose(task))}>
                <span className="dot" style={{ background: state ? `var(--state-${state.kind})` : undefined }} />
                <span className="search-title">{task.title}</span>
                <span className="search-meta muted">
                  {task.id} · {state?.kind ?? task.status}
                </span>
              </li>
            );
          })}
          {total > matches.length && <li className="search-empty muted">and {total - matches.length} more; type more to narrow</li>}
        </ul>
      )}
      <span className="visually-hidden" aria-live="polite">
        {text.trim() ? `${total} matching task${total === 1 ? '' : 's'}` : ''}
      </span>
    </div>
  );
}
