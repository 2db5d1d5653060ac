import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createLayoutRunner, type LayoutRunner } from './layout-runner';

const LayoutRunnerContext = createContext<LayoutRunner | null>(null);

/**
 * Provides the window's layout runner. boot.ts creates it (and starts its workers) before the
 * first render, so the workers are ready by the time the graph arrives; without one given, a
 * runner is made here (tests, where there are no workers and layouts run synchronously).
 */
export function LayoutRunnerProvider({ runner: given, children }: { runner?: LayoutRunner; children: ReactNode }) {
  const [own] = useState(() => (given ? null : createLayoutRunner()));
  useEffect(() => () => own?.dispose(), [own]);
  return <LayoutRunnerContext.Provider value={given ?? own}>{children}</LayoutRunnerContext.Provider>;
}

export function useLayoutRunner(): LayoutRunner {
  const runner = useContext(LayoutRunnerContext);
  if (!runner) throw new Error('useLayoutRunner outside <LayoutRunnerProvider>');
  return runner;
}
