/**
 * Whether the focus was moved somewhere on purpose since `from` had it: focus handed back a frame later (a
 * closed inspector's card, a card shown on request) must not take it back from where the person put it.
 * Focus fallen to the page's body (its holder was removed) is not a move.
 */
export function focusMovedSince(from: Element | null): boolean {
  const now = document.activeElement;
  return now !== null && now !== document.body && now !== from && now.isConnected;
}
