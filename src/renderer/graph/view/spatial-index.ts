import type { Box } from '../layout/layout-types';

/** An item spanning more cells than this, down or across, is kept by its column or its row only. */
const LONG = 4;

/** A long item with the extent it has along its strip (filtered on query). */
interface Long<T> {
  item: T;
  from: number;
  to: number;
}

/**
 * A uniform grid over the canvas: which items lie in a rectangle, without looking at all of them.
 * The window draws only what is on screen; on 10,000 tasks a query visits a few cells, not every card.
 * An item much longer than a cell (a fan's edges run the height of its 5,000 cards) is kept once per
 * column it crosses with its top and bottom (or once per row, with its left and right, when it runs
 * across): put in every cell it crosses, a fan's 10,000 edges alone filled millions of them.
 */
export class SpatialIndex<T> {
  // Keyed by a number per cell (a string per cell and item made indexing a 50,000-task plan a long task).
  private readonly cells = new Map<number, T[]>();
  private readonly columns = new Map<number, Long<T>[]>();
  private readonly rows = new Map<number, Long<T>[]>();

  constructor(private readonly cell: number) {}

  insert(item: T, box: Box): void {
    this.insertBounds(item, box.x, box.y, box.x + box.width, box.y + box.height);
  }

  /** The same, from the item's left, top, right and bottom (no box to make per item). */
  insertBounds(item: T, left: number, top: number, right: number, bottom: number): void {
    const { cell } = this;
    const x0 = Math.floor(left / cell);
    const x1 = Math.floor(right / cell);
    const y0 = Math.floor(top / cell);
    const y1 = Math.floor(bottom / cell);
    if (y1 - y0 >= LONG && y1 - y0 >= x1 - x0) {
      for (let cx = x0; cx <= x1; cx++) add(this.columns, cx, { item, from: top, to: bottom });
      return;
    }
    if (x1 - x0 >= LONG) {
      for (let cy = y0; cy <= y1; cy++) add(this.rows, cy, { item, from: left, to: right });
      return;
    }
    for (let cx = x0; cx <= x1; cx++) for (let cy = y0; cy <= y1; cy++) add(this.cells, cellKey(cx, cy), item);
  }

  /** How many places the items are kept in (an item crossing many cells is kept once per cell). */
  get entries(): number {
    let count = 0;
    for (const map of [this.cells, this.columns, this.rows]) for (const list of map.values()) count += list.length;
    return count;
  }

  /** Items whose cells meet the rectangle (a superset of those meeting it exactly). */
  query(box: Box, into: Set<T> = new Set()): Set<T> {
    const { cell } = this;
    const x0 = Math.floor(box.x / cell);
    const x1 = Math.floor((box.x + box.width) / cell);
    const y0 = Math.floor(box.y / cell);
    const y1 = Math.floor((box.y + box.height) / cell);
    const bottom = box.y + box.height;
    const right = box.x + box.width;
    // A huge rectangle (zoomed far out) would visit more empty columns or rows than there are.
    if (x1 - x0 + 1 > this.columns.size * 4) {
      for (const list of this.columns.values()) meeting(list, box.y, bottom, into);
    } else for (let cx = x0; cx <= x1; cx++) meeting(this.columns.get(cx), box.y, bottom, into);
    if (y1 - y0 + 1 > this.rows.size * 4) {
      for (const list of this.rows.values()) meeting(list, box.x, right, into);
    } else for (let cy = y0; cy <= y1; cy++) meeting(this.rows.get(cy), box.x, right, into);
    // A huge rectangle would visit more empty cells than there are items.
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > this.cells.size * 4) {
      for (const list of this.cells.values()) for (const item of list) into.add(item);
      return into;
    }
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const list = this.cells.get(cellKey(cx, cy));
        if (list) for (const item of list) into.add(item);
      }
    }
    return into;
  }
}

function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The long items of a strip whose extent along it meets [from, to]. */
function meeting<T>(list: readonly Long<T>[] | undefined, from: number, to: number, into: Set<T>): void {
  if (!list) return;
  for (const long of list) if (long.from <= to && long.to >= from) into.add(long.item);
}

/** One number per cell: columns and rows within ±2^20 cells (a canvas far bigger than any graph's). */
const cellKey = (cx: number, cy: number) => cx * 2_097_152 + cy;

export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
