import type { Component } from './connected-components';
import type { ComponentLayout } from './layout-types';
import { edgeKey, type EdgeRoutes, type GraphLayout, type LayoutPositions, type XY } from './layout-types';
import { placeDependent, placeLoose } from './place-dependent';
import { routeNewEdge } from './route-edge';

/**
 * The picture on screen as a derivation reads it: where each card was, each edge's route, and
 * which group (connected component) each task was in. From the layout itself in the window
 * (pictureOf), or from the arrays a layout worker is sent (layout-protocol.ts unpackPrevious).
 */
export interface PreviousPicture {
  position(id: string): XY | undefined;
  route(key: string): XY[] | undefined;
  /** An index standing for the task's group, or undefined when it was in none. */
  group(id: string): number | undefined;
}

export function pictureOf(layout: GraphLayout): PreviousPicture {
  return {
    position: (id) => layout.positions[id],
    route: (key) => layout.routes[key],
    group: (id) => {
      const index = layout.groups.findIndex((group) => group.ids.includes(id));
      return index < 0 ? undefined : index;
    },
  };
}

/**
 * A component's layout taken from the picture on screen, when the edit allows it: every card
 * keeps its place and every edge its route. That is so when the component lost an edge (a
 * removed dependency; a part split off keeps its places too) or gained one from a card to a card
 * right of it (routed between the cards by routeNewEdge). A new dependency to a card not right of
 * it moves that card and what must follow it, and nothing else (placeDependent); one to or from a
 * task that had none places that task beside the card it joins (placeLoose). Anything else
 * returns null and is laid out again. This is what keeps an edit local: nothing else on screen moves.
 */
export function deriveFromPrevious(component: Component, previous: PreviousPicture): ComponentLayout | null {
  const cards = new Map<string, { x: number; y: number; width: number; height: number }>();
  for (const node of component.nodes) {
    const p = previous.position(node.id);
    if (!p) return null;
    cards.set(node.id, { x: p.x, y: p.y, width: node.width, height: node.height });
  }
  const routes: EdgeRoutes = {};
  let added: Component['edges'][number] | null = null;
  for (const edge of component.edges) {
    const id = edgeKey(edge.source, edge.target);
    const route = previous.route(id);
    if (route) routes[id] = route;
    else if (added) return null;
    else added = edge;
  }
  if (added) {
    const group = previous.group(added.source);
    const from = cards.get(added.source);
    const to = cards.get(added.target);
    if (group === undefined || !from || !to) return null;
    // A task without dependencies joins the component: it alone is placed, beside the card it joins.
    if (previous.group(added.target) !== group) return placeLoose(cards, routes, component.edges, added) ? relativeTo(cards, routes) : null;
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
 * Where to put a component laid out again so that as many of its cards as possible stay where
 * they were: the shift most of its cards share. A new dependency that moves one card and those
 * after it leaves the rest of the component in place.
 */
export function alignedCorner(layout: ComponentLayout, before: (id: string) => XY | undefined): XY | null {
  // Counted by shift across, then down (no string or object made per card: a 50,000-card component is one task of the window's).
  const votes = new Map<number, Map<number, number>>();
  let best: XY | null = null;
  let most = 0;
  for (const id of Object.keys(layout.positions)) {
    const old = before(id);
    if (!old) continue;
    const p = layout.positions[id] as XY;
    const x = Math.round(old.x - p.x);
    const y = Math.round(old.y - p.y);
    let down = votes.get(x);
    if (!down) {
      down = new Map();
      votes.set(x, down);
    }
    const count = (down.get(y) ?? 0) + 1;
    down.set(y, count);
    if (count > most) {
      most = count;
      best = { x, y };
    }
  }
  return best;
}

/** The component's nodes and edges sorted as they stood on screen, so a new layout keeps that order. */
export function inPreviousOrder(component: Component, position: (id: string) => XY | undefined): Component {
  const rank = new Map<string, [number, number]>();
  for (const node of component.nodes) {
    const p = position(node.id);
    rank.set(node.id, p ? [p.x, p.y] : [Infinity, Infinity]);
  }
  const nodes = [...component.nodes].sort((a, b) => {
    const [ax, ay] = rank.get(a.id) as [number, number];
    const [bx, by] = rank.get(b.id) as [number, number];
    return ax - bx || ay - by;
  });
  const order = new Map(nodes.map((node, index) => [node.id, index]));
  const at = (id: string) => order.get(id) ?? 0;
  const edges = [...component.edges].sort((a, b) => at(a.source) - at(b.source) || at(a.target) - at(b.target));
  return { nodes, edges };
}
