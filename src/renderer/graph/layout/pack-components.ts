import type { Component } from './connected-components';
import type { ComponentLayout } from './dagre-layout';
import type { LayoutPositions } from './layout-types';

const COMPONENT_GAP = 72;
const CELL_GAP = 24;

/**
 * Places laid-out components on one canvas: tasks without any dependency in a grid at the top
 * (new tasks land there, easy to find and link), connected components stacked below it.
 */
export function packComponents(
  singles: Component['nodes'],
  laidOut: ComponentLayout[],
): LayoutPositions {
  const positions: LayoutPositions = {};
  let top = 0;
  if (singles.length > 0) {
    const columns = Math.max(4, Math.ceil(Math.sqrt(singles.length * 2)));
    let rowHeight = 0;
    let left = 0;
    singles.forEach((node, index) => {
      if (index > 0 && index % columns === 0) {
        top += rowHeight + CELL_GAP;
        left = 0;
        rowHeight = 0;
      }
      positions[node.id] = { x: left, y: top };
      left += node.width + CELL_GAP;
      rowHeight = Math.max(rowHeight, node.height);
    });
    top += rowHeight + COMPONENT_GAP;
  }
  for (const layout of laidOut) {
    for (const [id, position] of Object.entries(layout.positions)) {
      positions[id] = { x: position.x, y: position.y + top };
    }
    top += layout.height + COMPONENT_GAP;
  }
  return positions;
}
