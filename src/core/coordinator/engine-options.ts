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
  /** A write was refused by the lease's fence: another coordinator took the project over (a team's graph). */
  onFenced?: () => void;
}
