import { useEffect, useState } from 'react';

/**
 * False until `ready` has been true for two animation frames (one painted frame), then true for
 * good. Lets secondary parts (the minimap) render after the first paint instead of delaying it.
 */
export function useAfterPaint(ready: boolean): boolean {
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!ready || done) return;
    let second = 0;
    const first = requestAnimationFrame(() => {
      second = requestAnimationFrame(() => setDone(true));
    });
    return () => {
      cancelAnimationFrame(first);
      cancelAnimationFrame(second);
    };
  }, [ready, done]);
  return done;
}
