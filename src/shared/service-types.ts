import type { Agent } from './agent';

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
}

export interface KillResult {
  killed: Agent[];
}

export interface DeadAgentsResult {
  dead: Agent[];
  cleaned: number;
  purged: number;
}
