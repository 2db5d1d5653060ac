/**
 * How long a move of the graph's view takes: none for a person whose system asks for less motion
 * (`prefers-reduced-motion`, which the CSS honours too: styles/base.css). Read at each move, so a change
 * of the setting counts from the next one.
 */
export function viewMoveMs(ms: number): number {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : ms;
}
