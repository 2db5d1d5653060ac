import { createContext, type ReactNode, useContext, useLayoutEffect, useState } from 'react';

/**
 * Whether a region's content is still coming: its pages' first loads (and a page's own code, loaded on first
 * visit) register while they are under way, and the region says `aria-busy` meanwhile. A screen reader then waits
 * for the page instead of reading "Loading…" and the half-made list; a test waits for the same mark.
 * Reloads after the first do not count: the page shows its data meanwhile.
 */
type Register = () => () => void;

const PendingLoads = createContext<Register>(() => () => undefined);

/** A `<main>` that is busy while a first load below it is under way. */
export function BusyMain({ className, children }: { className?: string; children: ReactNode }) {
  const [pending, setPending] = useState(0);
  // Stable for the region's life: a load registers once, however often its component renders.
  const [register] = useState<Register>(() => () => {
    setPending((n) => n + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      setPending((n) => n - 1);
    };
  });
  return (
    <PendingLoads.Provider value={register}>
      <main className={className} aria-busy={pending > 0}>
        {children}
      </main>
    </PendingLoads.Provider>
  );
}

/**
 * Counts toward the region's busy mark while `active` (a first load under way), and no longer once unmounted.
 * Registered before the browser paints (a layout effect): the region never reads as settled between a page's
 * first picture and its loads.
 */
export function usePendingLoad(active: boolean): void {
  const register = useContext(PendingLoads);
  useLayoutEffect(() => (active ? register() : undefined), [active, register]);
}

/** Rendered in place of content that is still loading (a Suspense fallback): counts while it shows. */
export function PendingLoad({ children }: { children: ReactNode }) {
  usePendingLoad(true);
  return children;
}
