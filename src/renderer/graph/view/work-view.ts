import type { Box, LayoutPositions, XY } from '../layout/layout-types';
import { boxAround, clearSize, fitsReadably, type CanvasArea } from './viewport-math';
import { READABLE_ZOOM } from './zoom-levels';

/** A grid cell of the lens: a card and the gap the layout leaves beside and below it (singles-grid.ts). */
const CELL = { width: 28, height: 28 };

/**
 * How to show a set of tasks (the work, or one state's tasks) whole and readable:
 * - `whole`: the whole graph fits the canvas readably: all of it;
 * - `frame`: the tasks lie close enough in the graph's own picture to be shown there readably: the
 *   box around them, grown by the neighbours that still fit;
 * - `lens`: they lie too far apart (a big plan's failures, each in another column), but few enough
 *   for one readable screen (or their most urgent part is): those tasks and as many of their
 *   neighbours as fit, laid out by themselves (`grid`: the grid of unlinked cards one readable
 *   screen holds; `whole`: false when only the most urgent part fits);
 * - `densest`: more than one screen holds: the part of the graph where most of them are.
 */
export type WorkView =
  | { kind: 'whole' }
  | { kind: 'frame'; box: Box }
  | { kind: 'lens'; ids: string[]; room: number; whole: boolean; grid: { columns: number; rows: number } }
  | { kind: 'densest' };

export interface WorkViewInput {
  /** The tasks to show, most urgent first. */
  target: readonly string[];
  /** How many of them (the first) are of the most urgent kind. */
  mostUrgent: number;
  /** How many of them (the first) a lens must hold; the rest (ready tasks) take its room before neighbours do. All when absent. */
  firm?: number;
  positions: Readonly<LayoutPositions>;
  /** The graph's picture is complete (every part laid out): `bounds` is all of it. */
  complete: boolean;
  bounds: Box;
  area: CanvasArea;
  card: { width: number; height: number };
  /** A task's direct neighbours, most telling first. */
  neighbours: (id: string) => readonly string[];
  /** The target's tasks and neighbours as far as `room` allows (work-set.ts withNeighbours). */
  lensOf: (target: readonly string[], room: number) => string[];
}

/** How many cards one readable screen of this canvas holds, in the grid a lens lays unlinked cards in. */
export function readableGrid(area: CanvasArea, card: { width: number; height: number }): { columns: number; rows: number } {
  const room = clearSize(area, READABLE_ZOOM);
  return {
    columns: Math.max(1, Math.floor((room.width + CELL.width) / (card.width + CELL.width))),
    rows: Math.max(1, Math.floor((room.height + CELL.height) / (card.height + CELL.height))),
  };
}

export function decideWorkView(input: WorkViewInput): WorkView {
  const { target, positions, area, card } = input;
  if (input.complete && fitsReadably(input.bounds, area)) return { kind: 'whole' };
  const placed = target.flatMap((id) => positions[id] ?? []);
  const box = boxAround(placed, card);
  if (box && placed.length === target.length && fitsReadably(box, area)) return { kind: 'frame', box: grownByNeighbours(box, input) };
  const lens = lensFor(target, input.mostUrgent, area, card, input.lensOf, undefined, input.firm);
  return lens
    ? { kind: 'lens', ids: lens.ids, room: lens.room, whole: lens.whole, grid: { columns: lens.gridColumns, rows: lens.rows } }
    : { kind: 'densest' };
}

/**
 * How much of a target one readable screen can show whole: all of it, else its most urgent part (all
 * of the most urgent kind, then the next as far as room goes), else nothing (0: more of the most
 * urgent kind than a screen holds; its densest part is shown where it is instead).
 */
export function lensShare(target: number, mostUrgent: number, capacity: number): number {
  if (target <= capacity) return target;
  return mostUrgent <= capacity ? capacity : 0;
}

/**
 * The lens of `target` on this canvas: its tasks and as many neighbours as leave it readable on one
 * screen (`room` cards at most: by default a share of what the screen's grid holds, as linked cards
 * take a layered layout's room, not a grid's), or null when the target alone is more than one
 * readable screen holds. Of the target only the first `firm` must be in it (what a person acts on):
 * the rest (the next ready tasks) take the room before any neighbour, and give it up first when the
 * lens comes out too big to read (a smaller `room`).
 */
export function lensFor(
  target: readonly string[],
  mostUrgent: number,
  area: CanvasArea,
  card: { width: number; height: number },
  lensOf: WorkViewInput['lensOf'],
  room?: number,
  firm: number = target.length,
): { ids: string[]; room: number; whole: boolean; gridColumns: number; rows: number } | null {
  const { columns, rows } = readableGrid(area, card);
  const share = lensShare(target.length, mostUrgent, columns * rows);
  if (share === 0) return null;
  const shown = target.slice(0, share);
  const must = Math.min(shown.length, firm);
  const cards = Math.max(must, room ?? Math.max(shown.length, Math.floor(columns * rows * NEIGHBOUR_SHARE)));
  return {
    ids: lensOf(shown.slice(0, Math.max(must, Math.min(shown.length, cards))), cards),
    room: cards,
    // Whole when all it must hold is in it (the ready tasks left out are said apart: "+N more ready").
    whole: share >= Math.min(target.length, firm),
    gridColumns: columns,
    rows,
  };
}

/** A lens laid out too big to read whole: the room for the next try, or null when only what it must hold (`target`) is left. */
export function smallerRoom(room: number, target: number): number | null {
  const next = Math.max(target, Math.floor(room * 0.7));
  return next < room ? next : null;
}

/** The share of one readable screen's grid a lens fills with its tasks and their neighbours. */
const NEIGHBOUR_SHARE = 0.6;

/** The box grown by the target's neighbours nearest to it, each as long as the box still fits readably. */
function grownByNeighbours(box: Box, input: WorkViewInput): Box {
  const { target, positions, area, card } = input;
  const inTarget = new Set(target);
  const centre: XY = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const near: Array<{ p: XY; distance: number }> = [];
  const seen = new Set<string>();
  for (const id of target) {
    for (const other of input.neighbours(id)) {
      const p = positions[other];
      if (!p || inTarget.has(other) || seen.has(other)) continue;
      seen.add(other);
      near.push({ p, distance: Math.hypot(p.x + card.width / 2 - centre.x, p.y + card.height / 2 - centre.y) });
    }
  }
  near.sort((a, b) => a.distance - b.distance);
  let grown = box;
  for (const { p } of near) {
    const candidate = boxAround(
      [grown, { x: grown.x + grown.width - card.width, y: grown.y + grown.height - card.height }, p],
      card,
    ) as Box;
    if (fitsReadably(candidate, area)) grown = candidate;
  }
  return grown;
}
