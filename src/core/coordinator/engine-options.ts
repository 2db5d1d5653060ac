import type { OutputEvent } from '../../shared/api-contract';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import type { ServiceOverrides } from '../config/config-view';
import type { EngineLog } from '../engine-log';
import type { WgCommand } from '../runs/starting/agent-wg';

/* What an Engine is made with (engine.ts). */

export interface EngineOptions {
  store: Store;
  paths: ProjectPaths;
  log: EngineLog;
  overrides?: ServiceOverrides;
  /** How agents run this app's `wg` (written to .workgraph/service/bin/wg). */
  wgCommand: WgCommand;
  /** The environment agents inherit (and where WG_CLAUDE_BIN etc. are read). */
  env?: NodeJS.ProcessEnv;
  /** Where agents reach the API (WG_API_URL / WG_API_TOKEN), once the server listens. */
  api?: () => { url: string | null; token: string | null };
  onOutput?: (event: OutputEvent) => void;
  monitorPollMs?: number;
  /** A write was refused by the lease's fence: this coordinator was declared lost (a team's graph). */
  onFenced?: () => void;
  /** A newer wg migrated the store: this coordinator took its last turn (the daemon stops, its runs left running). */
  onNewerSchema?: () => void;
  /**
   * A turn met a database that cannot be reached: true when that was said and is waited out elsewhere (the
   * coordinator's outage, which wakes the engine once it answers), so the turn's failure is not said again each time.
   */
  storeUnreachable?: (error: unknown) => boolean;
  /**
   * A team's graph: this coordinator's id. It judges only the runs that name it, takes over those of lost
   * coordinators, and counts the others' toward coordinator.team_max_agents.
   */
  coordinatorId?: string | null;
  /** A team's graph: whether its lease is sure to hold for a while yet; when not, it claims nothing. */
  mayClaim?: () => boolean;
  /** A team's graph: how long until its lease could lapse, by its own clock; a run that begins later is not run. */
  leaseLeftMs?: () => number;
  /** A team's graph: the live coordinators' capacities (null: not said), by which the team's cap is shared out. */
  teamCapacities?: () => (number | null)[];
  /** A team's graph: runs of lost coordinators this one took over (agent daemons' jobs among them are now its to watch). */
  onTakenOver?: (agentIds: string[]) => void;
}
