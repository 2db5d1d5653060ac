import { createContext, useContext, type ReactNode } from 'react';
import type { WgClient } from '../../shared/client';
import type { Backend, WgEvents } from './backend';

const BackendContext = createContext<Backend | null>(null);

export function BackendProvider({ backend, children }: { backend: Backend; children: ReactNode }) {
  return <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>;
}

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend outside <BackendProvider>');
  return backend;
}

/** The backend where there is one: a card drawn alone (a test, a preview) has none. */
export const useBackendIfAny = (): Backend | null => useContext(BackendContext);

export const useClient = (): WgClient => useBackend().client;
export const useEvents = (): WgEvents => useBackend().events;
