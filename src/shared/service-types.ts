import type { Agent } from './agent';
import type { ConfigEntry } from './config-types';

export interface ServiceStatus {
  running: boolean;
  pid: number | null;
  started_at: string | null;
  uptime_seconds: number | null;
  paused: boolean;
  max_agents: number;
  url: string | null;
  agents: { working: number; done: number; failed: number; dead: number };
  recent_errors: Array<{ timestamp: string; message: string }>;
  /** The project cannot be written (a read-only folder): it is shown, nothing runs or changes. */
  read_only?: boolean;
  /** Every effective setting with where it came from (default, global, local, or a service flag: override). */
  settings?: ConfigEntry[];
}

export interface KillResult {
  killed: Agent[];
}

export interface DeadAgentsResult {
  dead: Agent[];
  cleaned: number;
  purged: number;
}
