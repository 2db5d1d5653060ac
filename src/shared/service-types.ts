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
  /** `wg kill --tree TASK`: the task and all downstream of it, the runs killed (or that would be), the tasks abandoned. */
  tree?: { root: string; tasks: string[]; would_kill: Agent[]; abandoned: string[]; no_abandon: boolean; dry_run: boolean };
}

export interface DeadAgentsResult {
  dead: Agent[];
  cleaned: number;
  purged: number;
  /** `--processes`: the working local runs whose process runs, and those whose process is gone. */
  processes?: { alive: RunProcess[]; dead_process: RunProcess[] };
  /** `--purge --delete-dirs`: the runs whose folders were removed. */
  dirs_deleted?: string[];
}

interface RunProcess {
  id: string;
  task_id: string;
  pid: number | null;
}
