import { connectedComponents, type Component } from './connected-components';
import { alignedCorner, deriveFromPrevious, inPreviousOrder, pictureOf } from './derive-layout';
import type { ComponentLayout } from './layout-types';
import { estimateSize } from './estimate-size';
import { keepLayout } from './layout-store';
import type { GraphLayout, GroupChanges, LayoutGroup, LayoutInput, LayoutPositions, XY } from './layout-types';
import { packGroups, type GroupSize } from './pack-groups';
import { CELL_GAP, singlesGrid, singlesSlack } from './singles-grid';
import { TimeSlices } from '../../scheduling/time-slices';

const CACHE_LIMIT = 4000;
export const SINGLES = 'singles';

/**
 * Component layouts by structure. A new dependency usually touches one component, so laying the
 * graph out again after an edit lays out only that one.
 */
const cache = new Map<string, ComponentLayout>();

export interface PendingComponent {
  key: string;
  component: Component;
  /** A big component edited: the picture on screen, for the worker to keep what the edit allows. */
  previous?: GraphLayout;
}

/**
 * Up to this many cards an edited component's layout is derived from the picture on screen here,
 * on the window's thread (a few milliseconds); a bigger one is sent to a layout worker with the
 * picture, which derives it there (a 10,000-card component froze the window at each edit).
 */
export const DERIVE_IN_WINDOW_UP_TO = 1000;

interface PlannedGroup {
  anchor: string;
  key: string;
  ids: string[];
  estimate: { width: number; height: number };
  /** Where its tasks were in the previous layout (a part split off an old group). */
  hint?: XY;
  /** Taken from the picture on screen: exactly where its cards are. */
  corner?: XY;
}

/** A layout split into what is known (cached, the unconnected tasks) and the components still to lay out. */
export interface LayoutPlan {
  singles: Component['nodes'];
  /** The widest the grid of singles may be (LayoutInput.gridColumns), and the rows of parts as wide as it. */
  gridColumns?: number;
  rowWidth?: number;
  groups: PlannedGroup[];
  /** Components to lay out, those holding priority tasks (where work happens) first. */
  pending: PendingComponent[];
  previous: GraphLayout | null;
}

export interface PlanOptions {
  /** Tasks whose components are laid out first (running, recently failed): the first view shows them. */
  priority?: ReadonlySet<string>;
  /** The layout on screen: groups keep their places and components their order (see packGroups). */
  previous?: GraphLayout | null;
}

/**
 * What is known and what is to lay out, in time slices: on a 50,000-task plan the components, keys
 * and estimates make a long task of the window's thread.
 */
export async function planLayout(input: LayoutInput, options: PlanOptions = {}): Promise<LayoutPlan> {
  const slices = new TimeSlices();
  const previous = options.previous ?? null;
  const cell = (input.nodes[0]?.width ?? 0) + CELL_GAP;
  const rowWidth = input.gridColumns ? input.gridColumns * cell - CELL_GAP : undefined;
  const plan: LayoutPlan = { singles: [], groups: [], pending: [], previous, gridColumns: input.gridColumns, rowWidth };
  const queued = new Set<string>();
  const urgent: PendingComponent[] = [];
  const later: PendingComponent[] = [];
  for (const component of await connectedComponents(input, slices)) {
    if (component.edges.length === 0) {
      plan.singles.push(...component.nodes);
      continue;
    }
    const key = await signature(component, slices);
    const ids = component.nodes.map((node) => node.id);
    const cached = cache.get(key);
    const group: PlannedGroup = {
      anchor: ids.reduce((first, id) => (id < first ? id : first)),
      key,
      ids,
      estimate: cached ?? { width: 0, height: 0 },
      hint: previous ? cornerOf(ids, previous.positions) : undefined,
    };
    plan.groups.push(group);
    if (slices.due()) await slices.next();
    if (cached || queued.has(key)) continue;
    const important = options.priority && ids.some((id) => options.priority?.has(id));
    const queue = important ? urgent : later;
    if (previous && component.nodes.length > DERIVE_IN_WINDOW_UP_TO) {
      // Too big to touch here: the worker keeps what the edit allows, or lays it out again.
      const before = previous.groups.find((old) => old.anchor === group.anchor && !old.pending);
      group.estimate = before && before.ids.length === ids.length ? before.box : await estimateSize(component, slices);
      queued.add(key);
      queue.push({ key, component, previous });
      continue;
    }
    // An edit that leaves the component's cards where they are needs no layout at all.
    const derived = previous ? deriveFromPrevious(component, pictureOf(previous)) : null;
    if (derived) {
      rememberLayout(key, derived);
      group.estimate = derived;
      group.corner = previous ? (alignedCorner(derived, (id) => previous.positions[id]) ?? undefined) : undefined;
      continue;
    }
    // Only what is laid out again is put in order (that of the picture on screen) and estimated.
    const ordered = previous ? inPreviousOrder(component, (id) => previous.positions[id]) : component;
    group.estimate = await estimateSize(ordered, slices);
    queued.add(key);
    queue.push({ key, component: ordered });
  }
  plan.pending = [...urgent, ...later];
  return plan;
}

/** A component's layout, if it is known (computed, derived or kept), by its structure key. */
export const cachedLayout = (key: string): ComponentLayout | undefined => cache.get(key);

/**
 * Forgets every layout this window knows (not those kept for next session): the window as just
 * opened. The unit tests open one before each test, in a worker that runs file after file.
 */
export function forgetLayouts(): void {
  cache.clear();
}

/** Caches one component's layout as soon as it is known, so a plan made meanwhile already has it. */
export function rememberLayout(key: string, layout: ComponentLayout, keep = true): void {
  if (cache.size >= CACHE_LIMIT && !cache.has(key)) cache.clear();
  cache.set(key, layout);
  // Also for next session, so a big project reopens as it was left, without waiting for its layout.
  if (keep) keepLayout(key, layout);
}

/**
 * The canvas from what is laid out so far: groups not laid out yet are placeholders of their
 * estimated size, already in their places, so what is shown first does not move when the rest
 * arrives. `placedBefore`: the corners of the picture shown a moment ago, kept. In time slices:
 * placing a 50,000-task plan's cards and routes is a long task of the window's thread.
 */
export async function assemble(
  plan: LayoutPlan,
  computed: ReadonlyMap<string, ComponentLayout>,
  placedBefore: GraphLayout | null,
): Promise<GraphLayout> {
  const slices = new TimeSlices();
  const sizes: GroupSize[] = [];
  const previous = placedBefore ?? plan.previous;
  const previousSingles = previous?.groups.find((group) => group.anchor === SINGLES);
  const singles = singlesGrid(
    plan.singles,
    previousSingles && previous ? { positions: previous.positions, corner: previousSingles.box } : null,
    plan.gridColumns,
  );
  if (plan.singles.length > 0) {
    // Room for a new task below the grid; a lens gets no new tasks.
    const slack = plan.gridColumns ? 0 : singlesSlack(plan.singles);
    sizes.push({ anchor: SINGLES, width: singles.width, height: singles.height + slack });
  }
  const layouts = new Map<string, ComponentLayout | null>();
  for (const group of plan.groups) {
    const fresh = computed.get(group.key);
    const layout = fresh ?? cache.get(group.key) ?? null;
    layouts.set(group.anchor, layout);
    const size = layout ?? group.estimate;
    // Laid out again after an edit: placed so that most of its cards stay where they were.
    const before = plan.previous?.positions;
    const corner = group.corner ?? (fresh && before ? (alignedCorner(fresh, (id) => before[id]) ?? undefined) : undefined);
    sizes.push({ anchor: group.anchor, width: size.width, height: size.height, hint: group.hint, corner });
    if (slices.due()) await slices.next();
  }
  // A lens's parts in rows as wide as its grid: one readable screen's width.
  const corners = packGroups(sizes, previous ? placementOf(previous) : null, plan.rowWidth);

  const positions: LayoutPositions = {};
  const routes: GraphLayout['routes'] = {};
  const groups: LayoutGroup[] = [];
  if (plan.singles.length > 0) {
    const corner = corners.get(SINGLES) ?? { x: 0, y: 0 };
    for (const [id, p] of Object.entries(singles.positions)) positions[id] = { x: p.x + corner.x, y: p.y + corner.y };
    groups.push({
      anchor: SINGLES,
      box: { ...corner, width: singles.width, height: singles.height },
      ids: plan.singles.map((n) => n.id),
      pending: false,
    });
  }
  const before = new Map(previous?.groups.map((group) => [group.anchor, group]));
  const from = previous ? new WeakRef(previous) : null;
  for (const group of plan.groups) {
    const corner = corners.get(group.anchor) ?? { x: 0, y: 0 };
    const layout = layouts.get(group.anchor) ?? null;
    const size = layout ?? group.estimate;
    const old = before.get(group.anchor);
    const oldSource = old?.source as ComponentLayout | undefined;
    // Known against the picture before where the group was laid out there too (the scene then indexes only these).
    const changes: GroupChanges | undefined =
      layout && from && previous && oldSource ? { from, cards: [], cardsLeft: [], routes: [], routesLeft: [] } : undefined;
    groups.push({
      anchor: group.anchor,
      box: { ...corner, width: size.width, height: size.height },
      ids: group.ids,
      pending: layout === null,
      source: layout ?? undefined,
      changes,
    });
    if (!layout) continue;
    // Unchanged and in the same place: the same objects (nothing to allocate, nothing re-renders).
    const same = previous && oldSource === layout && old?.box.x === corner.x && old.box.y === corner.y ? previous : null;
    // Placed where it was laid out (a connected plan's one part): its own objects, which nothing changes. Copies of a
    // 50,000-task plan's cards and route points were a quarter of the opening's young-generation collections.
    const atOrigin = corner.x === 0 && corner.y === 0;
    // By key, not Object.entries: a pair per card and route is 150,000 arrays at once on a 50,000-task plan.
    // A card or route an edit left where it was keeps its object too: what is drawn from it and
    // indexed by it is kept, and only the others are changes.
    for (const id of Object.keys(layout.positions)) {
      const p = layout.positions[id] as XY;
      const was = previous?.positions[id];
      const x = p.x + corner.x;
      const y = p.y + corner.y;
      const placed = same ? (same.positions[id] as XY) : was && was.x === x && was.y === y ? was : atOrigin ? p : { x, y };
      positions[id] = placed;
      if (changes && !same) {
        const inGroup = oldSource !== undefined && Object.hasOwn(oldSource.positions, id);
        if (placed !== was || !inGroup) changes.cards.push([id, inGroup ? was : undefined]);
      }
      if (slices.due()) await slices.next();
    }
    for (const id of Object.keys(layout.routes)) {
      const points = layout.routes[id] as XY[];
      const was = previous?.routes[id];
      const placed = same
        ? (same.routes[id] as XY[])
        : was && samePlace(was, points, corner)
          ? was
          : atOrigin
            ? points
            : points.map((p) => ({ x: p.x + corner.x, y: p.y + corner.y }));
      routes[id] = placed;
      if (changes && !same) {
        const inGroup = oldSource !== undefined && Object.hasOwn(oldSource.routes, id);
        if (placed !== was || !inGroup) changes.routes.push([id, inGroup ? was : undefined]);
      }
      if (slices.due()) await slices.next();
    }
    if (!changes || same || !previous || !oldSource) continue;
    for (const id of Object.keys(oldSource.positions)) {
      const was = previous.positions[id];
      if (was && !Object.hasOwn(layout.positions, id)) changes.cardsLeft.push([id, was]);
      if (slices.due()) await slices.next();
    }
    for (const id of Object.keys(oldSource.routes)) {
      const was = previous.routes[id];
      if (was && !Object.hasOwn(layout.routes, id)) changes.routesLeft.push([id, was]);
      if (slices.due()) await slices.next();
    }
  }
  return { positions, routes, groups, bounds: boundsOf(groups) };
}

/** Whether `placed` is `points` moved by `corner`. */
function samePlace(placed: readonly XY[], points: readonly XY[], corner: XY): boolean {
  if (placed.length !== points.length) return false;
  for (let i = 0; i < points.length; i++) {
    const a = placed[i] as XY;
    const b = points[i] as XY;
    if (a.x !== b.x + corner.x || a.y !== b.y + corner.y) return false;
  }
  return true;
}

export function isComplete(layout: GraphLayout): boolean {
  return layout.groups.every((group) => !group.pending);
}

function placementOf(layout: GraphLayout): Map<string, XY> {
  return new Map(layout.groups.map((group) => [group.anchor, { x: group.box.x, y: group.box.y }]));
}

function boundsOf(groups: readonly LayoutGroup[]): GraphLayout['bounds'] {
  if (groups.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const { box } of groups) {
    left = Math.min(left, box.x);
    top = Math.min(top, box.y);
    right = Math.max(right, box.x + box.width);
    bottom = Math.max(bottom, box.y + box.height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function cornerOf(ids: readonly string[], positions: LayoutPositions): XY | undefined {
  let x = Infinity;
  let y = Infinity;
  for (const id of ids) {
    const p = positions[id];
    if (!p) continue;
    x = Math.min(x, p.x);
    y = Math.min(y, p.y);
  }
  return Number.isFinite(x) ? { x, y } : undefined;
}

/**
 * The structure alone, whatever the order (the order only guides the layout; a cached layout serves
 * any): the counts and two independent order-free sums of 32-bit hashes of the cards (id and
 * size) and of the edges. Linear: sorting every id and edge of a 10,000-task component was a long
 * task of the window's at each edit. Two sums of two hashes make a chance collision about 1 in 2^64.
 * The texts are hashed where they are (no string is built per card or edge).
 */
async function signature(component: Component, slices: TimeSlices): Promise<string> {
  let nodesA = 0;
  let nodesB = 0;
  for (const node of component.nodes) {
    nodesA = (nodesA + mix(fnvNumber(fnvNumber(fnv(node.id, SEED_A), node.width), node.height))) >>> 0;
    nodesB = (nodesB + mix(fnvNumber(fnvNumber(fnv(node.id, SEED_B), node.width), node.height))) >>> 0;
    if (slices.due()) await slices.next();
  }
  let edgesA = 0;
  let edgesB = 0;
  for (const edge of component.edges) {
    edgesA = (edgesA + mix(fnv(edge.target, fnvNumber(fnv(edge.source, SEED_A), EDGE)))) >>> 0;
    edgesB = (edgesB + mix(fnv(edge.target, fnvNumber(fnv(edge.source, SEED_B), EDGE)))) >>> 0;
    if (slices.due()) await slices.next();
  }
  return `${component.nodes.length}.${component.edges.length}.${nodesA.toString(36)}.${nodesB.toString(36)}.${edgesA.toString(36)}.${edgesB.toString(36)}`;
}

const SEED_A = 2166136261;
const SEED_B = 3141592653;
/** Between an edge's two ids: "a" then "bc" is not "ab" then "c". */
const EDGE = 0x3e;

/** FNV-1a over the text's UTF-16 units, continuing from `hash`. */
function fnv(text: string, hash: number): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h;
}

/** FNV-1a over a size (in sixteenths of a pixel) as two 16-bit halves. */
function fnvNumber(hash: number, value: number): number {
  const v = Math.round(value * 16);
  return Math.imul(Math.imul(hash ^ (v & 0xffff), 16777619) ^ (v >>> 16), 16777619);
}

/** A final mix, so near-equal texts spread over the 32 bits. */
function mix(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  return h >>> 0;
}
