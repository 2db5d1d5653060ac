import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useBackend } from '../api/backend-context';
import { GraphStore, type GraphState } from './graph-store';
import { startGraphStoreSync, type GraphStoreSync } from './graph-store-sync';

interface GraphContextValue {
  store: GraphStore;
  refresh: () => Promise<void>;
}

const GraphContext = createContext<GraphContextValue | null>(null);

interface GraphProviderProps {
  children: ReactNode;
  /** A store and its sync started before the app loaded (boot.ts), so loading starts at once. */
  store?: GraphStore;
  sync?: GraphStoreSync;
}

/** Owns the one graph store of the window and keeps it in sync with the backend. */
export function GraphProvider({ children, store: givenStore, sync: givenSync }: GraphProviderProps) {
  const { client, events } = useBackend();
  const [store] = useState(() => givenStore ?? new GraphStore());
  const [ownSync, setOwnSync] = useState<GraphStoreSync | null>(null);

  useEffect(() => {
    if (givenSync) return;
    const started = startGraphStoreSync(client, events, store);
    setOwnSync(started);
    return () => started.stop();
  }, [client, events, store, givenSync]);

  const sync = givenSync ?? ownSync;
  const value: GraphContextValue = { store, refresh: () => sync?.refresh() ?? Promise.resolve() };
  return <GraphContext.Provider value={value}>{children}</GraphContext.Provider>;
}

function useGraphContext(): GraphContextValue {
  const value = useContext(GraphContext);
  if (!value) throw new Error('graph hooks used outside <GraphProvider>');
  return value;
}

export function useGraph(): GraphState {
  const { store } = useGraphContext();
  return useSyncExternalStore(store.subscribe, store.getState);
}

export const useGraphStore = (): GraphStore => useGraphContext().store;
export const useGraphRefresh = (): (() => Promise<void>) => useGraphContext().refresh;
export const useSyncError = (): string | null => useGraph().error;
