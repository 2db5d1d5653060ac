import type { Component } from './connected-components';
import type { LayoutPositions, XY } from './layout-types';

export const CELL_GAP = 28;

/**
 * Tasks without any dependency, in a grid (new tasks land there, easy to find and link). A task
 * that was in the grid before keeps its cell; new ones take the first free cells, so adding or
 * linking one task does not shuffle the others. Positions are relative to the grid's corner.
 */
export function singlesGrid(
  nodes: Component['nodes'],
  previous: { positions: LayoutPositions; corner: XY } | null,
  /** At most this many columns (a lens's grid, fitted to the canvas). */
  maxColumns?: number,
): { positions: LayoutPositions; width: number; height: number } {
  const positions: LayoutPositions = {};
  if (nodes.length === 0) return { positions, width: 0, height: 0 };
  const cardWidth = nodes[0]?.width ?? 0;
  const cardHeight = nodes[0]?.height ?? 0;
  const cellWidth = cardWidth + CELL_GAP;
  const cellHeight = cardHeight + CELL_GAP;
  const wide = Math.max(4, Math.ceil(Math.sqrt(nodes.length * 2)));
  const columns = maxColumns ? Math.max(1, Math.min(maxColumns, wide)) : wide;
  const taken = new Set<number>();
  const waiting: Component['nodes'] = [];
  for (const node of nodes) {
    const before = previous?.positions[node.id];
    if (before) {
      const column = Math.round((before.x - previous.corner.x) / cellWidth);
      const row = Math.round((before.y - previous.corner.y) / cellHeight);
      const cell = row * columns + column;
      if (column >= 0 && column < columns && row >= 0 && !taken.has(cell)) {
        taken.add(cell);
        positions[node.id] = { x: column * cellWidth, y: row * cellHeight };
        continue;
      }
    }
    waiting.push(node);
  }
  let cell = 0;
  for (const node of waiting) {
    while (taken.has(cell)) cell++;
    taken.add(cell);
    positions[node.id] = { x: (cell % columns) * cellWidth, y: Math.floor(cell / columns) * cellHeight };
  }
  let rows = 0;
  let usedColumns = 0;
  for (const used of taken) {
    rows = Math.max(rows, Math.floor(used / columns) + 1);
    usedColumns = Math.max(usedColumns, (used % columns) + 1);
  }
  return { positions, width: usedColumns * cellWidth - CELL_GAP, height: rows * cellHeight - CELL_GAP };
}

/** Room kept below the grid for one more row, so a new task does not push the groups under it. */
export const singlesSlack = (nodes: Component['nodes']): number => (nodes[0]?.height ?? 0) + CELL_GAP;
