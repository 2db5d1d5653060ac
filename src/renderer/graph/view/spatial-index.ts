import type { Box } from '../layout/layout-types';

/**
 * A uniform grid over the canvas: which items lie in a rectangle, without looking at all of them.
 * The window draws only what is on screen; on 10,000 tasks a query visits a few cells, not every card.
 */
export class SpatialIndex<T> {
  // Keyed by a number per cell (a string per cell and item made indexing a 50,000-task plan a long task).
  private readonly cells = new Map<number, T[]>();

  constructor(private readonly cell: number) {}

  insert(item: T, box: Box): void {
    this.insertBounds(item, box.x, box.y, box.x + box.width, box.y + box.height);
  }

  /** The same, from the item's left, top, right and bottom (no box to make per item). */
  insertBounds(item: T, left: number, top: number, right: number, bottom: number): void {
    const { cell } = this;
    const x1 = Math.floor(right / cell);
    const y0 = Math.floor(top / cell);
    const y1 = Math.floor(bottom / cell);
    for (let cx = Math.floor(left / cell); cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const key = cellKey(cx, cy);
        const list = this.cells.get(key);
        if (list) list.push(item);
        else this.cells.set(key, [item]);
      }
    }
  }

  /** Items whose cells meet the rectangle (a superset of those meeting it exactly). */
  query(box: Box, into: Set<T> = new Set()): Set<T> {
    const { cell } = this;
    const x0 = Math.floor(box.x / cell);
    const x1 = Math.floor((box.x + box.width) / cell);
    const y0 = Math.floor(box.y / cell);
    const y1 = Math.floor((box.y + box.height) / cell);
    // A huge rectangle (zoomed far out) would visit more empty cells than there are items.
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

/** One number per cell: columns and rows within ±2^20 cells (a canvas far bigger than any graph's). */
const cellKey = (cx: number, cy: number) => cx * 2_097_152 + cy;

export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
