import { LAYER_GAP, NODE_GAP } from './elk-layout';
import { edgeKey, type Box, type EdgeRoutes, type LayoutInput, type XY } from './layout-types';
import { routeNewEdge } from './route-edge';

/** Keeps a moved card this far from the edges it is put beside (ELK's edge-node spacing). */
const EDGE_MARGIN = 14;

type Edge = LayoutInput['edges'][number];

/**
 * A new dependency whose dependent is not right of its dependency, placed without ELK: the
 * dependent moves to the column after its new dependency, at the free slot nearest to where it
 * was, and each of its dependents that would then not be right of it follows one column further,
 * and so on. Every other card keeps its place and every other edge its route; the moved cards'
 * edges are routed again between the columns (routeNewEdge). False when that cannot be done
 * without an edge under a card (then ELK lays the component out again). `cards` and `routes` are
 * the picture on screen, changed in place.
 */
export function placeDependent(cards: Map<string, Box>, routes: EdgeRoutes, edges: readonly Edge[], added: Edge): boolean {
  const lefts = columnLefts(cards);
  const columnOf = new Map<string, number>();
  for (const [id, card] of cards) columnOf.set(id, lefts.indexOf(card.x));
  const dependents = new Map<string, string[]>();
  for (const edge of edges) dependents.set(edge.source, [...(dependents.get(edge.source) ?? []), edge.target]);

  // Which cards must move right, and to which column: one after the furthest of their dependencies.
  const target = new Map<string, number>();
  let loop = false;
  const pull = (id: string, column: number) => {
    if (id === added.source) loop = true; // the store refuses loops; ELK will say more
    if (loop || column <= (target.get(id) ?? columnOf.get(id) ?? 0)) return;
    target.set(id, column);
    for (const next of dependents.get(id) ?? []) pull(next, column + 1);
  };
  pull(added.target, (columnOf.get(added.source) ?? 0) + 1);
  if (loop) return false;

  // Columns past the last one, as far apart as the gap between layers asks.
  const pitch = columnPitch(cards);
  const lastLeft = lefts.at(-1) ?? 0;
  const leftOf = (column: number) => lefts[column] ?? lastLeft + (column - lefts.length + 1) * pitch;

  const moved = [...target.keys()].sort((a, b) => (target.get(a) ?? 0) - (target.get(b) ?? 0));
  const staying = [...cards].filter(([id]) => !target.has(id)).map(([, card]) => card);
  const touches = (key: string) => moved.some((id) => key.startsWith(`${id}->`) || key.endsWith(`->${id}`));
  const kept = Object.entries(routes)
    .filter(([key]) => !touches(key))
    .map(([, points]) => points);
  const extent = extentOf(cards.values());
  const placed: Box[] = [];
  for (const id of moved) {
    const card = cards.get(id) as Box;
    const x = leftOf(target.get(id) ?? 0);
    // As near as it can be to where it was: the card the person is looking at moves least.
    const y = freeSlot(x, card, card.y, [...staying, ...placed], kept, extent);
    const box = { x, y, width: card.width, height: card.height };
    cards.set(id, box);
    placed.push(box);
  }

  // Route the moved cards' edges again; every one must find a way between the columns.
  for (const key of Object.keys(routes)) if (touches(key)) delete routes[key];
  const all = [...cards.values()];
  for (const edge of edges) {
    const key = edgeKey(edge.source, edge.target);
    if (key in routes) continue;
    const from = cards.get(edge.source);
    const to = cards.get(edge.target);
    const route = from && to ? routeNewEdge(from, to, all) : null;
    if (!route) return false;
    routes[key] = route;
  }
  return true;
}

/**
 * A new dependency to or from a task that had none (a loose task, say one just created), joining
 * it to a component laid out on screen: the loose card goes to the column after its new
 * dependency (or before its new dependent, in a new first column if need be), at the free slot
 * nearest to the card it joins. The component's cards and edges stay as they are. False when the
 * edge joins two components that both have other edges (ELK lays them out together then).
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
  const y = freeSlot(x, card, joined.y, [...cards.values()], Object.values(routes), extentOf(cards.values()));
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
 * The y nearest to `near` where a card of this size fits in the column at `x`, within `extent` if
 * it can: clear of the cards there (by ELK's node gap) and of the edges kept (by its edge spacing).
 */
function freeSlot(
  x: number,
  card: Box,
  near: number,
  cards: readonly Box[],
  routes: readonly XY[][],
  extent: { top: number; bottom: number },
): number {
  const inColumn = cards.filter((other) => other.x < x + card.width && other.x + other.width > x);
  const crossing: Array<{ top: number; bottom: number }> = [];
  for (const points of routes) {
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1] as XY;
      const b = points[i] as XY;
      // Only what runs across the column: the edges' vertical parts are in the channels between.
      if (Math.max(a.x, b.x) <= x || Math.min(a.x, b.x) >= x + card.width) continue;
      crossing.push({ top: Math.min(a.y, b.y) - EDGE_MARGIN, bottom: Math.max(a.y, b.y) + EDGE_MARGIN });
    }
  }
  const blocked = [...inColumn.map((other) => ({ top: other.y - NODE_GAP, bottom: other.y + other.height + NODE_GAP })), ...crossing];
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
