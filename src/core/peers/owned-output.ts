import { WgError } from '../../shared/errors';
import type { RunEventPage } from '../../shared/run-event';
import type { ProjectPaths } from '../project';
import { readRunEvents, runDir } from '../runs/files/run-log';
import type { Store } from '../store/store';

/**
 * What a coordinator answers another coordinator asking for a page of a run's output: only a run it started
 * itself (agents.coordinator_id), read from its own run folder.
 */
export function ownedRunEvents(
  store: Store,
  paths: Pick<ProjectPaths, 'runsDir'>,
  me: string,
  agent: string,
  offset: number,
  limit: number,
): RunEventPage {
  store.agents.get(agent);
  if (store.agents.coordinatorOf(agent) !== me) throw new WgError('not_found', `${agent} did not run on this coordinator`);
  return readRunEvents(runDir(paths.runsDir, agent), agent, offset, limit);
}
