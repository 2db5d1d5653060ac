import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { Box, GraphLayout, LayoutGroup, XY } from '../layout/layout-types';
import { intersects, SpatialIndex } from './spatial-index';

const CELL = 1200;

export interface SceneEdge {
  id: string;
  source: string;
  target: string;
  points: XY[];
  box: Box;
  /** Not placed by the layout yet (see unroutedEdges): drawn straight and dashed. */
  unrouted?: boolean;
}

/**
 * One group's cards and edges, each indexed when first asked for (the first picture asks for the
 * cards only); reused while the group keeps its layout and its place.
 */
interface GroupScene {
  nodes(): SpatialIndex<string>;
  /** The routes by id (`a->b`); each edge object is made when first drawn and kept. */
  edges(): { index: SpatialIndex<string>; edge(id: string): SceneEdge };
}

/**
 * The laid-out graph prepared for drawing: per group, an index of its cards and one of its edges
 * (by their routes' boxes). Every frame and every window move only queries it; after an edit only
 * the groups that changed are indexed again.
 */
export interface Scene {
  layout: GraphLayout;
  queryNodes(rect: Box, into?: Set<string>): Set<string>;
  queryEdges(rect: Box): Set<SceneEdge>;
  /** Dependencies (incoming) and dependents (outgoing) of each task, for keyboard moves. */
  links(): { incoming: Map<string, string[]>; outgoing: Map<string, string[]> };
}

const groupScenes = new WeakMap<object, Map<string, GroupScene>>();

export function buildScene(layout: GraphLayout): Scene {
  // Indexed on first use: the first view of a big graph touches the few groups on screen only.
  const groups = layout.groups.map((group) => ({ box: group.box, scene: null as GroupScene | null, group }));
  const sceneOf = (entry: (typeof groups)[number]): GroupScene => {
    entry.scene ??= groupScene(entry.group, layout);
    return entry.scene;
  };
  let links: ReturnType<Scene['links']> | null = null;
  return {
    layout,
    queryNodes(rect, into = new Set()) {
      for (const entry of groups) if (intersects(entry.box, rect)) sceneOf(entry).nodes().query(rect, into);
      return into;
    },
    queryEdges(rect) {
      const found = new Set<SceneEdge>();
      for (const entry of groups) {
        if (!intersects(entry.box, rect)) continue;
        const { index, edge } = sceneOf(entry).edges();
        for (const id of index.query(rect)) found.add(edge(id));
      }
      return found;
    },
    links() {
      if (links) return links;
      const incoming = new Map<string, string[]>();
      const outgoing = new Map<string, string[]>();
      for (const id of Object.keys(layout.routes)) {
        const arrow = id.indexOf('->');
        push(incoming, id.slice(arrow + 2), id.slice(0, arrow));
        push(outgoing, id.slice(0, arrow), id.slice(arrow + 2));
      }
      links = { incoming, outgoing };
      return links;
    },
  };
}

/** A group's scene, reused while the group keeps its layout and its place. */
function groupScene(group: LayoutGroup, layout: GraphLayout): GroupScene {
  if (!group.source) return lazyGroupScene(group.ids, () => [], layout);
  const source = group.source as { routes: Record<string, unknown> };
  const key = `${group.box.x},${group.box.y}`;
  const cached = groupScenes.get(source)?.get(key);
  if (cached) return cached;
  const scene = lazyGroupScene(group.ids, () => Object.keys(source.routes), layout);
  const byCorner = groupScenes.get(source) ?? new Map<string, GroupScene>();
  byCorner.set(key, scene);
  groupScenes.set(source, byCorner);
  return scene;
}

function lazyGroupScene(ids: readonly string[], edgeIds: () => readonly string[], layout: GraphLayout): GroupScene {
  let nodes: SpatialIndex<string> | null = null;
  let edges: ReturnType<GroupScene['edges']> | null = null;
  return {
    nodes() {
      if (nodes) return nodes;
      nodes = new SpatialIndex<string>(CELL);
      for (const id of ids) {
        const p = layout.positions[id];
        if (p) nodes.insertBounds(id, p.x, p.y, p.x + CARD_WIDTH, p.y + CARD_HEIGHT);
      }
      return nodes;
    },
    edges() {
      if (edges) return edges;
      // Indexed by id and bounds, with no object made per route: a 50,000-task plan has 100,000.
      const index = new SpatialIndex<string>(CELL);
      for (const id of edgeIds()) {
        const points = layout.routes[id];
        if (!points || points.length === 0) continue;
        let left = Infinity;
        let top = Infinity;
        let right = -Infinity;
        let bottom = -Infinity;
        for (const { x, y } of points) {
          if (x < left) left = x;
          if (x > right) right = x;
          if (y < top) top = y;
          if (y > bottom) bottom = y;
        }
        index.insertBounds(id, left, top, Math.max(right, left + 1), Math.max(bottom, top + 1));
      }
      const made = new Map<string, SceneEdge>();
      const edge = (id: string): SceneEdge => {
        let found = made.get(id);
        if (!found) {
          const points = layout.routes[id] as XY[];
          const arrow = id.indexOf('->');
          found = { id, source: id.slice(0, arrow), target: id.slice(arrow + 2), points, box: boxOf(points) };
          made.set(id, found);
        }
        return found;
      };
      edges = { index, edge };
      return edges;
    },
  };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function boxOf(points: readonly XY[]): Box {
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
