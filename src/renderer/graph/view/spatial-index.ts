import type { Box } from '../layout/layout-types';

/** Each level's cells are this many times as wide as the level's below. */
const GROWTH = 4;
/** More levels than any canvas needs (cells of CELL · 4^7 span far more than any graph). */
const LEVELS = 8;

/** An item's left, top, right and bottom. */
export interface Bounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** An item with its bounds (shared by the cells that hold it), so a query answers exactly. */
interface Entry<T> extends Bounds {
  item: T;
}

/** An item that moved: where it was (absent: it is new) and where it is (absent: it is gone). */
export interface Move<T> {
  item: T;
  before?: Bounds;
  after?: Bounds;
}

/**
 * A grid over the canvas, in levels of ever bigger cells: which items lie in a rectangle, without
 * looking at all of them. The window draws only what is on screen; on 10,000 tasks a query visits
 * a few cells, not every card. An item is kept at the lowest level where it spans at most two
 * cells each way, so it is in four cells at most however long it is: kept in every cell of the
 * finest grid it crosses, a fan's 10,000 edges (each running along thousands of cards) alone
 * filled hundreds of thousands of cells.
 *
 * After an edit the index of the picture before gives the one after (`moved`): only the cells the
 * moved items leave or enter are copied, the rest are shared, and the index before still answers
 * for the picture before.
 */
export class SpatialIndex<T> {
  // Keyed by a number per level and cell (a string per cell and item made indexing a 50,000-task plan a long task).
  private levels: Array<Map<number, Entry<T>[]>> = Array.from({ length: LEVELS }, () => new Map());
  private count = 0;

  constructor(private readonly cell: number) {}

  /**
   * An index of items all new to it, added one by one (`add`), then taken (`index`): what `moved`
   * makes from an empty index, without the moves it nets out and the cells it copies, whose objects
   * made indexing a 50,000-task plan's cards and routes a long task, most of it the collector's.
   */
  static builder<T>(cell: number): {
    add(item: T, left: number, top: number, right: number, bottom: number): void;
    index(): SpatialIndex<T>;
  } {
    const index = new SpatialIndex<T>(cell);
    return {
      add(item, left, top, right, bottom) {
        const entry: Entry<T> = { item, left, top, right, bottom };
        index.forCells(entry, (cells, key) => {
          const list = cells.get(key);
          if (list) list.push(entry);
          else cells.set(key, [entry]);
          index.count++;
        });
      },
      index: () => index,
    };
  }

  /**
   * A new index: this one with the moves made. Its cells are this one's, shared, except those an
   * item leaves or enters (copied once, then changed); this one is left as it was. An index is
   * made the same way: an empty one with every item new.
   */
  moved(moves: Iterable<Move<T>>): SpatialIndex<T> {
    const next = new SpatialIndex<T>(this.cell);
    next.levels = this.levels.map((cells) => new Map(cells));
    next.count = this.count;
    // One move per item, from where it was before the first to where the last left it (an item may move twice in one edit).
    const net = new Map<T, Move<T>>();
    for (const move of moves) {
      const earlier = net.get(move.item);
      net.set(move.item, earlier ? { ...move, before: earlier.before } : move);
    }
    const all = [...net.values()];
    const own = new Set<Entry<T>[]>();
    // What leaves each cell is gathered first, so that each cell's list is filtered once: a fan's hub cells hold
    // thousands of edges and one new dependency moves most of them, so looking each one up in its lists was
    // quadratic in the fan's width.
    const leaving = new Map<Map<number, Entry<T>[]>, Map<number, Set<T>>>();
    for (const { item, before } of all) {
      if (!before) continue;
      next.forCells(before, (cells, key) => {
        if (!cells.has(key)) return;
        const keys = leaving.get(cells) ?? new Map<number, Set<T>>();
        leaving.set(cells, keys);
        const items = keys.get(key) ?? new Set<T>();
        keys.set(key, items);
        items.add(item);
      });
    }
    for (const [cells, keys] of leaving) {
      for (const [key, items] of keys) {
        const list = cells.get(key) as Entry<T>[];
        const kept = list.filter((entry) => !items.has(entry.item));
        next.count -= list.length - kept.length;
        if (kept.length === 0) cells.delete(key);
        else {
          cells.set(key, kept);
          own.add(kept);
        }
      }
    }
    for (const { item, after } of all) {
      if (!after) continue;
      const entry = { item, left: after.left, top: after.top, right: after.right, bottom: after.bottom };
      next.forCells(entry, (cells, key) => {
        let list = cells.get(key);
        if (!list || !own.has(list)) {
          list = list ? list.slice() : [];
          own.add(list);
          cells.set(key, list);
        }
        list.push(entry);
        next.count++;
      });
    }
    return next;
  }

  /** The cells an item with these bounds is kept in (see levelOf). */
  private forCells(bounds: Bounds, each: (cells: Map<number, Entry<T>[]>, key: number) => void): void {
    const level = this.levelOf(bounds);
    const size = this.cell * GROWTH ** level;
    const cells = this.levels[level] as Map<number, Entry<T>[]>;
    for (let cx = Math.floor(bounds.left / size); cx <= Math.floor(bounds.right / size); cx++)
      for (let cy = Math.floor(bounds.top / size); cy <= Math.floor(bounds.bottom / size); cy++) each(cells, cellKey(cx, cy));
  }

  /** The lowest level where an item with these bounds spans at most two cells each way (the top level holds any). */
  private levelOf({ left, top, right, bottom }: Bounds): number {
    let size = this.cell;
    for (let level = 0; level < LEVELS - 1; level++, size *= GROWTH)
      if (Math.floor(right / size) - Math.floor(left / size) <= 1 && Math.floor(bottom / size) - Math.floor(top / size) <= 1) return level;
    return LEVELS - 1;
  }

  /** How many places the items are kept in (an item crossing several cells is kept once per cell). */
  get entries(): number {
    return this.count;
  }

  /** The items meeting the rectangle (edges touching it count). */
  query(box: Box, into: Set<T> = new Set()): Set<T> {
    const right = box.x + box.width;
    const bottom = box.y + box.height;
    const take = (list: readonly Entry<T>[] | undefined) => {
      if (!list) return;
      for (const entry of list)
        if (entry.left <= right && entry.right >= box.x && entry.top <= bottom && entry.bottom >= box.y) into.add(entry.item);
    };
    let size = this.cell;
    for (const cells of this.levels) {
      if (cells.size > 0) {
        const x0 = Math.floor(box.x / size);
        const x1 = Math.floor(right / size);
        const y0 = Math.floor(box.y / size);
        const y1 = Math.floor(bottom / size);
        // A huge rectangle (zoomed far out) would visit more empty cells than the level has.
        if ((x1 - x0 + 1) * (y1 - y0 + 1) > cells.size * 4) for (const list of cells.values()) take(list);
        else for (let cx = x0; cx <= x1; cx++) for (let cy = y0; cy <= y1; cy++) take(cells.get(cellKey(cx, cy)));
      }
      size *= GROWTH;
    }
    return into;
  }
}

/** One number per cell: columns and rows within ±2^20 cells (a canvas far bigger than any graph's). */
const cellKey = (cx: number, cy: number) => cx * 2_097_152 + cy;

export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
