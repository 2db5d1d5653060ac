import { useCallback, useRef, useState } from 'react';

/** A ref callback and the element's current width in px (0 while it is not in the page). */
export function useElementWidth<T extends HTMLElement>(): [(element: T | null) => void, number] {
  const [width, setWidth] = useState(0);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((element: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element) {
      setWidth(0);
      return;
    }
    setWidth(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') return;
    // The border box, as getBoundingClientRect gives: the padding and border cover the canvas too.
    observer.current = new ResizeObserver(([entry]) => setWidth(entry?.borderBoxSize?.[0]?.inlineSize ?? entry?.contentRect.width ?? 0));
    observer.current.observe(element);
  }, []);
  return [ref, width];
}
