import { useEffect, useState, type RefObject } from 'react';
import { WORK_COLUMN_TITLES, type WorkColumn } from '../task-state/work-column';

/** The columns scrolled out of view on each side of the board, wholly or for more than a quarter of their width. */
export interface HiddenColumns {
  before: WorkColumn[];
  after: WorkColumn[];
}

const NONE: HiddenColumns = { before: [], after: [] };
const same = (a: HiddenColumns, b: HiddenColumns) => a.before.join() === b.before.join() && a.after.join() === b.after.join();

/**
 * Which columns lie out of view: at 1024 px four of the six fit, and nothing said that Waiting and Done were there
 * (a scroll bar that shows only while scrolling, as on a Mac, says nothing). Read from the page on scroll and resize.
 */
export function useHiddenColumns(board: RefObject<HTMLElement | null>, coveredRight: number): HiddenColumns {
  const [hidden, setHidden] = useState<HiddenColumns>(NONE);
  useEffect(() => {
    const element = board.current;
    if (!element) return;
    const measure = () => {
      const box = element.getBoundingClientRect();
      const next: HiddenColumns = { before: [], after: [] };
      for (const column of element.querySelectorAll<HTMLElement>(':scope > .board-column')) {
        const name = column.dataset.column as WorkColumn | undefined;
        if (!name) continue;
        const { left, right, width } = column.getBoundingClientRect();
        // Cut by a few pixels, a column still reads; with a quarter of it gone, it is out of view.
        const inView = Math.min(right, box.right - coveredRight) - Math.max(left, box.left);
        if (inView >= width * 0.75) continue;
        if (left < box.left) next.before.push(name);
        else next.after.push(name);
      }
      setHidden((now) => (same(now, next) ? now : next));
    };
    measure();
    // The board's size, and each column's: a column emptied or filled narrows or widens, moving the rest.
    const resize = new ResizeObserver(measure);
    resize.observe(element);
    for (const column of element.querySelectorAll(':scope > .board-column')) resize.observe(column);
    element.addEventListener('scroll', measure, { passive: true });
    return () => {
      resize.disconnect();
      element.removeEventListener('scroll', measure);
    };
  }, [board, coveredRight]);
  return hidden;
}

/** The nearest column's name, and how many more lie beyond it ("Waiting +1"): short, so it covers little of the board. */
const label = (nearest: WorkColumn, count: number) => `${WORK_COLUMN_TITLES[nearest]}${count > 1 ? ` +${count - 1}` : ''}`;
const names = (columns: readonly WorkColumn[]) => columns.map((column) => WORK_COLUMN_TITLES[column]).join(', ');

/**
 * A button at each edge of the board naming the columns out of view that way; a click brings the nearest of them in.
 * Each sits in a sticky slot of no width at the board's start and end, so it stays at the edge while the board scrolls.
 */
export function BoardEdge({
  board,
  hidden: both,
  side,
}: {
  board: RefObject<HTMLElement | null>;
  hidden: HiddenColumns;
  side: keyof HiddenColumns;
}) {
  const hidden = both[side];
  const nearest = side === 'before' ? hidden[hidden.length - 1] : hidden[0];
  const show = () =>
    board.current
      ?.querySelector<HTMLElement>(`:scope > .board-column[data-column="${nearest}"]`)
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: 'smooth' });
  return (
    <div className={`board-edge board-edge-${side}`} aria-hidden={nearest ? undefined : true}>
      {nearest && (
        <button
          type="button"
          className="board-edge-button"
          onClick={show}
          title={`Out of view ${side === 'before' ? 'to the left' : 'to the right'}: ${names(hidden)}`}
        >
          {side === 'before' ? `← ${label(nearest, hidden.length)}` : `${label(nearest, hidden.length)} →`}
        </button>
      )}
    </div>
  );
}
