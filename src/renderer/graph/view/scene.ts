import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { Box, GraphLayout, GroupChanges, LayoutGroup, XY } from '../layout/layout-types';
import { TimeSlices } from '../../scheduling/time-slices';
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

/** What a group's cards or routes answer: the items meeting a rectangle (an index, or a scan until it is built). */
interface Query {
  query(rect: Box, into?: Set<string>): Set<string>;
}

/**
 * One group's cards and edges, each indexed when first asked for (the first picture asks for the
 * cards only); reused while the group keeps its layout and its place.
 */
interface GroupScene {
  nodes(): Query;
  /** The routes by id (`a->b`); each edge object is made when first drawn and kept. */
  edges(): GroupEdges;
  /** What is indexed already (null: not asked for yet, or still being built), for the group's scene after an edit. */
  built(): { nodes: SpatialIndex<string> | null; edges: BuiltEdges | null };
  /** Resolves once what was asked for so far is indexed (or given up: no scene since asked for it). */
  indexed(): Promise<void>;
  /** Asked for by the scene made `generation`-th: its indexes are built while the latest scene wants it. */
  want(generation: number): void;
}

interface GroupEdges {
  index: Query;
  edge(id: string): SceneEdge;
  /** The edge objects made so far, by id. */
  made: ReadonlyMap<string, SceneEdge>;
}

/** A group's routes indexed, with the edge objects made so far. */
interface BuiltEdges {
  index: SpatialIndex<string>;
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
  /** Resolves once every card and route asked for so far is indexed (a group made afresh is indexed in time slices). */
  indexed(): Promise<void>;
  /**
   * Starts indexing every group's cards and routes, in time slices after this task, before anything asks for them: a
   * view that moves over the whole plan (a search flying to a far task, Fit) queries indexes, not a scan of every route
   * at each frame (a 50,000-task plan's 100,000 routes, a frame of about 120 ms).
   */
  indexAll(): void;
}

const groupScenes = new WeakMap<object, Map<string, GroupScene>>();

/** Each scene's groups, by anchor: where the next scene finds a group's index before an edit. */
const sceneGroups = new WeakMap<Scene, Map<string, { group: LayoutGroup; scene: GroupScene | null }>>();

/** How many scenes were made: an index built in time slices for a scene since replaced, never asked for by a later one, is given up. */
let scenesMade = 0;

/** The scene of `layout`; `before`: the scene of the picture before it, whose indexes it starts from. */
export function buildScene(layout: GraphLayout, before: Scene | null = null): Scene {
  const generation = ++scenesMade;
  // What the scene before had indexed, group by group (not the scene itself: scenes must not hold each other in a chain).
  const starts = new Map<string, Before>();
  for (const [anchor, entry] of (before && sceneGroups.get(before)) ?? []) {
    const built = entry.scene?.built();
    if (before && built && (built.nodes || built.edges)) starts.set(anchor, { layout: before.layout, ...built });
  }
  // Indexed on first use: the first view of a big graph touches the few groups on screen only.
  const groups = layout.groups.map((group) => ({ box: group.box, scene: null as GroupScene | null, group }));
  const sceneOf = (entry: (typeof groups)[number]): GroupScene => {
    if (!entry.scene) {
      entry.scene = groupScene(entry.group, layout, starts.get(entry.group.anchor) ?? null);
      starts.delete(entry.group.anchor);
    }
    entry.scene.want(generation);
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
    indexed: () => Promise.all(groups.flatMap((entry) => (entry.scene ? [entry.scene.indexed()] : []))).then(() => undefined),
    indexAll() {
      for (const entry of groups) {
        const group = sceneOf(entry);
        group.nodes();
        group.edges();
      }
    },
  };
  sceneGroups.set(scene, new Map(groups.map((entry) => [entry.group.anchor, entry])));
  return scene;
}

/** The same group in the picture before an edit, with what its scene there had indexed. */
interface Before {
  layout: GraphLayout;
  nodes: SpatialIndex<string> | null;
  edges: BuiltEdges | null;
}

/** A group's scene, reused while the group keeps its layout and its place, else made from its scene before. */
function groupScene(group: LayoutGroup, layout: GraphLayout, before: Before | null): GroupScene {
  // Its changes lead from the picture the scene before showed: its indexes are where they start.
  const start = before && group.changes?.from.deref() === before.layout ? before : null;
  if (!group.source) return lazyGroupScene(group, layout, start);
  const source = group.source;
  const key = `${group.box.x},${group.box.y}`;
  const cached = groupScenes.get(source)?.get(key);
  if (cached) return cached;
  const scene = lazyGroupScene(group, layout, start);
  const byCorner = groupScenes.get(source) ?? new Map<string, GroupScene>();
  byCorner.set(key, scene);
  groupScenes.set(source, byCorner);
  return scene;
}

/**
 * A group's indexes, each made when first asked for: from the index before with the group's
 * changes, or, with none (the first picture, a group new to it, every task again after a lens),
 * from nothing, in time slices: a 50,000-task plan's 150,000 cards and routes were one long task of
 * the window's (Fit after the first view's lens). Until then a query scans the group's cards or
 * routes, a few milliseconds on the biggest plan.
 */
function lazyGroupScene(group: LayoutGroup, layout: GraphLayout, before: Before | null): GroupScene {
  let nodes: SpatialIndex<string> | null = null;
  let edges: BuiltEdges | null = null;
  // The indexes before are held only until the ones made from them are.
  let nodesBefore = before?.nodes ?? null;
  let edgesBefore = before?.edges ?? null;
  const changes = group.changes;
  let nodesBuilt: Promise<void> | null = null;
  let edgesBuilt: Promise<void> | null = null;
  let routeIds: string[] | null = null;
  // The latest scene that asked for this group: the opening's pictures come one after another, and building the
  // indexes of each one passed over made work that no one waited for.
  let wanted = 0;
  const passedOver = () => wanted < scenesMade;
  const everyRouteId = () => (routeIds ??= group.source ? Object.keys((group.source as { routes: object }).routes) : []);
  // An edge drawn before keeps its object while its route is the same (its path is not drawn again).
  const made = new Map<string, SceneEdge>();
  for (const [id, edge] of edgesBefore?.made ?? []) if (layout.routes[id] === edge.points) made.set(id, edge);
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
  const cardScan: Query = {
    query(rect, into = new Set()) {
      const right = rect.x + rect.width;
      const bottom = rect.y + rect.height;
      for (const id of group.ids) {
        const p = layout.positions[id];
        if (p && p.x <= right && p.x + CARD_WIDTH >= rect.x && p.y <= bottom && p.y + CARD_HEIGHT >= rect.y) into.add(id);
      }
      return into;
    },
  };
  const routeScan: Query = {
    query(rect, into = new Set()) {
      // As the index answers: the route's bounds meet the rectangle (read point by point, no object per route).
      const right = rect.x + rect.width;
      const bottom = rect.y + rect.height;
      const bounds: Bounds = { left: 0, top: 0, right: 0, bottom: 0 };
      for (const id of everyRouteId()) {
        const points = layout.routes[id];
        if (!points || points.length === 0) continue;
        const { left, top, right: far, bottom: low } = routeBoundsInto(points, bounds);
        if (left <= right && far >= rect.x && top <= bottom && low >= rect.y) into.add(id);
      }
      return into;
    },
  };
  return {
    nodes() {
      if (nodes) return nodes;
      if (nodesBefore && changes) {
        nodes = nodesBefore.moved(cardMoves(changes, layout));
        nodesBefore = null;
        return nodes;
      }
      nodesBuilt ??= inSlices(
        group.ids,
        (add, id) => {
          const p = layout.positions[id];
          if (p) add(id, p.x, p.y, p.x + CARD_WIDTH, p.y + CARD_HEIGHT);
        },
        passedOver,
      ).then((index) => {
        if (index) nodes = index;
        else nodesBuilt = null;
      });
      return cardScan;
    },
    edges() {
      if (edges) return { index: edges.index, edge, made };
      if (edgesBefore && changes) {
        edges = { index: edgesBefore.index.moved(routeMoves(changes, layout)), made };
        edgesBefore = null;
        return { index: edges.index, edge, made };
      }
      edgesBuilt ??= inSlices(
        everyRouteId(),
        (add, id) => {
          const points = layout.routes[id];
          if (!points || points.length === 0) return;
          const { left, top, right, bottom } = routeBounds(points);
          add(id, left, top, right, bottom);
        },
        passedOver,
      ).then((index) => {
        if (index) edges = { index, made };
        else edgesBuilt = null;
      });
      return { index: routeScan, edge, made };
    },
    built: () => ({ nodes, edges }),
    indexed: () => Promise.all([nodesBuilt, edgesBuilt]).then(() => undefined),
    want(generation) {
      wanted = Math.max(wanted, generation);
    },
  };
}

type Add = (id: string, left: number, top: number, right: number, bottom: number) => void;

/**
 * An index of `ids` made from nothing in time slices, each item added by `each` (if it has a place);
 * null when given up (`passedOver`, looked at between slices).
 */
async function inSlices(
  ids: readonly string[],
  each: (add: Add, id: string) => void,
  passedOver: () => boolean,
): Promise<SpatialIndex<string> | null> {
  const builder = SpatialIndex.builder<string>(CELL);
  const slices = new TimeSlices();
  // Not in the task that asked (a render): that one scans.
  await slices.next();
  for (const id of ids) {
    if (slices.due()) {
      await slices.next();
      if (passedOver()) return null;
    }
    each(builder.add, id);
  }
  return passedOver() ? null : builder.index();
}

const cardBounds = (p: XY): Bounds => ({ left: p.x, top: p.y, right: p.x + CARD_WIDTH, bottom: p.y + CARD_HEIGHT });
const routeBoundsOf = (points: XY[] | undefined) => (points && points.length > 0 ? routeBounds(points) : undefined);

function* cardMoves(changes: GroupChanges, layout: GraphLayout): Generator<Move<string>> {
  for (const [id, was] of changes.cards) {
    const p = layout.positions[id];
    yield { item: id, before: was && cardBounds(was), after: p && cardBounds(p) };
  }
  for (const [id, was] of changes.cardsLeft) yield { item: id, before: cardBounds(was) };
}

function* routeMoves(changes: GroupChanges, layout: GraphLayout): Generator<Move<string>> {
  for (const [id, was] of changes.routes) yield { item: id, before: routeBoundsOf(was), after: routeBoundsOf(layout.routes[id]) };
  for (const [id, was] of changes.routesLeft) yield { item: id, before: routeBoundsOf(was) };
}

/** A route's bounds, at least one unit wide and high. */
function routeBounds(points: readonly XY[]): Bounds {
  return routeBoundsInto(points, { left: 0, top: 0, right: 0, bottom: 0 });
}

/** A route's bounds written into `into` (a scan of every route reuses one object: no garbage per route). */
function routeBoundsInto(points: readonly XY[], into: Bounds): Bounds {
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
  into.left = left;
  into.top = top;
  into.right = Math.max(right, left + 1);
  into.bottom = Math.max(bottom, top + 1);
  return into;
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

/** A bend of a route as routePath rounds it: from `a`, curving at the bend `p`, to `b`. */
export interface RoundedCorner {
  a: XY;
  p: XY;
  b: XY;
}

/** The route's bends, each rounded by up to `radius` (less on a short leg: at most half of it). */
export function roundedCorners(points: readonly XY[], radius = 8): RoundedCorner[] {
  const corners: RoundedCorner[] = [];
  for (let i = 1; i < points.length - 1; i++) {
    const prev = points[i - 1] as XY;
    const p = points[i] as XY;
    const next = points[i + 1] as XY;
    const r = Math.min(radius, distance(prev, p) / 2, distance(p, next) / 2);
    corners.push({ a: toward(p, prev, r), p, b: toward(p, next, r) });
  }
  return corners;
}

/** An SVG path through the route's points with slightly rounded corners. */
export function routePath(points: readonly XY[]): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return '';
  let d = `M${first.x},${first.y}`;
  for (const { a, p, b } of roundedCorners(points)) d += `L${a.x},${a.y}Q${p.x},${p.y} ${b.x},${b.y}`;
  return points.length > 1 ? `${d}L${last.x},${last.y}` : d;
}

const distance = (a: XY, b: XY) => Math.hypot(a.x - b.x, a.y - b.y);

function toward(from: XY, to: XY, length: number): XY {
  const d = distance(from, to) || 1;
  return { x: from.x + ((to.x - from.x) / d) * length, y: from.y + ((to.y - from.y) / d) * length };
}
