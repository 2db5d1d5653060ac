import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import type { Task } from '../../shared/task';
import type { IdentityView } from '../../shared/agency';
import { useClient } from '../api/backend-context';
import { useOpQuery } from '../hooks/use-op-query';
import { useGraph } from '../state/graph-context';

const IdentitiesContext = createContext<ReadonlyMap<string, IdentityView>>(new Map());

/**
 * The agent identities by hash, for cards and the inspector to name them. Asked for only once some
 * task carries an identity (a graph without the agency costs nothing), and kept current on change.
 */
export function IdentitiesProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const { tasks } = useGraph();
  const wanted = useMemo(() => someHasIdentity(tasks.values()), [tasks]);
  const load = useCallback(async () => (wanted ? client['identity:list']({}) : []), [client, wanted]);
  const { data } = useOpQuery(load, { onChange: wanted });
  const byId = useMemo(() => new Map((data ?? []).map((identity) => [identity.id, identity])), [data]);
  return <IdentitiesContext.Provider value={byId}>{children}</IdentitiesContext.Provider>;
}

/** The identity with this hash, or null (none given, not loaded yet, or removed). */
export function useIdentity(id: string | null): IdentityView | null {
  const byId = useContext(IdentitiesContext);
  return id ? (byId.get(id) ?? null) : null;
}

function someHasIdentity(tasks: Iterable<Task>): boolean {
  for (const task of tasks) if (task.agent) return true;
  return false;
}
