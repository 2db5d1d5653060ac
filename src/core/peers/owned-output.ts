import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Agent } from '../../shared/agent';
import { WgError } from '../../shared/errors';
import type { RunEventPage } from '../../shared/run-event';
import type { ProjectPaths } from '../project';
import { readRunEvents, runDir } from '../run-folder/run-log';
import type { Store } from '../store/store';
import { findTaskRow } from '../store/task-reads';

/**
 * A run this folder owns keeps its output in this folder's runs/, unless it was started elsewhere and taken over (its
 * coordinator lost): then in the run folder it was started with, which a coordinator of the same machine reads. Only a folder of a run's shape (…/runs/<agent>): the path comes from the team's store.
 */
function ownRunFolder(run: Pick<Agent, 'id' | 'output_path'>, paths: Pick<ProjectPaths, 'runsDir'>): string {
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
 * A page of the output of a run this coordinator owns, read on this machine. The one lookup for both ways of asking:
 * `wg output` in this folder, and another coordinator asking for it (ownedRunEvents), so a run taken over is found
 * through either (reading only runs/, the peer route would answer an empty page).
 */
export async function readOwnRunEvents(
  store: Store,
  run: Pick<Agent, 'id' | 'output_path' | 'state' | 'task_id'>,
  paths: Pick<ProjectPaths, 'runsDir'>,
  offset: number,
  limit: number,
): Promise<RunEventPage> {
  const folder = ownRunFolder(run, paths);
  // `wg gc` removes the output of the tasks it removes (its runs' records stay, for what they cost): said so, where an
  // empty page would read as a run that printed nothing.
  if (run.state !== 'working' && !existsSync(folder) && !(await findTaskRow(store.core, run.task_id))) {
    throw new WgError('not_found', `${run.id}'s output is gone, with its task '${run.task_id}' (removed from the graph)`);
  }
  return readRunEvents(folder, run.id, offset, limit);
}

/**
 * What a coordinator answers another coordinator asking for a page of a run's output: only a run it started
 * itself or took over (agents.coordinator_id), read where this machine keeps it.
 */
export async function ownedRunEvents(
  store: Store,
  paths: Pick<ProjectPaths, 'runsDir'>,
  me: string,
  agent: string,
  offset: number,
  limit: number,
): Promise<RunEventPage> {
  const run = await store.agents.get(agent);
  if ((await store.agents.coordinatorOf(agent)) !== me) throw new WgError('not_found', `${agent} did not run on this coordinator`);
  return readOwnRunEvents(store, run, paths, offset, limit);
}
