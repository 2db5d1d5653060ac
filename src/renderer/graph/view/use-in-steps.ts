import { useEffect, useRef, useState } from 'react';

/** How long an idle moment may be waited for before the next step is taken anyway. */
const STEP_WITHIN_MS = 200;

/**
 * The items to put in the page now, out of `wanted` (in the order given): at once those `urgent`
 * says (what is on screen) and those already in the page, the others `step` at a time, the ones
 * `first` sorts first, one step per render and at least one each time the browser is idle.
 * Zooming in from compact cards to cards put the 190 cards and 460 edges of the area around the
 * screen in the page in one frame (a long task); now only the screen's are, and the
 * rest follow before they can be panned to.
 */
export function useInSteps<T>(
  wanted: readonly T[],
  urgent: (item: T) => boolean,
  first: (a: T, b: T) => number,
  step: number,
): readonly T[] {
  const inPage = useRef<ReadonlySet<T>>(new Set());
  const [, setSteps] = useState(0);
  const now = new Set<T>();
  const later: T[] = [];
  for (const item of wanted) {
    if (urgent(item) || inPage.current.has(item)) now.add(item);
    else later.push(item);
  }
  for (const item of later.sort(first).slice(0, step)) now.add(item);
  const shown = now.size === wanted.length ? wanted : wanted.filter((item) => now.has(item));
  const missing = wanted.length - shown.length;

  useEffect(() => {
    inPage.current = new Set(shown);
    if (missing === 0) return;
    const next = () => setSteps((steps) => steps + 1);
    if (typeof requestIdleCallback !== 'function') {
      const timer = setTimeout(next, 0);
      return () => clearTimeout(timer);
    }
    const idle = requestIdleCallback(next, { timeout: STEP_WITHIN_MS });
    return () => cancelIdleCallback(idle);
  }, [shown, missing]);

  return shown;
}
