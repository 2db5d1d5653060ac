/** What the layout needs to know about the graph: ids, card sizes and dependency edges. */
export interface LayoutInput {
  nodes: Array<{ id: string; width: number; height: number }>;
  /** `source` must come before (left of) `target`: source = dependency, target = dependent. */
  edges: Array<{ source: string; target: string }>;
  /** The grid of tasks without links is at most this many cards wide (a lens fitted to the canvas). */
  gridColumns?: number;
}

export interface XY {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Top-left corner of each node, in flow coordinates. */
export type LayoutPositions = Record<string, XY>;

/** Each edge's path (`dependency->task`), from the dependency's right side to the task's left side. */
export type EdgeRoutes = Record<string, XY[]>;

/**
 * A part of the canvas laid out as one: a connected component, or the grid of tasks without any
 * dependency. The canvas shows groups as clusters when zoomed far out, and a group still being laid
 * out as a placeholder of its estimated size.
 */
export interface LayoutGroup {
  /** Stable across edits: the id of the group's first task (or "singles" for the grid). */
  anchor: string;
  box: Box;
  ids: string[];
  /** Not laid out yet: `box` is an estimate and its tasks have no positions. */
  pending: boolean;
  /** The component layout it was placed from: unchanged with its corner, its positions are reused as they are. */
  source?: object;
  /** What changed since the picture before (absent: nothing known, such as for a group new to the picture). */
  changes?: GroupChanges;
}

/**
 * A group's cards and routes that are not where they were in the picture before (`from`), each
 * with where it was in this group then (absent: it was not in it): moved, or new to the group; and
 * those that left it (out of the graph, or into another group). The rest kept their objects.
 */
export interface GroupChanges {
  from: WeakRef<GraphLayout>;
  cards: Array<[string, XY | undefined]>;
  cardsLeft: Array<[string, XY]>;
  routes: Array<[string, XY[] | undefined]>;
  routesLeft: Array<[string, XY[]]>;
}

/** One component laid out: positions and routes relative to its own box, and that box's size. */
export interface ComponentLayout {
  positions: LayoutPositions;
  routes: EdgeRoutes;
  width: number;
  height: number;
}

export interface GraphLayout {
  positions: LayoutPositions;
  routes: EdgeRoutes;
  groups: LayoutGroup[];
  /** Every group's box together. */
  bounds: Box;
  /** Set when a part could not be laid out properly and is drawn with the simple fallback: what to tell people. */
  notice?: string;
}

export const EMPTY_LAYOUT: GraphLayout = { positions: {}, routes: {}, groups: [], bounds: { x: 0, y: 0, width: 0, height: 0 } };

export const edgeKey = (source: string, target: string): string => `${source}->${target}`;
