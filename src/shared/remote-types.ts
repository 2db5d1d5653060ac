/** What the coordinator tells about agent daemons, their tokens and jobs (ops results, the Agent daemons page). */

export interface AgentTokenInfo {
  name: string;
  /** The last four characters, to tell tokens apart; the token itself is shown only once, when created. */
  last4: string;
  /** Empty: any role / any repository. */
  roles: string[];
  repos: string[];
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface CreatedAgentToken extends AgentTokenInfo {
  /** `wga_…`: shown this once, never stored. */
  token: string;
}

export interface ConnectedDaemon {
  id: string;
  host: string;
  version: string;
  token: string;
  roles: string[];
  repos: string[];
  clis: Array<{ name: string; version: string }>;
  capacity: number;
  active: number;
  connected_at: string;
  last_heartbeat: string;
  /** Out of quota until then (its CLI said so); null when it takes work. */
  downgraded_until: string | null;
  downgrade_reason: string | null;
}

export type RemoteJobState = 'assigned' | 'running' | 'done' | 'failed' | 'lost' | 'cancelled';

export interface RemoteJob {
  lease_id: string;
  agent_id: string;
  task_id: string;
  daemon_host: string;
  token_name: string;
  repo: string;
  role: string | null;
  state: RemoteJobState;
  created_at: string;
  ended_at: string | null;
  /** How it ended, in a line; null while it runs. */
  outcome: string | null;
}

interface WaitingTask {
  task_id: string;
  reason: string;
}

export interface RemoteStatus {
  /** Whether the coordinator accepts daemons (it always does while running; false when the store is read without it). */
  accepting: boolean;
  daemons: ConnectedDaemon[];
  active_jobs: RemoteJob[];
  recent_jobs: RemoteJob[];
  waiting: WaitingTask[];
}
