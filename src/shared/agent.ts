/** An agent is one run of an executor on one task. */

const AGENT_STATES = ['working', 'done', 'failed', 'dead', 'killed'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/**
 * What a run is for: a task's own work, or an internal run about a task (triage, the assigner's
 * choice of an identity, the evaluator's score) that is started and killed like any run but uses no
 * agent slot and does not settle the task itself; or the coordinator agent's answer to a chat message
 * (`chat`, on upstream's `.chat-0`, no task of the graph: it acts on the graph through `wg`).
 */
const RUN_PURPOSES = ['task', 'triage', 'assign', 'evaluate', 'chat'] as const;
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

/** A run in `wg heartbeat --check` (upstream's shape): when it was last heard from. */
export interface HeartbeatEntry {
  id: string;
  task_id: string;
  last_heartbeat: string | null;
  /** Whole minutes since; -1 when its time cannot be read. Absent for a dead run. */
  minutes_ago?: number;
}

/** `wg heartbeat --check`: the working runs heard from within the threshold, those not, and the dead ones. */
export interface HeartbeatStatus {
  threshold_minutes: number;
  stale: HeartbeatEntry[];
  active: HeartbeatEntry[];
  dead: HeartbeatEntry[];
}

/** One run of a task as upstream's `wg log ID --agent` shows an attempt: when it started, its prompt and its output. */
export interface RunArchive {
  timestamp: string;
  agent: string;
  prompt: string | null;
  output: string | null;
}

/**
 * A run as `wg agents` lists it: this app's record with upstream's `wg agents --json` fields beside it (its
 * output_json), where upstream's scripts read them; core/runs/killing/dead-agents.ts says how each is computed.
 */
export interface ListedAgent extends Agent {
  /** Upstream's effective status: working, done, failed, dead, or "dead (process exited)" for a run found dead. */
  status: string;
  /** Whether the run's process runs. */
  process_alive: boolean;
  /** Upstream's uptime_human: the time since the run started, in its largest unit (5m, 2h, 1d); "unknown" when unreadable. */
  uptime: string;
  /** The same in seconds; null when the start time cannot be read. */
  uptime_secs: number | null;
  /** The file the run's output is written to (upstream's output.log); null when it is not on this machine. */
  output_file: string | null;
}

/** A run in upstream's `wg kill --all --json`, `wg kill --tree --json` and `wg dead-agents --processes --json` lists. */
export interface UpstreamRun {
  id: string;
  pid: number | null;
  task_id: string;
}

/**
 * Upstream's `wg kill --json` fields, beside this app's KillResult: `wg kill AGENT` (run), `wg kill --all`
 * (run_all), `wg kill --tree` (run_tree) and its dry run. A plain kill's `killed` is upstream's agent id in `--json`
 * (cli/json-view.ts), where the result's own `killed` lists the run records.
 */
export type KillUpstreamFields =
  | { pid: number | null; task_id: string; force: boolean; paused: boolean }
  | { count: number; paused: boolean; errors: string[] }
  | { root_task: string; total_tasks_in_tree: number; dry_run: true; agents_to_kill: UpstreamRun[]; tasks_to_abandon: string[] }
  | { root_task: string; total_tasks_in_tree: number; killed_agents: UpstreamRun[]; abandoned_tasks: string[]; errors: string[] };

/** A dead run in upstream's `wg dead-agents --json`. */
export interface UpstreamDeadAgent {
  id: string;
  task_id: string;
  pid: number | null;
  last_heartbeat: string;
  seconds_since_heartbeat: number | null;
}

/**
 * Upstream's `wg dead-agents --json` fields, beside this app's DeadAgentsResult: those of the one mode of upstream's
 * that does what this run did (run_purge, run_check_processes, run_remove_dead, run_cleanup, run_check).
 */
export type DeadAgentsUpstreamFields =
  | { purged_from_registry: string[]; dirs_deleted: string[]; errors: string[] }
  | { alive: UpstreamRun[]; dead_process: UpstreamRun[] }
  | { removed: string[] }
  | {
      threshold_minutes: number;
      dead_agents_marked: number;
      tasks_unclaimed: string[];
      dead_agents: UpstreamDeadAgent[];
      errors: string[];
    }
  | { threshold_minutes: number; dead_count: number; dead_agents: UpstreamDeadAgent[] };
