import type { ProjectPaths } from '../../project';
import { readRunEvents, runDir } from '../../run-folder/run-log';
import type { Store } from '../../store/store';
import type { Config } from '../../config/config-view';
import type { InternalRequest } from '../claiming/internal-run';
import type { InternalResult } from '../local-runs';
import { runTriage } from './triage-run';

const LAST_EVENTS = 40;

/** Runs triage on a dead agent's task and returns the verdict (or null when the agent is no longer working). */
export async function triageDead(input: {
  store: Store;
  paths: ProjectPaths;
  config: Config;
  env: NodeJS.ProcessEnv;
  agentId: string;
  run: (request: InternalRequest) => Promise<InternalResult>;
}): Promise<{ verdict: 'done' | 'running' | 'restart'; note: string } | null> {
  const { store, paths, agentId } = input;
  const agent = await store.agents.find(agentId);
  if (agent?.state !== 'working') return null;
  const dir = runDir(paths.runsDir, agentId);
  const total = readRunEvents(dir, agentId, 0, 1).total;
  const lastEvents = readRunEvents(dir, agentId, Math.max(0, total - LAST_EVENTS), LAST_EVENTS).events.map((e) => e.event);
  return runTriage({
    task: await store.get(agent.task_id),
    lastEvents,
    config: input.config,
    cwd: paths.root,
    env: input.env,
    run: input.run,
  });
}
