import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Agent } from '../../shared/agent';
import { WgError } from '../../shared/errors';
import type { RunEventPage } from '../../shared/run-event';
import { savedCoordinatorId } from '../leases/coordinator-id';
import type { ProjectPaths } from '../project';
import { readRunEvents, runDir } from '../runs/files/run-log';
import type { Store } from '../store/store';
import { fetchPeerOutput } from './peer-fetch';

interface PeerRow {
  host: string;
  folder: string;
  url: string | null;
  output_key: string | null;
}

/**
 * A run this folder owns keeps its output in this folder's runs/, unless it was started elsewhere and taken over (its
 * coordinator lost): then in the run folder it was started with, which a coordinator of the same machine reads (the
 * page was empty before). Only a folder of a run's shape (…/runs/<agent>): the path comes from the team's store.
 */
function runFolder(run: Pick<Agent, 'id' | 'output_path'>, paths: Pick<ProjectPaths, 'runsDir'>): string {
  const own = runDir(paths.runsDir, run.id);
  const started = run.output_path;
  if (existsSync(own) || started === null || started === own) return own;
  if (basename(started) !== run.id || basename(dirname(started)) !== 'runs') {
    throw new WgError('invalid', `${run.id}'s recorded folder ${started} is not a run's folder (…/runs/${run.id}); it is not read`);
  }
  if (!existsSync(started)) {
    throw new WgError(
      'unavailable',
      `${run.id} ran in ${started}, which this machine does not have: its output stays on the machine that ran it`,
    );
  }
  return started;
}

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
  const run = store.agents.get(agent);
  const owner = store.core.kind === 'postgres' ? store.agents.coordinatorOf(agent) : null;
  if (owner === null || owner === savedCoordinatorId(paths)) return readRunEvents(runFolder(run, paths), agent, offset, limit);
  const peer = store.core.sql<PeerRow>('SELECT host, folder, url, output_key FROM coordinators WHERE id = ?').get(owner);
  if (!peer?.url || !peer.output_key) {
    const which = peer ? ` ${peer.host}:${peer.folder}` : '';
    throw new WgError(
      'unavailable',
      `${agent} ran on another coordinator${which}, which is not running now: its output stays in that machine's folder`,
    );
  }
  return fetchPeerOutput({ host: peer.host, folder: peer.folder, url: peer.url, outputKey: peer.output_key }, agent, offset, limit);
}
