import type { XY } from './layout-types';

interface Card {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Keeps a routed edge this far from cards it passes. */
const MARGIN = 10;

/**
 * Routes one new edge through a layered layout that is already drawn, without moving any card:
 * from the dependency's right side into the channel after its column, along a horizontal line that
 * is free of cards in every column it crosses, and down the channel before the dependent's column
 * to its left side. Only for a dependent to the right of its dependency (the usual new link);
 * anything else is laid out again. Returns null when the cards are not in columns.
 */
export function routeNewEdge(from: Card, to: Card, cards: readonly Card[]): XY[] | null {
  return routeThroughColumns(from, to, cardColumns(cards));
}

/**
 * routeNewEdge with the columns grouped once (cardColumns): routing many edges again after cards
 * moved (placeDependent) groups the cards once, not once per edge.
 */
export function routeThroughColumns(from: Card, to: Card, columns: CardColumns): XY[] | null {
  if (to.x < from.x + from.width) return null;
  const start = { x: from.x + from.width, y: from.y + from.height / 2 };
  const end = { x: to.x, y: to.y + to.height / 2 };
  const fromColumn = columns.indexOf.get(from.x) ?? -1;
  const toColumn = columns.indexOf.get(to.x) ?? -1;
  if (fromColumn < 0 || toColumn <= fromColumn) return null;
  // The channels between columns hold no cards; a vertical line there crosses nothing.
  const channel = (after: number) => {
    const left = columns.list[after]?.right ?? start.x;
    const right = columns.list[after + 1]?.left ?? left + 2 * MARGIN;
    return left + (right - left) * 0.35;
  };
  const first = channel(fromColumn);
  const last = channel(toColumn - 1);
  if (toColumn === fromColumn + 1) return [start, { x: first, y: start.y }, { x: first, y: end.y }, end];
  const between = columns.list.slice(fromColumn + 1, toColumn);
  const free = (y: number) =>
    between.every((column) => column.cards.every((card) => y < card.y - MARGIN || y > card.y + card.height + MARGIN));
  // Candidate heights: the two ends, and just above and below every card in the way.
  const candidates = [start.y, end.y];
  for (const column of between) for (const card of column.cards) candidates.push(card.y - MARGIN - 4, card.y + card.height + MARGIN + 4);
  let best: number | null = null;
  for (const y of candidates) {
    if (!free(y)) continue;
    if (best === null || Math.abs(y - start.y) + Math.abs(y - end.y) < Math.abs(best - start.y) + Math.abs(best - end.y)) best = y;
  }
  if (best === null) return null;
  return [start, { x: first, y: start.y }, { x: first, y: best }, { x: last, y: best }, { x: last, y: end.y }, end];
}

interface Column {
  left: number;
  right: number;
  cards: Card[];
}

/** Cards grouped by the x they start at (a layered layout's columns), left to right, and each column's index by its x. */
export interface CardColumns {
  list: Column[];
  indexOf: Map<number, number>;
}

export function cardColumns(cards: Iterable<Card>): CardColumns {
  const byLeft = new Map<number, Column>();
  for (const card of cards) {
    let column = byLeft.get(card.x);
    if (!column) {
      column = { left: card.x, right: card.x, cards: [] };
      byLeft.set(card.x, column);
    }
    column.right = Math.max(column.right, card.x + card.width);
    column.cards.push(card);
  }
  const list = [...byLeft.values()].sort((a, b) => a.left - b.left);
  return { list, indexOf: new Map(list.map((column, index) => [column.left, index])) };
}
