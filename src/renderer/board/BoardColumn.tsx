import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import {
  Fragment,
  memo,
  useCallback,
  useEffect,
  useRef,
  useState,
  type CSSProperties,
  type DragEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import type { RunsByTask } from '../state/agent-of-task';
import { STATE_LABELS, type StateKind, type TaskState } from '../task-state/task-state';
import { columnKinds, WORK_COLUMN_HINTS, WORK_COLUMN_TITLES, type WorkColumn } from '../task-state/work-column';
import { TaskCard } from '../graph/TaskCard';
import { hasNeedsYouActions, NeedsYouActions } from '../inspector/NeedsYouActions';
import { CARD_HEIGHT } from '../graph/card-size';
import { CARD_TITLE_INSET } from '../graph/title-lines';
import type { BoardColumnData, BoardRow } from './board-columns';

/**
 * Rows are of fixed heights, so the list is laid out without measuring: a card is the graph's
 * card and a line more (its state line may take two), a heading one line.
 */
const CARD_ROW = CARD_HEIGHT + 8;
/** A card that needs the person is a row of buttons taller: its actions, laid over its foot (NeedsYouActions). */
const ACTIONS_ROOM = 10;
const GAP = 8;
const HEADING = 26;
const PADDING = 6;
const OVERSCAN = 6;

/** What the board asks of a column: bring a row into view, the row at a height on screen, rows per page. */
export interface ColumnHandle {
  scrollTo(index: number): void;
  rowAt(clientY: number): number;
  pageRows(): number;
}

interface BoardColumnProps {
  data: BoardColumnData;
  /** The rows shown (the Done column's last few while collapsed). */
  rows: readonly BoardRow[];
  tasks: ReadonlyMap<string, Task>;
  states: ReadonlyMap<string, TaskState>;
  runs: RunsByTask;
  selected: string | null;
  /** The one card Tab reaches (the board is one tab stop; arrows move within it). */
  tabStop: string | null;
  register: (column: WorkColumn, handle: ColumnHandle | null) => void;
  onOpen: (id: string) => void;
  /** Ready only: dropping a card at a row changes the start order. */
  onReorder?: (id: string, to: number) => void;
  /** Words for an empty column. */
  empty: string;
  /** What ends the list (the Done column's Show all). */
  footer?: ReactNode;
}

/**
 * One column of the board: its heading with counts, and its cards in a virtualised list (only the
 * rows on screen are in the page, whatever the column holds). In the Ready column a card can be
 * dragged to another place in the start order.
 */
export const BoardColumn = memo(function BoardColumn({
  data,
  rows,
  tasks,
  states,
  runs,
  selected,
  tabStop,
  register,
  onOpen,
  onReorder,
  empty,
  footer,
}: BoardColumnProps) {
  const { column } = data;
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const getItemKey = useCallback((index: number) => rowKey(rows[index], index), [rows]);
  const drag = useDragToReorder(onReorder ? rows : null, scroller, onReorder);
  // A card being dragged stays in the page while the list scrolls under it (its drag events come from it).
  const dragged = drag.dragging === null ? -1 : rows.findIndex((row) => row.type === 'card' && row.id === drag.dragging);
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      return dragged < 0 || indexes.includes(dragged) ? indexes : [...indexes, dragged].sort((a, b) => a - b);
    },
    [dragged],
  );
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => {
      const row = rows[index];
      if (row?.type === 'heading') return HEADING;
      return row && hasNeedsYouActions(states.get(row.id)?.needs) ? CARD_ROW + ACTIONS_ROOM : CARD_ROW;
    },
    getItemKey,
    gap: GAP,
    paddingStart: PADDING,
    paddingEnd: PADDING,
    overscan: OVERSCAN,
    rangeExtractor,
  });

  // A card's height follows whether it has actions, which its state says: the sizes are read again when states change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: states are what the sizes are read from
  useEffect(() => {
    if (column === 'needs-you') virtualizer.measure();
  }, [column, virtualizer, states]);

  useEffect(() => {
    register(column, {
      scrollTo: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
      rowAt: (clientY) => {
        const element = scroller.current;
        if (!element) return 0;
        const offset = clientY - element.getBoundingClientRect().top + element.scrollTop;
        return virtualizer.getVirtualItemForOffset(offset)?.index ?? 0;
      },
      pageRows: () => Math.max(1, Math.floor((scroller.current?.clientHeight ?? 0) / (CARD_ROW + GAP))),
    });
    return () => register(column, null);
  }, [register, column, virtualizer]);

  // The cards are as wide as the column: their titles are measured at that width (in steps, so resizing measures little).
  useEffect(() => {
    const element = scroller.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor((entry?.contentRect.width ?? 0) / 4) * 4));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const titleWidth = width > 0 ? width - 2 * PADDING - CARD_TITLE_INSET : undefined;

  const items = virtualizer.getVirtualItems();
  const headingId = `board-${column}-heading`;
  const style = { '--state': `var(--state-${column})` } as CSSProperties;

  return (
    <section
      className="board-column"
      data-column={column}
      data-empty={data.total === 0 ? '' : undefined}
      aria-labelledby={headingId}
      style={style}
    >
      <header className="board-column-head" title={WORK_COLUMN_HINTS[column]}>
        <h2 id={headingId} className="board-column-title">
          {WORK_COLUMN_TITLES[column]} <span className="board-column-count">{headline(data).toLocaleString()}</span>
        </h2>
        <ColumnSummary data={data} />
      </header>
      {/* Not a tab stop of its own (Chromium makes a scrolled box one): the board is one, its cards moved through by arrows. */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: where a dragged card is dropped; the keyboard's way is Alt+↑ and Alt+↓ on the card */}
      <div ref={scroller} className="board-column-scroll" tabIndex={-1} onDragOver={drag.over} onDragLeave={drag.leave} onDrop={drag.drop}>
        {rows.length === 0 && <p className="board-column-empty muted small">{empty}</p>}
        <ul
          className="board-column-rows"
          aria-label={`${WORK_COLUMN_TITLES[column]}: ${data.total.toLocaleString()} tasks`}
          style={{ height: virtualizer.getTotalSize() }}
        >
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const top: CSSProperties = { transform: `translateY(${item.start}px)`, height: item.size };
            if (row.type === 'heading') {
              return (
                <li key={item.key} className="board-row board-heading" style={top}>
                  {row.text}
                </li>
              );
            }
            const task = tasks.get(row.id);
            const state = states.get(row.id);
            if (!task || !state) return null;
            return (
              <li key={item.key} className="board-row" style={top} aria-setsize={rows.length} aria-posinset={item.index + 1}>
                <BoardCard
                  task={task}
                  state={state}
                  agent={runs.work.get(row.id) ?? null}
                  helper={runs.helper.get(row.id) ?? null}
                  selected={selected === row.id}
                  tabbable={tabStop === row.id}
                  titleWidth={titleWidth}
                  draggable={!!onReorder}
                  dragging={drag.dragging === row.id}
                  onOpen={onOpen}
                  onDragStart={drag.start}
                  onDragEnd={drag.end}
                />
                {/* Beside the card, not in it (a button holds no buttons): laid over the room its foot keeps for them. */}
                {hasNeedsYouActions(state.needs) && (
                  <div className="board-card-actions">
                    <NeedsYouActions task={task} needs={state.needs} compact tabIndex={tabStop === row.id ? 0 : -1} />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
        {drag.at !== null && (
          <div
            className="board-drop-line"
            aria-hidden="true"
            style={{ transform: `translateY(${PADDING + drag.at * (CARD_ROW + GAP) - GAP / 2 - 1}px)` }}
          />
        )}
      </div>
      {footer}
    </section>
  );
});

/** The states a column holds when it holds more than one ("2 running · 1 evaluating"), blocked in its own colour. */
function ColumnSummary({ data }: { data: BoardColumnData }) {
  const parts = columnKinds(data.column).flatMap(
    (kind): Array<[StateKind, number]> => (data.counts[kind] ? [[kind, data.counts[kind]]] : []),
  );
  if (parts.length < 2 && !(data.counts.blocked ?? 0)) return null;
  return (
    <p className="board-column-summary small">
      {parts.map(([kind, count], index) => (
        <Fragment key={kind}>
          {index > 0 && <span className="board-summary-dot"> · </span>}
          <span style={{ '--state': `var(--state-${kind})` } as CSSProperties} data-state={kind}>
            <span className="board-summary-count">{count.toLocaleString()}</span> {STATE_LABELS[kind]}
          </span>
        </Fragment>
      ))}
    </p>
  );
}

/** The column's headline count: its tasks, but the failures alone in Failed (what they block is counted apart). */
function headline(data: BoardColumnData): number {
  return data.column === 'failed' ? (data.counts.failed ?? 0) : data.total;
}

const rowKey = (row: BoardRow | undefined, index: number) => (row?.type === 'card' ? row.id : `heading-${index}`);

interface BoardCardProps {
  task: Task;
  state: TaskState;
  agent: Agent | null;
  helper: Agent | null;
  selected: boolean;
  tabbable: boolean;
  titleWidth: number | undefined;
  draggable: boolean;
  dragging: boolean;
  onOpen: (id: string) => void;
  onDragStart: (event: DragEvent, id: string) => void;
  onDragEnd: () => void;
}

/** A task on the board: the graph's card, as a button that opens it (and, in Ready, can be dragged). */
const BoardCard = memo(function BoardCard({
  task,
  state,
  agent,
  helper,
  selected,
  tabbable,
  titleWidth,
  draggable,
  dragging,
  onOpen,
  onDragStart,
  onDragEnd,
}: BoardCardProps) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a card holds block content, which a <button> may not; its keys are the board's (TaskBoard)
    // biome-ignore lint/a11y/useKeyWithClickEvents: Enter, Space and the arrows are handled once for the whole board (TaskBoard)
    <div
      className="board-card"
      data-id={task.id}
      role="button"
      tabIndex={tabbable ? 0 : -1}
      aria-current={selected ? 'true' : undefined}
      data-selected={selected ? '' : undefined}
      data-dragging={dragging ? '' : undefined}
      draggable={draggable}
      title={draggable ? 'Drag to change when it starts (its priority)' : undefined}
      onClick={() => onOpen(task.id)}
      onDragStart={draggable ? (event) => onDragStart(event, task.id) : undefined}
      onDragEnd={draggable ? onDragEnd : undefined}
    >
      <TaskCard task={task} agent={agent} helper={helper} state={state} titleWidth={titleWidth} needsYouFoot="room" />
    </div>
  );
});

/** The drag type carrying a task id (only this board's own cards are accepted). */
const DRAG_TYPE = 'application/x-workgraph-task';

/**
 * Dragging a card within its column: where it would land (the row before which it goes, a line
 * drawn there), and the drop, reported as the position among the other cards.
 */
function useDragToReorder(
  rows: readonly BoardRow[] | null,
  scroller: RefObject<HTMLDivElement | null>,
  onReorder: ((id: string, to: number) => void) | undefined,
) {
  const [dragging, setDragging] = useState<string | null>(null);
  const [at, setAt] = useState<number | null>(null);
  const slot = (clientY: number) => {
    const element = scroller.current;
    if (!element || !rows) return 0;
    const offset = clientY - element.getBoundingClientRect().top + element.scrollTop - PADDING;
    return Math.max(0, Math.min(rows.length, Math.round(offset / (CARD_ROW + GAP))));
  };
  return {
    dragging,
    at,
    start: useCallback((event: DragEvent, id: string) => {
      event.dataTransfer.setData(DRAG_TYPE, id);
      event.dataTransfer.setData('text/plain', id);
      event.dataTransfer.effectAllowed = 'move';
      setDragging(id);
    }, []),
    end: useCallback(() => {
      setDragging(null);
      setAt(null);
    }, []),
    over: (event: DragEvent) => {
      if (!dragging || !rows) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      const next = slot(event.clientY);
      if (next !== at) setAt(next);
    },
    leave: (event: DragEvent) => {
      if (!(event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget))) setAt(null);
    },
    drop: (event: DragEvent) => {
      if (!dragging || !rows || !onReorder) return;
      event.preventDefault();
      const index = slot(event.clientY);
      const from = rows.findIndex((row) => row.type === 'card' && row.id === dragging);
      setDragging(null);
      setAt(null);
      if (from < 0) return;
      onReorder(dragging, index > from ? index - 1 : index);
    },
  };
}
