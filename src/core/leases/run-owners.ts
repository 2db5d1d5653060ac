import type { RunElsewhere } from '../../shared/service-types';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { savedCoordinatorId } from './coordinator-id';

interface OwnerRow {
  coordinator_id: string | null;
  host: string | null;
  folder: string | null;
  role: string | null;
}

/**
 * Whose a run is, for a command (not a coordinator) about to judge or signal it by its pid. On a team's graph a run
 * another coordinator owns ran on that coordinator's machine, where its pid means something: a pid here is another
 * process. Such a run (or a lost coordinator's, which the coordinators still running take over) is returned as
 * elsewhere; null means it is this folder's to judge by its pid, as every run of a SQLite project is.
 */
function runOwners(
  store: Store,
  paths: Pick<ProjectPaths, 'serviceDir' | 'root'>,
): (agent: { id: string; task_id: string }) => Promise<RunElsewhere | null> {
  if (store.core.kind !== 'postgres') return async () => null;
  const me = savedCoordinatorId(paths);
  const core = store.core;
  return async (agent) => {
    const row: OwnerRow | undefined = await core.get(
      core.build
        .selectFrom('agents as a')
        .leftJoin('coordinators as c', 'c.id', 'a.coordinator_id')
        .select(['a.coordinator_id', 'c.host', 'c.folder', 'c.role'])
        .where('a.id', '=', agent.id),
    );
    if (!row || (row.coordinator_id !== null && row.coordinator_id === me)) return null;
    return {
      id: agent.id,
      task_id: agent.task_id,
      coordinator_id: row.coordinator_id,
      host: row.host,
      folder: row.folder,
      lost: row.role !== 'holder',
    };
  };
}

/** Splits runs into this folder's (judged by their pids here) and those of other coordinators. */
export async function splitByOwner<A extends { id: string; task_id: string }>(
  store: Store,
  paths: Pick<ProjectPaths, 'serviceDir' | 'root'>,
  agents: readonly A[],
): Promise<{ local: A[]; elsewhere: RunElsewhere[] }> {
  const ownerOf = runOwners(store, paths);
  // Asked of every run at once: one round trip on PostgreSQL.
  const owners = await Promise.all(agents.map((agent) => ownerOf(agent)));
  const local: A[] = [];
  const elsewhere: RunElsewhere[] = [];
  for (const [index, agent] of agents.entries()) {
    const owner = owners[index];
    if (owner) elsewhere.push(owner);
    else local.push(agent);
  }
  return { local, elsewhere };
}
