import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { Component } from './connected-components';
import { edgeKey, type EdgeRoutes, type LayoutPositions, type XY } from './layout-types';

export interface ComponentLayout {
  positions: LayoutPositions;
  routes: EdgeRoutes;
  width: number;
  height: number;
}

export const NODE_GAP = 28;
export const LAYER_GAP = 80;
/** Up to this many tasks a component gets ELK's thorough settings; bigger ones its fast ones. */
const THOROUGH_UP_TO = 120;

const BASE_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  // Orthogonal edges in the channels between layers: they never pass under a card.
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
  'elk.spacing.nodeNode': String(NODE_GAP),
  'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '8',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
  // The input order (kept from the previous layout, see layout-graph.ts) breaks ties, so an edit
  // does not reshuffle cards it did not touch.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

/**
 * Big components: simple placement with one pass, as compact as the layering allows, and no
 * greedy-switch pass after crossing minimisation (the same size, a fraction of the time);
 * Brandes-Köpf placement with full thoroughness is several times slower and twice as tall.
 */
const FAST_OPTIONS: Record<string, string> = {
  ...BASE_OPTIONS,
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
};

const THOROUGH_OPTIONS: Record<string, string> = {
  ...BASE_OPTIONS,
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
};

/** Left-to-right layered layout of one connected component, positions relative to its own box. */
export async function layoutComponent(elk: ELK, component: Component): Promise<ComponentLayout> {
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: component.nodes.length <= THOROUGH_UP_TO ? THOROUGH_OPTIONS : FAST_OPTIONS,
    children: component.nodes.map((node) => ({ id: node.id, width: node.width, height: node.height })),
    edges: component.edges.map(
      (edge): ElkExtendedEdge => ({
        id: edgeKey(edge.source, edge.target),
        sources: [edge.source],
        targets: [edge.target],
      }),
    ),
  };
  const laid = await elk.layout(graph);
  const positions: LayoutPositions = {};
  let width = 0;
  let height = 0;
  for (const child of laid.children ?? []) {
    const x = child.x ?? 0;
    const y = child.y ?? 0;
    positions[child.id] = { x, y };
    width = Math.max(width, x + (child.width ?? 0));
    height = Math.max(height, y + (child.height ?? 0));
  }
  const routes: EdgeRoutes = {};
  for (const edge of laid.edges ?? []) {
    const section = edge.sections?.[0];
    if (!section) continue;
    const points: XY[] = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map(({ x, y }) => ({ x, y }));
    routes[edge.id] = points;
    for (const point of points) {
      width = Math.max(width, point.x);
      height = Math.max(height, point.y);
    }
  }
  return { positions, routes, width, height };
}
