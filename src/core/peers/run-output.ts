import { WgError } from '../../shared/errors';
import type { RunEventPage } from '../../shared/run-event';
import { savedCoordinatorId } from '../leases/coordinator-id';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { readOwnRunEvents } from './owned-output';
import { fetchPeerOutput } from './peer-fetch';

/**
 * A page of a run's output, from wherever it lives: this folder's run folder, or, on a team's graph where
 * another coordinator started the run, that coordinator (its output stays on the machine that ran it).
 */
export async function runEvents(
  store: Store,
  paths: Pick<ProjectPaths, 'runsDir' | 'serviceDir' | 'root'>,
  agent: string,
  offset: number,
  limit: number,
): Promise<RunEventPage> {
  const run = await store.agents.get(agent);
  const owner = store.core.kind === 'postgres' ? await store.agents.coordinatorOf(agent) : null;
  if (owner === null || owner === savedCoordinatorId(paths)) return readOwnRunEvents(store, run, paths, offset, limit);
  const peer = await store.core.get(
    store.core.build.selectFrom('coordinators').select(['host', 'folder', 'url', 'output_key']).where('id', '=', owner),
  );
  if (!peer?.url || !peer.output_key) {
    const which = peer ? ` ${peer.host}:${peer.folder}` : '';
    throw new WgError(
      'unavailable',
      `${agent} ran on another coordinator${which}, which is not running now: its output stays in that machine's folder`,
    );
  }
  return fetchPeerOutput({ host: peer.host, folder: peer.folder, url: peer.url, outputKey: peer.output_key }, agent, offset, limit);
}
