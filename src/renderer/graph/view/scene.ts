import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { Box, GraphLayout, XY } from '../layout/layout-types';
import { SpatialIndex } from './spatial-index';

const CELL = 1200;

export interface SceneEdge {
  id: string;
  source: string;
  target: string;
  points: XY[];
  box: Box;
}

/**
 * The laid-out graph prepared for drawing: an index of cards and one of edges (by their routes'
 * boxes), built once per layout. Every frame and every window move only queries it.
 */
export interface Scene {
  layout: GraphLayout;
  nodes: SpatialIndex<string>;
  edges: SpatialIndex<SceneEdge>;
  edgeList: SceneEdge[];
  /** Edges by the task they end at and start from, for keyboard moves along dependencies. */
  incoming: Map<string, string[]>;
  outgoing: Map<string, string[]>;
}

export function buildScene(layout: GraphLayout): Scene {
  const nodes = new SpatialIndex<string>(CELL);
  for (const [id, p] of Object.entries(layout.positions)) nodes.insert(id, { x: p.x, y: p.y, width: CARD_WIDTH, height: CARD_HEIGHT });
  const edges = new SpatialIndex<SceneEdge>(CELL);
  const edgeList: SceneEdge[] = [];
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const [id, points] of Object.entries(layout.routes)) {
    const arrow = id.indexOf('->');
    const source = id.slice(0, arrow);
    const target = id.slice(arrow + 2);
    const edge: SceneEdge = { id, source, target, points, box: boxOf(points) };
    edges.insert(edge, edge.box);
    edgeList.push(edge);
    push(incoming, target, source);
    push(outgoing, source, target);
  }
  return { layout, nodes, edges, edgeList, incoming, outgoing };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function boxOf(points: readonly XY[]): Box {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const { x, y } of points) {
    left = Math.min(left, x);
    top = Math.min(top, y);
    right = Math.max(right, x);
    bottom = Math.max(bottom, y);
  }
  return { x: left, y: top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/** An SVG path through the route's points with slightly rounded corners. */
export function routePath(points: readonly XY[], radius = 8): string {
  const first = points[0];
  if (!first) return '';
  let d = `M${first.x},${first.y}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i] as XY;
    const next = points[i + 1];
    if (!next) {
      d += `L${p.x},${p.y}`;
      break;
    }
    const prev = points[i - 1] as XY;
    const r = Math.min(radius, distance(prev, p) / 2, distance(p, next) / 2);
    const a = toward(p, prev, r);
    const b = toward(p, next, r);
    d += `L${a.x},${a.y}Q${p.x},${p.y} ${b.x},${b.y}`;
  }
  return d;
}

const distance = (a: XY, b: XY) => Math.hypot(a.x - b.x, a.y - b.y);

function toward(from: XY, to: XY, length: number): XY {
  const d = distance(from, to) || 1;
  return { x: from.x + ((to.x - from.x) / d) * length, y: from.y + ((to.y - from.y) / d) * length };
}
