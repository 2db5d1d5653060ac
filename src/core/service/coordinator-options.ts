import type { OutputEvent } from '../../shared/api-contract';
import type { OpName, OpOutput } from '../../shared/ops/registry';
import type { AgentDaemonService } from '../agent-daemons/agent-daemon-service';
import type { ServiceOverrides } from '../config/config-view';
import type { Engine } from '../coordinator/engine';
import type { DatabaseOutage } from '../database-outage/database-outage';
import type { OpContext, ServiceControl } from '../ops/context';
import type { ProjectPaths } from '../project';
import type { WgCommand } from '../runs/starting/agent-wg';
import type { ListenRequest } from '../service-state/state-file';
import type { Store } from '../store/store';
import type { ServiceLog } from './service-log';

/* What openCoordinator (coordinator-service.ts) is given, and what it gives back. */

export interface CoordinatorOptions {
  paths: ProjectPaths;
  host: 'daemon' | 'app';
  overrides?: ServiceOverrides;
  wgCommand?: WgCommand;
  log?: ServiceLog;
  /** The environment agents inherit; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** The daemon can be stopped over the API (`wg service stop`); the app cannot. */
  onShutdown?: (options: { killAgents: boolean }) => void;
  /** `wg service start --listen …` (else the project's service.listen settings; else loopback). */
  listen?: ListenRequest;
  /** Every agent-daemon protocol frame, in and out (--log-level debug). */
  debug?: (line: string) => void;
}

/** A running coordinator: the store, the engine and the API, holding the project's lock. */
export interface RunningCoordinator {
  paths: ProjectPaths;
  store: Store;
  engine: Engine;
  agentDaemons: AgentDaemonService;
  /** Whether the database answers (a team's server restarting): what waits for it, and what status says of it. */
  outage: DatabaseOutage;
  log: ServiceLog;
  /** Browser-mode URL with the token in the fragment. */
  url: string;
  /** Set when opening imported the folder's upstream graph.jsonl: the line to tell a person. */
  importNotice: string | null;
  control: ServiceControl;
  dispatch<N extends OpName>(
    name: N,
    input: unknown,
    actor: string,
    agent?: OpContext['agent'],
    person?: OpContext['person'],
  ): Promise<OpOutput<N>>;
  onChange(listener: (rev: number) => void): () => void;
  onOutput(listener: (event: OutputEvent) => void): () => void;
  /** A window watches a run's output: on a team's graph, a run of another coordinator is followed until the release. */
  watchOutput(agent: string): Promise<() => void>;
  close(options: { killAgents: boolean }): Promise<void>;
}
