/** What the layout needs to know about the graph: ids, card sizes and dependency edges. */
export interface LayoutInput {
  nodes: Array<{ id: string; width: number; height: number }>;
  /** `source` must come before (left of) `target`: source = dependency, target = dependent. */
  edges: Array<{ source: string; target: string }>;
}

export interface XY {
  x: number;
  y: number;
}

/** Top-left corner of each node, in flow coordinates. */
export type LayoutPositions = Record<string, XY>;
