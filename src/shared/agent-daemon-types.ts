/** What the coordinator tells about agent daemons, their tokens and jobs (ops results, the Agent daemons page). */

/**
 * What a token opens: `agent`, the agent-daemon socket (`wg agentd`); `person`, the HTTP API as that person
 * (`WG_SERVER`, the window's Connect), every project operation but tokens and the coordinator's settings;
 * `admin`, a person who may also manage those.
 */
export type TokenKind = 'agent' | 'person' | 'admin';

/** Who a person's token says is calling: its name (the actor of everything done with it) and whether it is an admin's. */
export interface PersonCaller {
  name: string;
  admin: boolean;
}

/**
 * Whose token an open connection (a person's event stream, an agent daemon's socket) came with: its name and when
 * that token was issued. A revoked name may be issued again, so the name alone would keep the lost token's
 * connections open under the new one.
 */
export interface TokenHolder {
  name: string;
  issued: string;
}

export interface AgentTokenInfo {
  name: string;
  kind: TokenKind;
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
  /** `wga_…` (an agent's) or `wgp_…` (a person's): shown this once, never stored. */
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
  /** A team's graph: the coordinator it is connected to (`here`: the one answering). Absent on a project of one coordinator. */
  coordinator?: { id: string; host: string; folder: string; here: boolean };
}

export type DaemonJobState = 'assigned' | 'running' | 'done' | 'failed' | 'lost' | 'cancelled';

export interface DaemonJob {
  lease_id: string;
  agent_id: string;
  task_id: string;
  daemon_host: string;
  token_name: string;
  repo: string;
  role: string | null;
  state: DaemonJobState;
  created_at: string;
  ended_at: string | null;
  /** How it ended, in a line; null while it runs. */
  outcome: string | null;
}

interface WaitingTask {
  task_id: string;
  reason: string;
}

export interface AgentDaemonsStatus {
  /** Whether the coordinator accepts daemons (it always does while running; false when the store is read without it). */
  accepting: boolean;
  daemons: ConnectedDaemon[];
  active_jobs: DaemonJob[];
  recent_jobs: DaemonJob[];
  waiting: WaitingTask[];
}
