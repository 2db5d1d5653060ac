import type { Task } from '../../shared/task';
import type { WorkView } from '../board/use-work-view';
import type { StateKind, TaskState } from '../task-state/task-state';
import { isFiltering, type GraphFilter } from './graph-filter';
import { SearchBox } from './SearchBox';
import { StateCounts } from './StateCounts';
import type { ClusterGrouping } from './view/clusters';

interface GraphToolbarProps {
  filter: GraphFilter;
  onFilter: (filter: GraphFilter) => void;
  tags: readonly string[];
  counts: Record<StateKind, number>;
  shown: number;
  total: number;
  /** Ready tasks a lens of the work leaves out (it shows the next few): said beside what it shows. */
  moreReady?: number;
  tasks: ReadonlyMap<string, Task>;
  states: ReadonlyMap<string, TaskState>;
  /** Upstream's system tasks: how many the graph has and how many are hidden now, whether they are shown, and the switch (internal-tasks.ts). */
  internal: { count: number; hidden: number; shown: boolean; onShow: (shown: boolean) => void };
  /** Tasks not shown (folded internal tasks): search does not find them. */
  leftOut: ReadonlySet<string>;
  onNewTask: () => void;
  onFind: (id: string) => void;
  /** A state chip clicked: the view frames that state's tasks. */
  onFrame: (kind: StateKind) => void;
  grouping: ClusterGrouping;
  onGrouping: (grouping: ClusterGrouping) => void;
  onHelp: () => void;
  /** How many tasks are archived (null while unknown), and the panel that shows them. */
  archivedCount: number | null;
  archivedOpen: boolean;
  onArchived: () => void;
  /** Graph or board (null while not yet known). */
  view: WorkView | null;
  onView: (view: WorkView) => void;
}

/**
 * Two rows, each one line at 1024 px wide: what a person does (view, new task, search, the tag
 * filter, grouping, finished and archived work), then what the graph holds (the counts per state,
 * which frame their tasks, and what the view shows now).
 */
export function GraphToolbar({
  filter,
  onFilter,
  tags,
  counts,
  shown,
  total,
  moreReady = 0,
  tasks,
  states,
  internal,
  leftOut,
  onNewTask,
  onFind,
  onFrame,
  grouping,
  onGrouping,
  onHelp,
  archivedCount,
  archivedOpen,
  onArchived,
  view,
  onView,
}: GraphToolbarProps) {
  const filtering = isFiltering(filter);
  return (
    <div className="graph-toolbar" role="toolbar" aria-label="Graph filters">
      <div className="toolbar-row">
        <ViewSwitch view={view} onView={onView} />
        <button type="button" className="primary" onClick={onNewTask}>
          + New task
        </button>
        <SearchBox tasks={tasks} states={states} leftOut={leftOut} onChoose={onFind} />
        {tags.length > 0 && (
          <select aria-label="Filter by tag" value={filter.tag} onChange={(e) => onFilter({ ...filter, tag: e.target.value })}>
            <option value="">all tags</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        )}
        <label className="muted small" title="What each cluster stands for when zoomed far out" hidden={view === 'board'}>
          Group{' '}
          <select
            aria-label="Group clusters by"
            value={grouping}
            onChange={(e) => onGrouping(e.target.value === 'tag' || e.target.value === 'state' ? e.target.value : 'connected')}
          >
            <option value="connected">connected</option>
            <option value="tag">tag</option>
            <option value="state">state</option>
          </select>
        </label>
        <label
          className="small toolbar-check"
          title="Leave done and abandoned tasks out of the graph (their dependents still say what they wait for)"
        >
          <input
            type="checkbox"
            checked={!!filter.hideFinished}
            onChange={(e) => onFilter({ ...filter, hideFinished: e.target.checked })}
          />{' '}
          Hide finished
        </label>
        <button
          type="button"
          className="small-button"
          aria-pressed={archivedOpen}
          title="Tasks archived out of the graph (wg archive): show them, restore them, archive finished work"
          onClick={onArchived}
        >
          Archived{archivedCount ? ` (${archivedCount})` : ''}
        </button>
      </div>
      <div className="toolbar-row">
        <StateCounts counts={counts} pressed={pressedStates(filter)} onFrame={onFrame} />
        {filter.focus && (
          <FocusChip
            title={tasks.get(filter.focus.id)?.title ?? filter.focus.id}
            steps={filter.focus.steps}
            onSteps={(steps) => filter.focus && onFilter({ ...filter, focus: { ...filter.focus, steps } })}
          />
        )}
        {filtering && (
          <span
            className="muted small toolbar-status"
            aria-live="polite"
            title={
              filter.lens && moreReady > 0
                ? `${moreReady} more ${moreReady === 1 ? 'task is' : 'tasks are'} ready: the work holds the next few to start (the ready chip shows them all)`
                : undefined
            }
          >
            {filter.lens ? `Showing ${filter.lens.about}: ` : ''}
            {/* Short beside the ready tasks left out: the line keeps its height in a full toolbar as they come and go. */}
            {filter.lens && moreReady > 0 ? `${shown} of ${total}, +${moreReady} ready` : `${shown} of ${total} tasks`}
          </span>
        )}
        {filtering && (
          <button type="button" className="small-button" onClick={() => onFilter({ states: new Set(), tag: '' })}>
            Show all
          </button>
        )}
        {internal.count > 0 && (
          <button
            type="button"
            className="small-button"
            aria-pressed={internal.shown}
            title={`Upstream's system tasks (.assign-…, .flip-…, .evaluate-…), the coordinator's bookkeeping around each task: ${internal.shown ? 'shown' : 'hidden, as wg viz hides them, but for those that failed or need you'}`}
            onClick={() => internal.onShow(!internal.shown)}
          >
            {internal.shown ? `${internal.count.toLocaleString()} internal shown` : `${internal.hidden.toLocaleString()} internal hidden`}
          </button>
        )}
        <button
          type="button"
          className="small-button toolbar-help"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          onClick={onHelp}
        >
          ?
        </button>
      </div>
    </div>
  );
}

/** The chips shown pressed: the states filtered by, and the state a lens frames. */
function pressedStates(filter: GraphFilter): ReadonlySet<string> {
  return filter.lens ? new Set([...filter.states, filter.lens.of]) : filter.states;
}

/** What the view is focused on, whole where the toolbar has room, and how many steps around it (1 to 5; keys + and −). */
function FocusChip({ title, steps, onSteps }: { title: string; steps: number; onSteps: (steps: number) => void }) {
  return (
    <span className="small focus-chip">
      <span className="focus-chip-title" title={title}>
        Around {title}
      </span>
      <select aria-label="Steps around the focused task" value={steps} onChange={(e) => onSteps(Number(e.target.value))}>
        {STEP_CHOICES.map((n) => (
          <option key={n} value={n}>
            {n === 1 ? '1 step' : `${n} steps`}
          </option>
        ))}
      </select>
    </span>
  );
}

const STEP_CHOICES = [1, 2, 3, 4, 5];

/** Graph or Board (key B switches): the same tasks, filters and inspector either way. */
function ViewSwitch({ view, onView }: { view: WorkView | null; onView: (view: WorkView) => void }) {
  return (
    <fieldset className="view-switch" aria-label="View">
      {/* Named apart from the sidebar's Graph page, which holds both views. */}
      <button
        type="button"
        aria-pressed={view === 'graph'}
        aria-label="Graph view"
        title="The tasks and their dependencies (B switches)"
        onClick={() => onView('graph')}
      >
        Graph
      </button>
      <button
        type="button"
        aria-pressed={view === 'board'}
        title="The tasks in columns: needs you, running, failed, ready, waiting, done (B)"
        onClick={() => onView('board')}
      >
        Board
      </button>
    </fieldset>
  );
}
