/** An agent is one run of an executor on one task. */

const AGENT_STATES = ['working', 'done', 'failed', 'dead', 'killed'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/**
 * What a run is for: a task's own work, or an internal run about a task (triage, the assigner's
 * choice of an identity, the evaluator's score) that is started and killed like any run but uses no
 * agent slot and does not settle the task itself.
 */
const RUN_PURPOSES = ['task', 'triage', 'assign', 'evaluate'] as const;
export type RunPurpose = (typeof RUN_PURPOSES)[number];

export interface Agent {
  id: string;
  task_id: string;
  executor: string;
  model: string | null;
  /** Where the winning model came from: task, identity, executor, role, coordinator, agent, tier or default. */
  model_source: string | null;
  pid: number | null;
  state: AgentState;
  /**
   * Run by something this app did not start as a process: an HTTP agent service, an external tool (both judged by
   * their heartbeats) or an agent daemon (judged by its lease). False: a local process, judged by its exit.
   */
  runs_elsewhere: boolean;
  started_at: string;
  ended_at: string | null;
  last_heartbeat: string | null;
  exit_code: number | null;
  reason: string | null;
  output_path: string | null;
  session_id: string | null;
  cost_usd: number;
  tokens_in: number;
  tokens_out: number;
  turns: number;
  purpose: RunPurpose;
  rev: number;
  /**
   * Messages to its task are handed to it after its tool calls (this app's hooks: a Claude Code or codex run
   * started here). Absent: it reads them itself, when it checks (`wg msg read`, `wg log`).
   */
  message_hooks?: true;
}

export function isAlive(agent: Pick<Agent, 'state'>): boolean {
  return agent.state === 'working';
}
