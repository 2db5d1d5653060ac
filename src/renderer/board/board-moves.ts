import type { BoardRow } from './board-columns';

/**
 * Where the keyboard goes on the board: pure index arithmetic over each column's rows (headings
 * are passed over; only cards take the focus).
 */

/** The card row nearest `from` going `step` rows (±1 a card, ±n a page), stopping at the column's ends; null when it has no card. */
export function cardRowFrom(rows: readonly BoardRow[], from: number, step: number): number | null {
  if (rows.length === 0) return null;
  const direction = step < 0 ? -1 : 1;
  const target = Math.max(0, Math.min(rows.length - 1, from + step));
  for (let index = target; index >= 0 && index < rows.length; index += direction) if (rows[index]?.type === 'card') return index;
  // Nothing further that way (a heading at the end): the nearest card back towards where it started.
  for (let index = target - direction; index >= 0 && index < rows.length; index -= direction)
    if (rows[index]?.type === 'card') return index;
  return null;
}

/** The first (or last) card row of a column, or null. */
export const edgeCardRow = (rows: readonly BoardRow[], end: 'first' | 'last'): number | null =>
  end === 'first' ? cardRowFrom(rows, -1, 1) : cardRowFrom(rows, rows.length, -1);

/**
 * The column the left or right arrow goes to: the nearest one that way with a card, or null at
 * the board's edge (empty columns are passed over).
 */
export function columnWithCards(columns: ReadonlyArray<readonly BoardRow[]>, from: number, direction: -1 | 1): number | null {
  for (let index = from + direction; index >= 0 && index < columns.length; index += direction) {
    if (columns[index]?.some((row) => row.type === 'card')) return index;
  }
  return null;
}
