/**
 * The agency: who an agent is when it works on a task. Names and shapes follow upstream workgraph's
 * `src/agency/` (roles are compositions of role components and a desired outcome; an agent identity
 * is a role paired with a tradeoff configuration), every id a SHA-256 content hash.
 */

/** Hashes are shown by their first eight hex characters (upstream's SHORT_HASH_LEN). */
const SHORT_HASH_LEN = 8;
export const shortHash = (hash: string): string => hash.slice(0, SHORT_HASH_LEN);

/** The log line of a task whose agent identity was taken away (`wg assign --clear`). */
export const IDENTITY_CLEARED = 'Agent identity cleared';

/** What an evaluator scores, as seed 004 shows them (each 0..1). */
export const EVAL_DIMENSIONS = [
  'blocking_impact',
  'completeness',
  'coordination_overhead',
  'correctness',
  'downstream_usability',
  'efficiency',
  'intent_fidelity',
  'style_adherence',
] as const;
export type EvalDimension = (typeof EVAL_DIMENSIONS)[number];

const COMPONENT_CATEGORIES = ['translated', 'enhanced', 'novel'] as const;
export type ComponentCategory = (typeof COMPONENT_CATEGORIES)[number];

/** Where a component's content comes from (upstream's ContentRef, a YAML tag such as `!name testing`). */
export type ContentRef = { kind: 'name' | 'file' | 'url' | 'inline'; value: string };

/** A role component: one capability ("skill"). Its id is the SHA-256 of its description. */
export interface RoleComponent {
  id: string;
  name: string;
  description: string;
  category: ComponentCategory;
  content: ContentRef;
  /** `meta:assigner`, `meta:evaluator`, …: components written for a special agent. */
  scope: string | null;
}

/** What success looks like. Its id is the SHA-256 of its description. */
export interface DesiredOutcome {
  id: string;
  name: string;
  description: string;
  success_criteria: string[];
  scope: string | null;
}

/** How an agent weighs competing concerns. Its id is the SHA-256 of its description. */
export interface Tradeoff {
  id: string;
  name: string;
  description: string;
  acceptable: string[];
  unacceptable: string[];
  scope: string | null;
  created_at: string;
}

/** A skill of a role as a person reads it: a component's name and description, or the raw id given. */
export interface Skill {
  id: string;
  name: string;
  description: string | null;
}

/** A role: components (skills) and a desired outcome; id = hash of the sorted component ids and the outcome id. */
export interface Role {
  id: string;
  name: string;
  description: string;
  component_ids: string[];
  outcome_id: string;
  /** The components resolved for reading (ids that are not stored components stay as given). */
  skills: Skill[];
  /** The outcome's description, or the outcome id itself when it names no stored outcome. */
  outcome: string;
  default_exec_mode: string | null;
  default_context_scope: string | null;
  created_at: string;
}

/** An agent identity: a role and a tradeoff; id = hash of the two ids (upstream's `Agent`). */
export interface AgentIdentity {
  id: string;
  name: string;
  role_id: string;
  tradeoff_id: string;
  /** The executor it prefers (upstream default: claude). */
  executor: string;
  /** Its preferred model (upstream `preferred_model`), or null. */
  model: string | null;
  provider: string | null;
  capabilities: string[];
  created_at: string;
}

/** Tasks and scores of one identity, role or tradeoff. */
export interface Performance {
  /** Tasks that carried it (assigned, whether or not evaluated yet). */
  tasks: number;
  evaluations: number;
  avg_score: number | null;
  /** Mean per dimension over the evaluations that scored it. */
  dimensions: Record<string, number>;
}

export interface IdentityView extends AgentIdentity {
  role_name: string | null;
  tradeoff_name: string | null;
  performance: Performance;
  /** Serves the assigner or the evaluator rather than tasks. */
  special: boolean;
}

export interface RoleView extends Role {
  performance: Performance;
  special: boolean;
}

export interface TradeoffView extends Tradeoff {
  performance: Performance;
  special: boolean;
}

/** The `[agency]` settings as the window shows them. */
export interface AgencySettingsView {
  auto_assign: boolean;
  auto_evaluate: boolean;
  eval_threshold: number;
  max_eval_rescues: number;
  assigner_agent: string | null;
  evaluator_agent: string | null;
}

/** Everything the Agency page shows, in one read. */
export interface AgencyOverview {
  roles: RoleView[];
  tradeoffs: TradeoffView[];
  identities: IdentityView[];
  components: RoleComponent[];
  outcomes: DesiredOutcome[];
  settings: AgencySettingsView;
}

export interface StatRow extends Performance {
  id: string;
  name: string;
}

/** `wg agency stats`: tasks, average score and per-dimension averages by agent, role and tradeoff. */
export interface AgencyStats extends Partial<StatsBreakdowns> {
  tasks: number;
  evaluations: number;
  avg_score: number | null;
  dimensions: Record<string, number>;
  by_agent: StatRow[];
  by_role: StatRow[];
  by_tradeoff: StatRow[];
}

/** Upstream's sections of `wg agency stats` beyond the leaderboards (its `--json` names). */
export interface StatsBreakdowns {
  min_evals: number;
  /** Role × tradeoff pairs evaluated fewer than `min_evals` times. */
  underexplored: Array<{ role_id: string; tradeoff_id: string; eval_count: number }>;
  /** Each role × tradeoff pair's average, best first: `high` at 0.8 or more, `low` at 0.4 or less. */
  synergy_matrix: Array<{ role_id: string; tradeoff_id: string; avg_score: number; count: number; rating: 'high' | 'medium' | 'low' }>;
  /** Each role's and tradeoff's average over the evaluated tasks carrying a tag. */
  tag_breakdown: {
    by_role: Array<{ role_id: string; tag: string; avg_score: number; count: number }>;
    by_tradeoff: Array<{ tradeoff_id: string; tag: string; avg_score: number; count: number }>;
  };
  /** `--by-model`. */
  model_leaderboard?: Array<{ model: string; avg_score: number; eval_count: number; trend: string }>;
  /** `--by-task-type`: by the kind of task a title names ("Fix: …"). */
  task_type_breakdown?: {
    by_role: Array<{ task_type: string; role_id: string; avg_score: number; count: number }>;
    by_model: Array<{ task_type: string; model: string; avg_score: number; count: number }>;
    recommendations: Array<{
      task_type: string;
      best_role: { role_id: string; avg_score: number; count: number } | null;
      best_model: { model: string; avg_score: number; count: number } | null;
    }>;
  };
}

/** One recorded evaluation (upstream's `Evaluation`, kept as history; the task shows the latest). */
export interface EvaluationRecord {
  id: number;
  task_id: string;
  agent_id: string | null;
  role_id: string | null;
  tradeoff_id: string | null;
  score: number;
  dimensions: Record<string, number>;
  notes: string | null;
  evaluator: string | null;
  /** The model that did the work (upstream `model`). */
  model: string | null;
  /** `llm` (an evaluator run) or `manual` (`wg evaluate record`). */
  source: string;
  timestamp: string;
  /** The id of the upstream evaluation it was imported from, where that is not the one this app gives (eval-TASK-TIME). */
  upstream_id: string | null;
  /** The name of the file it was imported from, where that is not `<its id>.json`. */
  upstream_file: string | null;
  /** The loop iteration of its task when it was recorded (upstream's loop_iteration): 0 outside a loop. */
  loop_iteration: number;
}

/** How a task got its identity (upstream's TaskAssignmentRecord, simplified). */
export interface AssignmentRecord {
  task_id: string;
  agent_id: string;
  exec_mode: string | null;
  context_scope: string | null;
  reason: string;
  /** `model` (the assigner answered), `fallback` (it could not), `manual` (`wg assign`). */
  source: 'model' | 'fallback' | 'manual';
  timestamp: string;
}

/** Counts of what `wg agency init|import|export` touched. */
export interface AgencyCounts {
  components: number;
  outcomes: number;
  tradeoffs: number;
  roles: number;
  agents: number;
  evaluations: number;
}

export interface AgencyInitResult {
  roles_created: number;
  tradeoffs_created: number;
  agents_created: string[];
  config_changed: boolean;
  default_agent: string;
}

export interface AgencyTransfer {
  path: string;
  counts: AgencyCounts;
  /** Files that could not be read (import), each with the reason. */
  skipped: string[];
}
