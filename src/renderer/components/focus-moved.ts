/**
 * Whether the focus was moved somewhere on purpose since `from` had it: focus handed back a frame later (a
 * closed inspector's card, a card shown on request) must not take it back from where the person put it.
 * Focus fallen to the page's body (its holder was removed) is not a move.
 */
export function focusMovedSince(from: Element | null): boolean {
  const now = document.activeElement;
  return now !== null && now !== document.body && now !== from && now.isConnected;
}

/**
 * Moves the focus with `place` (true once done) as soon as what it needs is in the page: at once, then each frame, at
 * most `frames` more (after a view was chosen, its cards may not be there yet), else `otherwise`. A person who moved the
 * focus meanwhile keeps theirs.
 */
export function focusWhenShown(place: () => boolean, frames: number, otherwise?: () => void): void {
  const from = document.activeElement;
  let tries = 0;
  const attempt = () => {
    if (focusMovedSince(from) || place()) return;
    if (tries++ < frames) requestAnimationFrame(attempt);
    else otherwise?.();
  };
  attempt();
}
