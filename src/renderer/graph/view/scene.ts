import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { Box, GraphLayout, LayoutGroup, XY } from '../layout/layout-types';
import { intersects, SpatialIndex, type Bounds, type Move } from './spatial-index';

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
  edges(): GroupEdges;
  /** What is indexed already (null: not asked for yet), for the group's scene after an edit. */
  built(): { nodes: SpatialIndex<string> | null; edges: GroupEdges | null };
}

interface GroupEdges {
  index: SpatialIndex<string>;
  edge(id: string): SceneEdge;
  /** The edge objects made so far, by id. */
  made: ReadonlyMap<string, SceneEdge>;
}

/**
 * The laid-out graph prepared for drawing: per group, an index of its cards and one of its edges
 * (by their routes' boxes). Every frame and every window move only queries it; after an edit only
 * the groups that changed are indexed again, each from its index before the edit with the cards
 * and routes that moved (the rest of a 50,000-task plan's index is shared, not made again).
 */
export interface Scene {
  layout: GraphLayout;
  queryNodes(rect: Box, into?: Set<string>): Set<string>;
  queryEdges(rect: Box): Set<SceneEdge>;
  /** Dependencies (incoming) and dependents (outgoing) of each task, for keyboard moves. */
  links(): { incoming: Map<string, string[]>; outgoing: Map<string, string[]> };
}

const groupScenes = new WeakMap<object, Map<string, GroupScene>>();

/** Each scene's groups, by anchor: where the next scene finds a group's index before an edit. */
const sceneGroups = new WeakMap<Scene, Map<string, { group: LayoutGroup; scene: GroupScene | null }>>();

/** The scene of `layout`; `before`: the scene of the picture before it, whose indexes it starts from. */
export function buildScene(layout: GraphLayout, before: Scene | null = null): Scene {
  // What the scene before had indexed, group by group (not the scene itself: scenes must not hold each other in a chain).
  const starts = new Map<string, Before>();
  for (const [anchor, entry] of (before && sceneGroups.get(before)) ?? []) {
    const built = entry.scene?.built();
    if (before && built && (built.nodes || built.edges)) starts.set(anchor, { group: entry.group, layout: before.layout, ...built });
  }
  // Indexed on first use: the first view of a big graph touches the few groups on screen only.
  const groups = layout.groups.map((group) => ({ box: group.box, scene: null as GroupScene | null, group }));
  const sceneOf = (entry: (typeof groups)[number]): GroupScene => {
    if (!entry.scene) {
      entry.scene = groupScene(entry.group, layout, starts.get(entry.group.anchor) ?? null);
      starts.delete(entry.group.anchor);
    }
    return entry.scene;
  };
  let links: ReturnType<Scene['links']> | null = null;
  const scene: Scene = {
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
  sceneGroups.set(scene, new Map(groups.map((entry) => [entry.group.anchor, entry])));
  return scene;
}

/** The same group in the picture before an edit, with what its scene there had indexed. */
interface Before {
  group: LayoutGroup;
  layout: GraphLayout;
  nodes: SpatialIndex<string> | null;
  edges: GroupEdges | null;
}

/** A group's scene, reused while the group keeps its layout and its place, else made from its scene before. */
function groupScene(group: LayoutGroup, layout: GraphLayout, before: Before | null): GroupScene {
  if (!group.source) return lazyGroupScene(group, layout, null);
  const source = group.source;
  const key = `${group.box.x},${group.box.y}`;
  const cached = groupScenes.get(source)?.get(key);
  if (cached) return cached;
  const scene = lazyGroupScene(group, layout, before?.group.source ? before : null);
  const byCorner = groupScenes.get(source) ?? new Map<string, GroupScene>();
  byCorner.set(key, scene);
  groupScenes.set(source, byCorner);
  return scene;
}

function lazyGroupScene(group: LayoutGroup, layout: GraphLayout, before: Before | null): GroupScene {
  let nodes: SpatialIndex<string> | null = null;
  let edges: GroupEdges | null = null;
  // The picture before is held only until the index made from it is.
  let nodesBefore = before?.nodes ? before : null;
  let edgesBefore = before?.edges ? before : null;
  return {
    nodes() {
      if (nodes) return nodes;
      if (nodesBefore?.nodes) nodes = nodesBefore.nodes.moved(cardMoves(nodesBefore, group, layout));
      else {
        nodes = new SpatialIndex<string>(CELL);
        for (const id of group.ids) {
          const p = layout.positions[id];
          if (p) nodes.insertBounds(id, p.x, p.y, p.x + CARD_WIDTH, p.y + CARD_HEIGHT);
        }
      }
      nodesBefore = null;
      return nodes;
    },
    edges() {
      if (edges) return edges;
      const old = edgesBefore?.edges;
      let index: SpatialIndex<string>;
      if (edgesBefore && old) index = old.index.moved(routeMoves(edgesBefore, group, layout));
      else {
        // Indexed by id and bounds, with no object made per route: a 50,000-task plan has 100,000.
        index = new SpatialIndex<string>(CELL);
        for (const id of routeIds(group)) {
          const points = layout.routes[id];
          if (!points || points.length === 0) continue;
          const b = routeBounds(points);
          index.insertBounds(id, b.left, b.top, b.right, b.bottom);
        }
      }
      // An edge drawn before keeps its object while its route is the same (its path is not drawn again).
      const made = new Map<string, SceneEdge>();
      for (const [id, edge] of old?.made ?? []) if (layout.routes[id] === edge.points) made.set(id, edge);
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
      edges = { index, edge, made };
      edgesBefore = null;
      return edges;
    },
    built: () => ({ nodes, edges }),
  };
}

/** The ids of a group's routes (its component layout's). */
const routeIds = (group: LayoutGroup): string[] => (group.source ? Object.keys((group.source as { routes: object }).routes) : []);

/** Whether an id is one of the group's: a card or route of its component layout, else one of its ids. */
function membership(group: LayoutGroup, of: 'positions' | 'routes'): (id: string) => boolean {
  const source = group.source as Record<typeof of, object> | undefined;
  if (source) return (id) => Object.hasOwn(source[of], id);
  const ids = new Set(of === 'positions' ? group.ids : []);
  return (id) => ids.has(id);
}

const cardBounds = (p: XY) => ({ left: p.x, top: p.y, right: p.x + CARD_WIDTH, bottom: p.y + CARD_HEIGHT });

/**
 * The cards of the group that are not where they were in its index before: moved (the layout
 * keeps the position of a card that stayed), added, or gone (out of the graph, or into another group).
 */
function* cardMoves(before: Before, group: LayoutGroup, layout: GraphLayout): Generator<Move<string>> {
  const was = membership(before.group, 'positions');
  const is = membership(group, 'positions');
  for (const id of group.ids) {
    const p = layout.positions[id];
    const old = was(id) ? before.layout.positions[id] : undefined;
    if (p !== old) yield { item: id, before: old && cardBounds(old), after: p && cardBounds(p) };
  }
  for (const id of before.group.ids) {
    const old = before.layout.positions[id];
    if (old && !is(id)) yield { item: id, before: cardBounds(old) };
  }
}

/** The same for the group's routes: rerouted, new, or gone. */
function* routeMoves(before: Before, group: LayoutGroup, layout: GraphLayout): Generator<Move<string>> {
  const was = membership(before.group, 'routes');
  const is = membership(group, 'routes');
  const bounds = (points: XY[] | undefined) => (points && points.length > 0 ? routeBounds(points) : undefined);
  for (const id of routeIds(group)) {
    const points = layout.routes[id];
    const old = was(id) ? before.layout.routes[id] : undefined;
    if (points !== old) yield { item: id, before: bounds(old), after: bounds(points) };
  }
  for (const id of routeIds(before.group)) if (!is(id)) yield { item: id, before: bounds(before.layout.routes[id]) };
}

/** A route's bounds, at least one unit wide and high. */
function routeBounds(points: readonly XY[]): Bounds {
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
  return { left, top, right: Math.max(right, left + 1), bottom: Math.max(bottom, top + 1) };
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
