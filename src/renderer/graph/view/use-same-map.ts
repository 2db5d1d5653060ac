import { useMemo, useRef } from 'react';

/**
 * `next`, or the Map this returned before while it holds the same entries: what is memoised on it (the
 * canvas's wrapped titles, the overview's data) is kept when tasks change in other ways (a status).
 */
export function useSameMap<V>(next: ReadonlyMap<string, V>): ReadonlyMap<string, V> {
  const kept = useRef(next);
  return useMemo(() => {
    if (!sameEntries(kept.current, next)) kept.current = next;
    return kept.current;
  }, [next]);
}

function sameEntries<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [key, value] of b) if (a.get(key) !== value || !a.has(key)) return false;
  return true;
}
