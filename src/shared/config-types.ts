/** Shapes of config.toml sections, model registry entries and executor profiles. */

export const EXECUTOR_TYPES = ['claude', 'codex', 'amplifier', 'shell', 'cli', 'http', 'schedule', 'external', 'manual', 'remote'] as const;
export type ExecutorType = (typeof EXECUTOR_TYPES)[number];

export const MODEL_TIERS = ['fast', 'standard', 'premium'] as const;
export type ModelTier = (typeof MODEL_TIERS)[number];

export interface ModelEntry {
  name: string;
  provider: string;
  model_id: string;
  tier: ModelTier;
  cost_in: number | null;
  cost_out: number | null;
  builtin: boolean;
  /**
   * Where the model is served, as written (upstream's ModelRegistryEntry.endpoint): the name of an
   * `[[llm_endpoints.endpoints]]` entry, or a URL. Absent: the provider's own endpoint.
   */
  endpoint?: string | null;
  /** The endpoint's URL once the name is looked up; null when the name names no configured endpoint. */
  endpoint_url?: string | null;
  /** The variable holding the endpoint's API key (the model's own, else its endpoint entry's api_key_env). */
  api_key_env?: string | null;
}

/**
 * Upstream's dispatch roles (DispatchRole): each kind of run asks for a model by role. This app
 * starts task_agent, assigner, evaluator and triage runs; the others are accepted so an upstream
 * config keeps its routes.
 */
export const DISPATCH_ROLES = [
  'default',
  'task_agent',
  'evaluator',
  'flip_inference',
  'flip_comparison',
  'assigner',
  'evolver',
  'verification',
  'triage',
  'creator',
  'compactor',
  'coordinator_eval',
  'placer',
  'chat_compactor',
] as const;
export type DispatchRole = (typeof DISPATCH_ROLES)[number];

export interface ModelRegistry {
  models: ModelEntry[];
  default: string | null;
  roles: Record<string, string>;
}

/** The lowest passing evaluation score when config.toml sets none (`agency.eval_threshold`). */
export const DEFAULT_EVAL_THRESHOLD = 0.7;

export interface ExecutorProfile {
  name: string;
  type: ExecutorType;
  /** cli: program to run; templates in args may use {prompt} {cwd} {model} {task_id}. */
  command: string | null;
  args: string[];
  /** http: where to POST the task. */
  endpoint: string | null;
  method: string | null;
  model: string | null;
  /** Seconds before a run is killed as "timeout"; null = the agent default. */
  timeout: number | null;
  /** remote: the repository and role a task needs when it names none itself. */
  repo: string | null;
  role: string | null;
  /** Whether its runs work in their own git worktree: agents do unless false; shell commands only when true. */
  worktree?: boolean | null;
  builtin: boolean;
}

/** `team`: a team's graph keeps the setting in its store, for every machine (config/team-keys.ts). */
export type ConfigSource = 'default' | 'global' | 'local' | 'team' | 'override';

export interface ConfigEntry {
  key: string;
  value: string | number | boolean | null;
  source: ConfigSource;
  /** The unit of a duration (config.toml holds a plain number in it). */
  unit?: 'seconds' | 'minutes';
  /** For a value derived from another setting: that setting (`agent.executor`, `coordinator.model`), or `roles.ROLE`. */
  via?: string;
  /** What the setting itself says, when something before it gives the value in effect (a role's model route). */
  unused?: { value: string | number | boolean | null; source: ConfigSource };
}

/** The effective settings the coordinator and agents run with. */
export interface Settings {
  coordinator: {
    max_agents: number;
    /** A team's graph: how many runs all its coordinators together may have at once (null: no cap but each one's max_agents). */
    team_max_agents: number | null;
    /** Seconds. */
    poll_interval: number;
    /** The default executor: as set, else derived (see loadSettings). */
    executor: string;
    model: string | null;
    auto_triage: boolean;
    triage_model: string;
    /** Seconds an agent daemon may stay silent before its jobs' leases are lost and they are dispatched again. */
    stall_timeout: number;
    /** Each agent run in its own git worktree; null: yes when the project folder is a git repository. */
    worktrees: boolean | null;
    /** The branch worktrees start from and merge onto; null: the branch checked out in the project folder. */
    base_branch: string | null;
    /** Seconds an incomplete task waits before it may start again (upstream's ready_after); null: at once. */
    incomplete_retry_delay: number | null;
  };
  agent: {
    executor: string;
    model: string | null;
    /** Minutes without a heartbeat before a remote agent is dead (upstream's unit). */
    heartbeat_timeout: number;
    /** Seconds a run may take before it is killed; null = no limit. */
    timeout: number | null;
    max_retries: number;
    /** This machine is a sandbox (a container, a throwaway VM): Claude Code may run unattended as root (IS_SANDBOX=1). */
    sandbox: boolean;
  };
  service: {
    quit_behavior: 'keep-agents' | 'stop-agents';
    /** HOST:PORT for the API and the agent socket beyond loopback; null = loopback only, a free port. */
    listen: string | null;
    tls_cert: string | null;
    tls_key: string | null;
    /** Listen beyond loopback without TLS (tokens travel in clear text). */
    insecure: boolean;
  };
  /** Upstream's `[agency]`: identities, assignment and the evaluation gate. */
  agency: {
    auto_assign: boolean;
    auto_evaluate: boolean;
    /** A score below this reopens the task (or, past max_eval_rescues, fails it). */
    eval_threshold: number;
    max_eval_rescues: number;
    /** Seconds the assigner's model call may take before the fallback rule picks. */
    assign_timeout: number;
    /** Seconds an evaluator run may take before it counts as failed. */
    eval_timeout: number;
    /** Hashes of the special agents and of the agent used when nothing better fits. */
    assigner_agent: string | null;
    evaluator_agent: string | null;
    default_agent: string | null;
  };
  /** Upstream's `[guardrails]`: what agents' runs may add to the graph. */
  guardrails: {
    /** Follow-ups the runs of one task may add, all its runs together (upstream counts each run's alone). */
    max_child_tasks_per_agent: number;
    /** Seconds: a follow-up a run adds may repeat (cron, "09:00") no more often than this. */
    follow_up_min_interval: number;
  };
}

/** `wg executors` (upstream's executor_discovery): an executor, whether it is usable on this machine, and its program. */
export interface ExecutorFound {
  name: string;
  description: string;
  /** The program's absolute path; null for an executor that starts none here. */
  binary_path: string | null;
  available: boolean;
}
