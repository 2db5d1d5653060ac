import { ConfigView } from '../../src/core/config/config-view';
import type { Config } from '../../src/core/config/config-view';
import type { ProjectPaths } from '../../src/core/project';
import { LaunchRecords } from '../../src/core/runs/run-views';
import type { Store } from '../../src/core/store/store';

/** A team coordinator's settings in `paths` (four agents, a team's cap of `teamMax`) and its runs' launch records. */
export async function teamConfig(
  paths: ProjectPaths,
  store: Store,
  teamMax: number | null,
): Promise<{ config: Config; records: LaunchRecords }> {
  const view = await ConfigView.open(paths, { maxAgents: 4 }, () => {});
  const config = await view.current();
  config.settings.coordinator.team_max_agents = teamMax;
  const records = new LaunchRecords(
    (id) => store.agents.launchRecord(id),
    () => null,
  );
  return { config, records };
}
