import { LAYER_GAP, NODE_GAP } from './layered-layout';
import { edgeKey, type Box, type EdgeRoutes, type LayoutInput, type XY } from './layout-types';
import { cardColumns, routeNewEdge, routeThroughColumns } from './route-edge';

/** Keeps a moved card this far from the edges it is put beside (the layout's edge-node spacing). */
const EDGE_MARGIN = 14;

type Edge = LayoutInput['edges'][number];

/**
 * A new dependency whose dependent is not right of its dependency, placed without laying the component out again: the
 * dependent moves to the column after its new dependency, at the free slot nearest to where it
 * was, and each of its dependents that would then not be right of it follows one column further,
 * and so on. Every other card keeps its place and every other edge its route; the moved cards'
 * edges are routed again between the columns (routeNewEdge). False when that cannot be done
 * without an edge under a card (then the component is laid out again). `cards` and `routes` are
 * the picture on screen, changed in place.
 *
 * It runs on the window's thread for components up to DERIVE_IN_WINDOW_UP_TO cards (layout-graph.ts),
 * so every step is a loop, linear or n·log n in what it touches: a 20,000-task chain whose every
 * card moves once overflowed the stack (a recursive pull per dependent) and took seconds (each
 * moved card compared with every card and route).
 */
export function placeDependent(cards: Map<string, Box>, routes: EdgeRoutes, edges: readonly Edge[], added: Edge): boolean {
  const lefts = columnLefts(cards);
  const columnIndex = new Map(lefts.map((x, index) => [x, index]));
  const columnOf = (id: string) => columnIndex.get(cards.get(id)?.x ?? Number.NaN) ?? 0;
  const dependents = new Map<string, string[]>();
  for (const edge of edges) {
    const list = dependents.get(edge.source);
    if (list) list.push(edge.target);
    else dependents.set(edge.source, [edge.target]);
  }

  const target = columnsToMoveTo(added, dependents, columnOf);
  if (!target) return false;

  // Columns past the last one, as far apart as the gap between layers asks.
  const pitch = columnPitch(cards);
  const lastLeft = lefts.at(-1) ?? 0;
  const leftOf = (column: number) => lefts[column] ?? lastLeft + (column - lefts.length + 1) * pitch;

  const moved = [...target.keys()].sort((a, b) => (target.get(a) ?? 0) - (target.get(b) ?? 0));
  const touched = new Set<string>();
  for (const edge of edges) if (target.has(edge.source) || target.has(edge.target)) touched.add(edgeKey(edge.source, edge.target));
  const occupied = new ColumnIndex(pitch);
  for (const [id, card] of cards) if (!target.has(id)) occupied.addCard(card);
  for (const [key, points] of Object.entries(routes)) if (!touched.has(key)) occupied.addRoute(points);
  const extent = extentOf(cards.values());
  for (const id of moved) {
    const card = cards.get(id) as Box;
    const x = leftOf(target.get(id) ?? 0);
    // As near as it can be to where it was: the card the person is looking at moves least.
    const y = freeSlot(card, card.y, occupied.cardsAcross(x, card.width), occupied.routesAcross(x, card.width), extent);
    const box = { x, y, width: card.width, height: card.height };
    cards.set(id, box);
    occupied.addCard(box);
  }

  // Route the moved cards' edges again; every one must find a way between the columns.
  for (const key of touched) delete routes[key];
  const columns = cardColumns(cards.values());
  for (const edge of edges) {
    const key = edgeKey(edge.source, edge.target);
    if (key in routes) continue;
    const from = cards.get(edge.source);
    const to = cards.get(edge.target);
    const route = from && to ? routeThroughColumns(from, to, columns) : null;
    if (!route) return false;
    routes[key] = route;
  }
  return true;
}

/**
 * Which cards must move right, and to which column: one after the furthest of their dependencies
 * that moved. A longest-path relaxation over what the new dependency reaches, in topological order
 * (a queue, no recursion), so each card is looked at once. Null when the new dependency closes a
 * loop (the store refuses loops).
 */
function columnsToMoveTo(
  added: Edge,
  dependents: ReadonlyMap<string, readonly string[]>,
  columnOf: (id: string) => number,
): Map<string, number> | null {
  // What the dependent reaches, and how many of its dependencies lie within that.
  const waiting = new Map<string, number>([[added.target, 0]]);
  const reached = [added.target];
  for (let head = 0; head < reached.length; head++) {
    for (const next of dependents.get(reached[head] as string) ?? []) {
      if (next === added.source) return null;
      const count = waiting.get(next);
      if (count === undefined) {
        waiting.set(next, 1);
        reached.push(next);
      } else waiting.set(next, count + 1);
    }
  }
  const need = new Map<string, number>([[added.target, columnOf(added.source) + 1]]);
  const target = new Map<string, number>();
  const ready = [added.target];
  for (let head = 0; head < ready.length; head++) {
    const id = ready[head] as string;
    const column = need.get(id);
    const moves = column !== undefined && column > columnOf(id);
    if (moves) target.set(id, column);
    for (const next of dependents.get(id) ?? []) {
      if (moves) need.set(next, Math.max(need.get(next) ?? -Infinity, column + 1));
      const left = (waiting.get(next) ?? 1) - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  return target;
}

/**
 * The cards and the edges' horizontal runs by vertical strips of the canvas, so finding what lies
 * across one column looks at that column only (not at every card and route of the component).
 */
class ColumnIndex {
  private readonly cards = new Map<number, Box[]>();
  private readonly runs = new Map<number, Span[]>();
  constructor(private readonly strip: number) {}

  private strips(left: number, right: number): number[] {
    const first = Math.floor(left / this.strip);
    const last = Math.floor(right / this.strip);
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  }

  addCard(card: Box): void {
    for (const strip of this.strips(card.x, card.x + card.width)) push(this.cards, strip, card);
  }

  addRoute(points: readonly XY[]): void {
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1] as XY;
      const b = points[i] as XY;
      const run = { left: Math.min(a.x, b.x), right: Math.max(a.x, b.x), top: Math.min(a.y, b.y), bottom: Math.max(a.y, b.y) };
      for (const strip of this.strips(run.left, run.right)) push(this.runs, strip, run);
    }
  }

  /** The cards overlapping the column from x to x + width (each once). */
  cardsAcross(x: number, width: number): Box[] {
    const found = new Set<Box>();
    for (const strip of this.strips(x, x + width))
      for (const card of this.cards.get(strip) ?? []) if (card.x < x + width && card.x + card.width > x) found.add(card);
    return [...found];
  }

  /** The parts of edges running across that column (their vertical parts are in the channels between). */
  routesAcross(x: number, width: number): Span[] {
    const found = new Set<Span>();
    for (const strip of this.strips(x, x + width))
      for (const run of this.runs.get(strip) ?? []) if (run.right > x && run.left < x + width) found.add(run);
    return [...found];
  }
}

interface Span {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function push<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * A new dependency to or from a task that had none (a loose task, say one just created), joining
 * it to a component laid out on screen: the loose card goes to the column after its new
 * dependency (or before its new dependent, in a new first column if need be), at the free slot
 * nearest to the card it joins. The component's cards and edges stay as they are. False when the
 * edge joins two components that both have other edges (they are laid out together then).
 */
export function placeLoose(cards: Map<string, Box>, routes: EdgeRoutes, edges: readonly Edge[], added: Edge): boolean {
  const degree = (id: string) => edges.reduce((count, edge) => count + (edge.source === id || edge.target === id ? 1 : 0), 0);
  const looseDependent = degree(added.target) === 1;
  const loose = looseDependent ? added.target : degree(added.source) === 1 ? added.source : null;
  const joined = cards.get(looseDependent ? added.source : added.target);
  const card = loose ? cards.get(loose) : undefined;
  if (!loose || !card || !joined) return false;
  cards.delete(loose);
  const lefts = columnLefts(cards);
  const column = lefts.indexOf(joined.x) + (looseDependent ? 1 : -1);
  const pitch = columnPitch(cards);
  const x = column < 0 ? (lefts[0] ?? joined.x) - pitch : (lefts[column] ?? (lefts.at(-1) ?? joined.x) + pitch);
  const occupied = new ColumnIndex(pitch);
  for (const other of cards.values()) occupied.addCard(other);
  for (const points of Object.values(routes)) occupied.addRoute(points);
  const y = freeSlot(card, joined.y, occupied.cardsAcross(x, card.width), occupied.routesAcross(x, card.width), extentOf(cards.values()));
  const box = { x, y, width: card.width, height: card.height };
  cards.set(loose, box);
  const all = [...cards.values()];
  const route = looseDependent ? routeNewEdge(joined, box, all) : routeNewEdge(box, joined, all);
  if (!route) return false;
  routes[edgeKey(added.source, added.target)] = route;
  return true;
}

const columnLefts = (cards: ReadonlyMap<string, Box>) => [...new Set([...cards.values()].map((card) => card.x))].sort((a, b) => a - b);

/** How far apart a new column goes: the widest card and the gap between layers. */
const columnPitch = (cards: ReadonlyMap<string, Box>) =>
  [...cards.values()].reduce((most, card) => Math.max(most, card.width), 0) + LAYER_GAP;

/**
 * The y nearest to `near` where a card of this size fits in its column, within `extent` if
 * it can: clear of the cards there (by the layout's node gap) and of the edges running across it (by its
 * edge spacing). `cards` and `runs`: those across the column (ColumnIndex).
 */
function freeSlot(card: Box, near: number, cards: readonly Box[], runs: readonly Span[], extent: { top: number; bottom: number }): number {
  const blocked = [
    ...cards.map((other) => ({ top: other.y - NODE_GAP, bottom: other.y + other.height + NODE_GAP })),
    ...runs.map((run) => ({ top: run.top - EDGE_MARGIN, bottom: run.bottom + EDGE_MARGIN })),
  ];
  const fits = (y: number) => blocked.every((span) => y + card.height <= span.top || y >= span.bottom);
  const candidates = [near, ...blocked.flatMap((span) => [span.top - card.height, span.bottom])];
  // A slot within the component's height first, then below it: a taller component pushes the
  // groups under it down, and one grown upwards would itself be pushed down, all its cards with it.
  const rank = (y: number) => (y < extent.top ? 2 : y + card.height > extent.bottom ? 1 : 0);
  let best: number | null = null;
  for (const y of candidates) {
    if (!fits(y)) continue;
    const better = best === null || rank(y) < rank(best) || (rank(y) === rank(best) && Math.abs(y - near) < Math.abs(best - near));
    if (better) best = y;
  }
  // Below everything always fits.
  return best ?? blocked.reduce((lowest, span) => Math.max(lowest, span.bottom), near);
}

/** The top and bottom of the cards (a component's height). */
function extentOf(cards: Iterable<Box>): { top: number; bottom: number } {
  let top = Infinity;
  let bottom = -Infinity;
  for (const card of cards) {
    top = Math.min(top, card.y);
    bottom = Math.max(bottom, card.y + card.height);
  }
  return { top, bottom };
}
