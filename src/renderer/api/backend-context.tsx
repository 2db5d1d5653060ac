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

export const useClient = (): WgClient => useBackend().client;
export const useEvents = (): WgEvents => useBackend().events;
