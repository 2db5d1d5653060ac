import type { AgentState } from '../../shared/agent';
import type { TaskStatus } from '../../shared/task';

/**
 * The vocabulary of the pure scheduler: what it is told (state + one event) and what it answers
 * (actions for the engine to perform, each as one store transaction). No I/O types here.
 */

/**
 * How an agent runs: a local process group, a remote service that sends heartbeats, someone outside,
 * or an agent daemon on another machine (its lease, kept by src/core/agent-daemons, is its deadline).
 */
export type RunKind = 'process' | 'http' | 'external' | 'remote';

/** Runs that take one of the coordinator's `max_agents` slots; agent daemons have their own capacity. */
export const usesSlot = (kind: RunKind): boolean => kind === 'process' || kind === 'http';

/** The parts of a task the rules look at. */
export interface TaskView {
  id: string;
  status: TaskStatus;
  assigned: string | null;
  retry_count: number;
  /** The task's own limit; null means the settings' agent.max_retries. */
  max_retries: number | null;
  failure_reason: string | null;
}

/** A ready task in dispatch order, with its executor already resolved (or the reason it cannot be). */
export interface ReadyTask {
  id: string;
  /** True when the executor is of the manual kind: never started automatically. */
  manual: boolean;
  /** True when an agent daemon runs it: dispatched by src/core/agent-daemons, not launched here. */
  remote: boolean;
  /** Why the task cannot be launched at all (e.g. an unknown executor); it is failed. */
  unlaunchable: string | null;
  /** Auto-assign must give it an identity before it starts (the agency's assigner); absent means no. */
  needs_identity?: boolean;
  /** Why it cannot start on this machine for now (its agent CLI not installed, no first commit): passed over, taking no slot. */
  held?: string | null;
}

/** An agent the store says is working, with what the rules need to judge it. */
export interface AgentView {
  id: string;
  state: AgentState;
  kind: RunKind;
  /** An internal run about the task (triage): no agent slot, and its end does not settle the task. */
  internal: boolean;
  started_at_ms: number;
  last_heartbeat_ms: number | null;
  /** Seconds before the run is killed as "timeout"; null = no limit. */
  timeout_s: number | null;
  task: TaskView;
}

export interface SchedulerState {
  now_ms: number;
  paused: boolean;
  max_agents: number;
  heartbeat_timeout_s: number;
  default_max_retries: number;
  auto_triage: boolean;
  ready: ReadyTask[];
  /** This coordinator's working runs: the ones it judges. */
  working: AgentView[];
  /**
   * A team's graph with a cap on all its coordinators' runs together: the cap, how many runs that take a slot
   * the other coordinators have now, and this coordinator's fair share of the cap (team-share.ts; absent when
   * the coordinators' capacities are not known). Absent: no team cap (SQLite, or none set).
   */
  team?: { max_agents: number; others_busy: number; share?: number };
  /** Local runs whose processes the coordinator watches (any of them no longer working in the store is stopped). */
  watched: string[];
}

/** A run the store says is working, found when the coordinator started. */
export interface FoundRun {
  agent: AgentView;
}

/** A rate limit or quota the run ran into, with when it lifts. */
export interface RateLimit {
  reset_at_ms: number;
  message: string;
}

/** How a run ended, as the judge read it from its exit, output and task. */
export interface RunEnd {
  /** `code` null means the process ended without an exit code (killed by a signal, or its wrapper died). */
  code: number | null;
  signal: string | null;
  stderr_tail: string;
  /** The agent's own account of why it failed (its result or error events), if it gave one. */
  account?: string | null;
  /** A rate limit or quota error, if the run ended on one. */
  rate_limit?: RateLimit | null;
  resume_failed?: boolean;
  /** For an agent's exit 0 without reporting done: whether it left evidence of work (null: not asked). */
  evidence?: boolean | null;
  /** Why there is none, when more than "nothing changed" (a shared folder changed by other runs too). */
  no_evidence_reason?: string | null;
  /** For a program not found (exit 127): the variable that named it (WG_CLAUDE_BIN, …), when one did. */
  missing_named_by?: string | null;
  /** The agent daemon the run was on (a remote job), for a reason that says what to do there. */
  daemon?: string | null;
  /** Its command never ran: the coordinator that started it stopped between the spawn and the command (RunExit.neverBegan). */
  never_began?: boolean;
}

export type SchedulerEvent =
  | { type: 'tick' }
  | { type: 'changed' }
  | ({ type: 'exited'; agent: AgentView } & RunEnd)
  | { type: 'heartbeat-timeout'; agent: AgentView }
  /** `after_s`: how long it ran (an agent daemon's job: its own limit); else the run's timeout_s. */
  | { type: 'run-timeout'; agent: AgentView; after_s?: number }
  /** `lasting`: a start that cannot work until something changes (no commit yet, a CLI not installed): fails at once. */
  | { type: 'launch-failed'; agent: AgentView; reason: string; lasting?: boolean }
  | { type: 'started'; found: FoundRun[] }
  /** The triage model's answer about a dead agent's task. */
  | { type: 'triaged'; agent: AgentView; verdict: 'done' | 'running' | 'restart'; reason: string }
  /** A remote run's daemon fell silent past the stall timeout, or gave the job up: the run is dead. */
  | { type: 'lease-lost'; agent: AgentView; reason: string }
  /** A remote run could not go on for a reason that is not the task's (its CLI's quota): back to the queue, no retry counted. */
  | { type: 'deferred'; agent: AgentView; reason: string };

/** Final states the engine writes for an agent. */
export type EndState = Extract<AgentState, 'done' | 'failed' | 'dead'>;

export type Action =
  /** Claim the task and start an agent on it (one transaction, then the launch). */
  | { type: 'launch'; task_id: string }
  /** Give the ready task an identity first (auto-assign); it is launched on a later turn, once it has one. */
  | { type: 'assign'; task_id: string }
  /** The run succeeded: task done (if it is still this agent's and in progress), agent done. */
  | { type: 'complete'; agent_id: string; task_id: string; exit_code: number | null }
  /**
   * Task failed with the reason; the agent (if any) ends in `agent_state`. `attempt`: the run was an
   * attempt at the work that failed (its exit, a timeout), counted in retry_count as upstream's wrapper's
   * `wg fail` counts it. Not counted: a start that could not work, a task never started, and a death with
   * no retries left (upstream's dead-agent triage fails it at max_retries without counting, as the retries counted it).
   */
  | {
      type: 'fail';
      agent_id: string | null;
      task_id: string;
      reason: string;
      agent_state: EndState;
      exit_code: number | null;
      attempt?: boolean;
      /** What the task's log keeps besides the one-line reason (the end of stderr). */
      detail?: string;
      /** The conversation outgrew the model's context: the session is not resumed by the next attempt. */
      forget_session?: boolean;
    }
  /**
   * Back to open with retry_count + 1: the agent is dead, or its run failed on the model API's side
   * (then `agent_state` failed, with its exit code).
   */
  | {
      type: 'retry';
      agent_id: string;
      task_id: string;
      retry_count: number;
      reason: string;
      not_before_ms?: number;
      agent_state?: EndState;
      exit_code?: number | null;
    }
  /** Back to open without counting a retry (a failed `--resume`: start fresh; a rate limit: after `not_before_ms`). */
  | { type: 'requeue'; agent_id: string; task_id: string; reason: string; forget_session: boolean; not_before_ms?: number | null }
  /** The task is no longer this agent's business: only record how the run ended. */
  | { type: 'end-agent'; agent_id: string; state: EndState; exit_code: number | null; reason: string | null }
  /** Kill the agent's process group (its task was already settled by an earlier action). */
  | { type: 'kill'; agent_id: string }
  /** Keep watching a run found alive at start. */
  | { type: 'adopt'; agent_id: string }
  /** Triage says a remote agent is still at work: give it another heartbeat period. */
  | { type: 'extend'; agent_id: string }
  /** Ask the triage model what became of a dead agent's task before retrying. */
  | { type: 'triage'; agent_id: string; task_id: string; reason: string };

/** The actions that end a run (each only while it is still working) and may make tasks ready. */
export type SettleAction = Extract<Action, { type: 'complete' | 'fail' | 'retry' | 'requeue' | 'end-agent' }>;

export interface Decision {
  actions: Action[];
  /** When to look again even if nothing happens (the nearest deadline); null = no deadline. */
  wake_at_ms: number | null;
}
