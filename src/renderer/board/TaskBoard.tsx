import {
  memo,
  useCallback,
  useEffect,
  useEffectEvent,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type FocusEvent,
  type KeyboardEvent,
  type Ref,
} from 'react';
import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import { failedUpstream } from '../../shared/task-hold';
import { modalOpen } from '../components/Dialog';
import { useReadOnly } from '../hooks/use-read-only';
import { focusInspector } from '../inspector/focus-inspector';
import { agentsByTask } from '../state/agent-of-task';
import { useNavigation } from '../state/navigation';
import { STATE_LABELS, type StateKind, type TaskState } from '../task-state/task-state';
import { columnKinds, WORK_COLUMNS, type WorkColumn } from '../task-state/work-column';
import { boardColumns, taskOrder } from './board-columns';
import { cardRowFrom, columnWithCards, edgeCardRow } from './board-moves';
import { BoardColumn, type ColumnHandle } from './BoardColumn';
import { BoardEdge, useHiddenColumns } from './BoardEdges';
import { useReadyReorder } from './use-ready-reorder';

/** Done shows its count and this many of the latest finished until asked for all. */

/** Keys that, pressed with the focus on nowhere (the page's body), go back to the board's card. */
const BACK_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Enter', 'Home', 'End']);
const DONE_SHOWN = 5;

const EMPTY: Record<WorkColumn, string> = {
  'needs-you': 'Nothing needs you.',
  running: 'Nothing is running.',
  failed: 'Nothing failed.',
  ready: 'Nothing is ready to start.',
  waiting: 'Nothing is waiting.',
  done: 'Nothing is finished yet.',
};

interface TaskBoardProps {
  /** The graph as the page draws it (a moment behind the store), its states and the filter's tasks (null: all). */
  tasks: ReadonlyMap<string, Task>;
  agents: ReadonlyMap<string, Agent>;
  states: ReadonlyMap<string, TaskState>;
  shown: ReadonlySet<string> | null;
  /** The filter leaves finished tasks out: the Done column says so. */
  hideFinished: boolean;
  /** Width of the inspector lying over the right of the board (0 when closed). */
  coveredRight: number;
  /** Delete pressed on a card: the page asks whether to abandon it. */
  onDeleteTask: (id: string) => void;
  /** The tasks in each state, as the state chips count them (without the filter): what a filter hides from a column. */
  counts: Readonly<Record<StateKind, number>>;
  ref?: Ref<BoardHandle>;
}

/** What the page asks of the board: give a task's card the focus (scrolled to it); false when it is not on the board. */
export interface BoardHandle {
  focusTask(id: string): boolean;
}

/**
 * The work as columns (task-state/work-column.ts): Needs you, Running, Failed (and what the
 * failures block), Ready (in start order, which dragging changes), Waiting, Done (its count and
 * the latest few). The same cards, states, filter and inspector as the graph. One tab stop: arrows
 * move between cards (up and down) and columns (left and right, to the card at the same height),
 * Home and End, Page Up and Down; Enter opens the inspector with the focus in it; Delete asks
 * whether to abandon; Alt+↑ and Alt+↓ move a ready card in the start order.
 */
export const TaskBoard = memo(function TaskBoard({
  tasks,
  agents,
  states,
  shown,
  hideFinished,
  coveredRight,
  onDeleteTask,
  counts,
  ref,
}: TaskBoardProps) {
  const { selectedTask, selectTask, focusRequest } = useNavigation();
  const readOnly = useReadOnly();
  const runs = useMemo(() => agentsByTask(agents), [agents]);
  const order = useMemo(() => taskOrder(tasks), [tasks]);
  const anyBlocked = useMemo(() => [...states.values()].some((state) => state.kind === 'blocked'), [states]);
  const roots = useMemo(() => (anyBlocked ? failedUpstream(tasks.values(), tasks) : new Map<string, string>()), [anyBlocked, tasks]);
  const ready = useReadyReorder(tasks, order);
  const columns = useMemo(
    () => boardColumns(tasks, states, shown, roots, order, ready.pending),
    [tasks, states, shown, roots, order, ready.pending],
  );
  const [doneOpen, setDoneOpen] = useState(false);
  const doneTotal = columns.find((data) => data.column === 'done')?.rows.length ?? 0;
  const doneFooter = useMemo(
    () =>
      doneTotal > DONE_SHOWN ? <DoneToggle open={doneOpen} total={doneTotal} onToggle={() => setDoneOpen((value) => !value)} /> : undefined,
    [doneOpen, doneTotal],
  );
  const shownRows = useMemo(
    () => columns.map((data) => (data.column === 'done' && !doneOpen ? data.rows.slice(0, DONE_SHOWN) : data.rows)),
    [columns, doneOpen],
  );

  // Where each card is: its column and row.
  const places = useMemo(() => {
    const map = new Map<string, { column: number; row: number }>();
    shownRows.forEach((rows, column) => {
      rows.forEach((row, index) => {
        if (row.type === 'card') map.set(row.id, { column, row: index });
      });
    });
    return map;
  }, [shownRows]);

  // The tab stop: the card last moved to or opened while it is on the board, else the first card.
  const [active, setActive] = useState<string | null>(null);
  const tabStop = useMemo(() => {
    if (active && places.has(active)) return active;
    if (selectedTask && places.has(selectedTask)) return selectedTask;
    for (const rows of shownRows) for (const row of rows) if (row.type === 'card') return row.id;
    return null;
  }, [active, selectedTask, places, shownRows]);

  const handles = useRef(new Map<WorkColumn, ColumnHandle>());
  const register = useCallback((column: WorkColumn, handle: ColumnHandle | null) => {
    if (handle) handles.current.set(column, handle);
    else handles.current.delete(column);
  }, []);
  const board = useRef<HTMLElement>(null);

  /** Brings a card into view and gives it the focus (once its row is in the page: a column just opened may take a render). */
  const focusCard = useCallback((column: number, row: number, id: string) => {
    setActive(id);
    const name = WORK_COLUMNS[column];
    let tries = 0;
    const attempt = () => {
      const element = board.current?.querySelector<HTMLElement>(`.board-card[data-id="${CSS.escape(id)}"]`);
      if (name) handles.current.get(name)?.scrollTo(row);
      if (element) {
        element.focus({ preventScroll: true });
        element.closest('.board-column')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      } else if (tries++ < 60) requestAnimationFrame(attempt);
    };
    attempt();
  }, []);

  // A card opened under the inspector (a column on the right) is scrolled out from under it.
  const covered = coveredRight > 0;
  useEffect(() => {
    if (!selectedTask || !covered) return;
    const card = board.current?.querySelector(`.board-card[data-id="${CSS.escape(selectedTask)}"]`);
    card?.closest('.board-column')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [selectedTask, covered]);

  // A card with the focus that a change from elsewhere moves (to another column as it starts, fails or finishes; within
  // its column as its priority changes) keeps the focus where it went: once out of the rows in the page its element is
  // gone, and the focus with it, to the page's body.
  const focused = useRef<{ id: string; column: number; row: number } | null>(null);
  const onFocus = (event: FocusEvent) => {
    const id = (event.target as HTMLElement).dataset.id;
    const place = id ? places.get(id) : undefined;
    focused.current = id && place ? { id, column: place.column, row: place.row } : null;
  };
  const onBlur = (event: FocusEvent) => {
    // The focus went elsewhere (another element, or a click on nothing): a card taken out of the page because it moved has no blur.
    if (event.relatedTarget || (event.target as Node).isConnected) focused.current = null;
  };
  const placesBefore = useRef(places);
  const follow = useEffectEvent((now: typeof places) => {
    const before = placesBefore.current.get(focused.current?.id ?? '');
    placesBefore.current = now;
    const last = focused.current;
    if (!last || document.activeElement !== document.body) return;
    const place = now.get(last.id);
    // Only a card this change moved: one the person scrolled out of the page themselves stays where they left it.
    if (!before || (place && place.column === before.column && place.row === before.row)) return;
    if (place) {
      focusCard(place.column, place.row, last.id);
      return;
    }
    // Not shown any more (pushed out of Done's latest few, removed): the nearest card where it was, not the body.
    const rows = shownRows[last.column] ?? [];
    const row = cardRowFrom(rows, Math.min(last.row, rows.length - 1), 0);
    const target = row === null ? undefined : rows[row];
    if (row !== null && target?.type === 'card') focusCard(last.column, row, target.id);
  });
  useEffect(() => follow(places), [places]);

  const open = useCallback(
    (id: string) => {
      setActive(id);
      selectTask(id);
    },
    [selectTask],
  );

  const readyColumn = columns.find((data) => data.column === 'ready');
  const readyIds = useMemo(() => (readyColumn?.rows ?? []).flatMap((row) => (row.type === 'card' ? [row.id] : [])), [readyColumn]);
  const reorder = useCallback((id: string, to: number) => ready.move(readyIds, id, to), [ready, readyIds]);

  const onKeyDown = (event: KeyboardEvent) => {
    const card = (event.target as HTMLElement).closest<HTMLElement>('.board-card');
    const id = card?.dataset.id;
    const place = id ? places.get(id) : undefined;
    if (!card || !id || !place || event.target !== card || event.ctrlKey || event.metaKey) return;
    const rows = shownRows[place.column] ?? [];
    const go = (column: number, row: number | null) => {
      const target = row === null ? undefined : shownRows[column]?.[row];
      if (target?.type === 'card') focusCard(column, row as number, target.id);
    };
    const handled = () => {
      event.preventDefault();
      event.stopPropagation();
    };
    const inReady = WORK_COLUMNS[place.column] === 'ready';
    if (event.altKey) {
      if (inReady && !readOnly && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
        handled();
        const index = readyIds.indexOf(id);
        const to = event.key === 'ArrowUp' ? index - 1 : index + 1;
        if (index >= 0 && to >= 0 && to < readyIds.length) ready.move(readyIds, id, to);
      }
      return;
    }
    switch (event.key) {
      case 'ArrowUp':
      case 'ArrowDown':
        handled();
        go(place.column, cardRowFrom(rows, place.row, event.key === 'ArrowUp' ? -1 : 1));
        break;
      case 'PageUp':
      case 'PageDown': {
        handled();
        const page = handles.current.get(WORK_COLUMNS[place.column] as WorkColumn)?.pageRows() ?? 5;
        go(place.column, cardRowFrom(rows, place.row, event.key === 'PageUp' ? -page : page));
        break;
      }
      case 'Home':
      case 'End':
        handled();
        go(place.column, edgeCardRow(rows, event.key === 'Home' ? 'first' : 'last'));
        break;
      case 'ArrowLeft':
      case 'ArrowRight': {
        handled();
        const column = columnWithCards(shownRows, place.column, event.key === 'ArrowLeft' ? -1 : 1);
        if (column === null) break;
        const name = WORK_COLUMNS[column] as WorkColumn;
        // The card at the same height in that column, or the nearest one to it.
        const middle = card.getBoundingClientRect().top + card.getBoundingClientRect().height / 2;
        const at = handles.current.get(name)?.rowAt(middle) ?? 0;
        const targetRows = shownRows[column] ?? [];
        go(column, cardRowFrom(targetRows, Math.min(at, targetRows.length - 1), 0));
        break;
      }
      case 'Enter':
      case ' ':
        handled();
        open(id);
        if (event.key === 'Enter') focusInspector(id);
        break;
      case 'Delete':
      case 'Backspace':
        handled();
        onDeleteTask(id);
        break;
    }
  };

  // Tab past the page's last stop leaves the focus on its body, where arrows and Enter did nothing: there they bring the
  // focus back to the board's card (its tab stop), as the guide promises arrows between cards.
  const backToBoard = useEffectEvent((event: globalThis.KeyboardEvent) => {
    if (document.activeElement !== document.body || event.defaultPrevented || modalOpen() || !tabStop) return;
    if (!BACK_KEYS.has(event.key) || event.ctrlKey || event.metaKey || event.altKey) return;
    const place = places.get(tabStop);
    if (!place) return;
    event.preventDefault();
    focusCard(place.column, place.row, tabStop);
  });
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => backToBoard(event);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // A link from the inspector, the search or another page asked to show this task: the board
  // scrolls to its card (opening Done if it is among the older finished) and focuses it.
  const showRequested = useEffectEvent(() => {
    if (!selectedTask) return;
    let place = places.get(selectedTask);
    if (!place) {
      const column = columns.findIndex((data) => data.rows.some((row) => row.type === 'card' && row.id === selectedTask));
      if (column < 0) return;
      if (columns[column]?.column === 'done') setDoneOpen(true);
      const row = columns[column]?.rows.findIndex((r) => r.type === 'card' && r.id === selectedTask) ?? -1;
      place = { column, row };
    }
    focusCard(place.column, place.row, selectedTask);
  });
  useEffect(() => {
    if (focusRequest) showRequested();
  }, [focusRequest]);

  // The page's Escape (closing the inspector) hands the focus back to a card through here: a card scrolled out of
  // its column's rows in the page has no element to focus until its column is scrolled to it.
  const focusTask = useEffectEvent((id: string) => {
    const place = places.get(id);
    if (!place) return false;
    focusCard(place.column, place.row, id);
    return true;
  });
  useImperativeHandle(ref, () => ({ focusTask }), []);

  const style = { '--covered-right': `${coveredRight}px` } as CSSProperties;
  const hidden = useHiddenColumns(board, coveredRight);
  return (
    <section
      ref={board}
      className="task-board"
      aria-label="Task board"
      style={style}
      // Room below the columns for the buttons naming those out of view (BoardEdges.tsx), only while they show.
      data-edge-hint={hidden.before.length + hidden.after.length > 0 || undefined}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      onBlur={onBlur}
    >
      <BoardEdge board={board} hidden={hidden} side="before" />
      {columns.map((data, index) => (
        <BoardColumn
          key={data.column}
          data={data}
          rows={shownRows[index] ?? []}
          tasks={tasks}
          states={states}
          runs={runs}
          selected={selectedTask}
          tabStop={tabStop}
          register={register}
          onOpen={open}
          onReorder={data.column === 'ready' && !readOnly ? reorder : undefined}
          empty={
            data.column === 'done' && hideFinished
              ? 'Finished tasks are hidden (Hide finished).'
              : (hiddenByFilter(data.column, counts, shown !== null) ?? EMPTY[data.column])
          }
          footer={data.column === 'done' ? doneFooter : undefined}
        />
      ))}
      <BoardEdge board={board} hidden={hidden} side="after" />
    </section>
  );
});

/**
 * An empty column whose tasks the filter hides says so, with their count (“Nothing failed.” beside a chip saying 4
 * failed misled): “Hidden by the filter: 4 failed, 12 blocked.” Null when nothing is hidden from it.
 */
function hiddenByFilter(column: WorkColumn, counts: Readonly<Record<StateKind, number>>, filtering: boolean): string | null {
  if (!filtering) return null;
  const parts = columnKinds(column).flatMap((kind) => (counts[kind] ? [`${counts[kind].toLocaleString()} ${STATE_LABELS[kind]}`] : []));
  return parts.length > 0 ? `Hidden by the filter: ${parts.join(', ')}.` : null;
}

function DoneToggle({ open, total, onToggle }: { open: boolean; total: number; onToggle: () => void }) {
  return (
    <button type="button" className="small-button board-done-toggle" aria-expanded={open} onClick={onToggle}>
      {open ? `Show the latest ${DONE_SHOWN} only` : `Show all ${total.toLocaleString()}`}
    </button>
  );
}
