import dagre from '@dagrejs/dagre';
import type { Component } from './connected-components';
import { fastOrder } from './fast-order';
import type { LayoutPositions } from './layout-types';

export interface ComponentLayout {
  positions: LayoutPositions;
  width: number;
  height: number;
}

export const NODE_GAP = 24;
export const RANK_GAP = 72;

/**
 * Left-to-right dagre layout of one connected component, positions relative to its own box.
 * `fast` trades some crossing quality for speed on big graphs (see fast-order.ts).
 */
export function layoutComponent(component: Component, fast: boolean): ComponentLayout {
  const graph = new dagre.graphlib.Graph<object, { width: number; height: number; x?: number; y?: number }, object>();
  graph.setGraph({
    rankdir: 'LR',
    nodesep: NODE_GAP,
    ranksep: RANK_GAP,
    ranker: fast ? 'tight-tree' : 'network-simplex',
  });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of component.nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  for (const edge of component.edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph, fast ? { customOrder: (g) => fastOrder(g) } : {});

  const positions: LayoutPositions = {};
  let width = 0;
  let height = 0;
  for (const node of component.nodes) {
    const laid = graph.node(node.id);
    const x = (laid.x ?? 0) - node.width / 2;
    const y = (laid.y ?? 0) - node.height / 2;
    positions[node.id] = { x, y };
    width = Math.max(width, x + node.width);
    height = Math.max(height, y + node.height);
  }
  return { positions, width, height };
}
