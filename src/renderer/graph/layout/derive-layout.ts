import type { Component } from './connected-components';
import type { ComponentLayout } from './elk-layout';
import { edgeKey, type EdgeRoutes, type GraphLayout, type LayoutPositions, type XY } from './layout-types';
import { placeDependent, placeLoose } from './place-dependent';
import { routeNewEdge } from './route-edge';

/**
 * A component's layout taken from the picture on screen, when the edit allows it: every card
 * keeps its place and every edge its route. That is so when the component lost an edge (a
 * removed dependency; a part split off keeps its places too) or gained one from a card to a card
 * right of it (routed between the cards by routeNewEdge). A new dependency to a card not right of
 * it moves that card and what must follow it, and nothing else (placeDependent); one to or from a
 * task that had none places that task beside the card it joins (placeLoose). Anything else
 * returns null and is laid out by ELK. This is what keeps an edit local: nothing else on screen moves.
 */
export function deriveFromPrevious(component: Component, previous: GraphLayout): ComponentLayout | null {
  const cards = new Map<string, { x: number; y: number; width: number; height: number }>();
  for (const node of component.nodes) {
    const p = previous.positions[node.id];
    if (!p) return null;
    cards.set(node.id, { x: p.x, y: p.y, width: node.width, height: node.height });
  }
  const routes: EdgeRoutes = {};
  let added: Component['edges'][number] | null = null;
  for (const edge of component.edges) {
    const id = edgeKey(edge.source, edge.target);
    const route = previous.routes[id];
    if (route) routes[id] = route;
    else if (added) return null;
    else added = edge;
  }
  if (added) {
    const group = previous.groups.find((g) => g.ids.includes(added.source));
    const from = cards.get(added.source);
    const to = cards.get(added.target);
    if (!group || !from || !to) return null;
    // A task without dependencies joins the component: it alone is placed, beside the card it joins.
    if (!group.ids.includes(added.target)) return placeLoose(cards, routes, component.edges, added) ? relativeTo(cards, routes) : null;
    const route = routeNewEdge(from, to, [...cards.values()]);
    if (route) routes[edgeKey(added.source, added.target)] = route;
    // The dependent is not right of its new dependency: it (and what must follow it) moves, alone.
    else if (!placeDependent(cards, routes, component.edges, added)) return null;
  }
  return relativeTo(cards, routes);
}

function relativeTo(
  cards: ReadonlyMap<string, { x: number; y: number; width: number; height: number }>,
  routes: EdgeRoutes,
): ComponentLayout {
  let left = Infinity;
  let top = Infinity;
  for (const card of cards.values()) {
    left = Math.min(left, card.x);
    top = Math.min(top, card.y);
  }
  for (const points of Object.values(routes)) {
    for (const p of points) {
      left = Math.min(left, p.x);
      top = Math.min(top, p.y);
    }
  }
  const positions: LayoutPositions = {};
  let width = 0;
  let height = 0;
  for (const [id, card] of cards) {
    positions[id] = { x: card.x - left, y: card.y - top };
    width = Math.max(width, card.x + card.width - left);
    height = Math.max(height, card.y + card.height - top);
  }
  const relative: EdgeRoutes = {};
  for (const [id, points] of Object.entries(routes)) {
    relative[id] = points.map((p) => ({ x: p.x - left, y: p.y - top }));
    for (const p of points) {
      width = Math.max(width, p.x - left);
      height = Math.max(height, p.y - top);
    }
  }
  return { positions, routes: relative, width, height };
}

/**
 * Where to put a component ELK laid out again so that as many of its cards as possible stay where
 * they were: the shift most of its cards share. A new dependency that moves one card and those
 * after it leaves the rest of the component in place.
 */
export function alignedCorner(layout: ComponentLayout, before: LayoutPositions): XY | null {
  const votes = new Map<string, { corner: XY; count: number }>();
  let best: { corner: XY; count: number } | null = null;
  for (const [id, p] of Object.entries(layout.positions)) {
    const old = before[id];
    if (!old) continue;
    const corner = { x: Math.round(old.x - p.x), y: Math.round(old.y - p.y) };
    const key = `${corner.x},${corner.y}`;
    const entry = votes.get(key) ?? { corner, count: 0 };
    entry.count++;
    votes.set(key, entry);
    if (!best || entry.count > best.count) best = entry;
  }
  return best?.corner ?? null;
}
