import type { JsonValue, LogEntry, TaskStatus } from './task';
import type { Message } from './message';

/*
 * What ran and what it cost: `wg trace`, `wg runs`, `wg spend`, `wg stats`, with upstream's field
 * names in `--json` (this app's own fields beside them).
 */

/** An entry of upstream's operations log (`log/operations.jsonl`, its `OperationEntry`). */
export interface OperationEntry {
  timestamp: string;
  op: string;
  task_id?: string;
  actor?: string;
  user?: string;
  detail?: JsonValue;
}

/**
 * One run of a task: upstream's `AgentRun` (an archived attempt under `log/agents/<task>/`) or one
 * of this app's runs (an `agent-N`), with where its prompt and output are.
 */
export interface TraceRun {
  timestamp: string;
  prompt_bytes?: number;
  output_bytes?: number;
  prompt_lines?: number;
  output_lines?: number;
  prompt?: string;
  output?: string;
  tool_calls?: number;
  turns?: number;
  /** This app's run (null: an attempt upstream's wg archived). */
  agent_id: string | null;
  executor: string | null;
  model: string | null;
  state: string | null;
  purpose: string | null;
  started_at: string | null;
  ended_at: string | null;
  exit_code: number | null;
  reason: string | null;
  prompt_path: string | null;
  output_path: string | null;
  cost_usd: number;
  tokens_in: number;
  tokens_out: number;
}

export interface TraceSummary {
  duration_secs?: number;
  duration_human?: string;
  operation_count: number;
  agent_run_count: number;
  total_tool_calls?: number;
  total_turns?: number;
  total_output_bytes?: number;
  total_cost_usd: number;
  total_tokens_in: number;
  total_tokens_out: number;
}

/** An evaluation of the task, as upstream's `Evaluation` names its fields. */
export interface TraceEvaluation {
  id: string;
  task_id: string;
  agent_id?: string;
  role_id: string;
  tradeoff_id: string;
  score: number;
  dimensions?: Record<string, number>;
  notes: string;
  evaluator: string;
  timestamp: string;
  model?: string;
  source: string;
  /** The loop iteration of its task then; absent outside a loop (upstream's skip when 0). */
  loop_iteration?: number;
}

/** `wg trace show ID`: upstream's `TraceOutput`, then the task's log, messages and evaluations. */
export interface TaskTrace {
  id: string;
  title: string;
  status: TaskStatus;
  assigned?: string;
  created_at?: string;
  started_at?: string;
  completed_at?: string;
  operations: OperationEntry[];
  agent_runs: TraceRun[];
  summary: TraceSummary;
  log: LogEntry[];
  messages: Message[];
  evaluations: TraceEvaluation[];
}

/** A human intervention in a subgraph's history (upstream's `HumanIntervention`). */
export interface HumanIntervention {
  timestamp: string;
  task_id: string;
  kind: string;
  actor: string | null;
  detail: string;
}

export interface RecursiveTaskInfo {
  id: string;
  title: string;
  status: TaskStatus;
  assigned: string | null;
  duration_secs: number | null;
  duration_human: string | null;
  started_at: string | null;
  completed_at: string | null;
  artifacts: string[];
  agent_runs: number;
  interventions: HumanIntervention[];
  /** Its dependencies inside the subgraph (for the tree). */
  after: string[];
}

/** `wg trace show ID --recursive`: upstream's `RecursiveTraceOutput`. */
export interface RecursiveTrace {
  root_id: string;
  root_title: string;
  total_tasks: number;
  wall_clock_secs: number | null;
  wall_clock_human: string | null;
  tasks: RecursiveTaskInfo[];
  interventions: HumanIntervention[];
}

export type TraceResult = TaskTrace | RecursiveTrace;

/** A task in a trace export (upstream's `ExportedTask`). */
export interface ExportedTask {
  id: string;
  title: string;
  description?: string;
  status: TaskStatus;
  visibility: string;
  skills?: string[];
  after?: string[];
  before?: string[];
  tags?: string[];
  artifacts?: string[];
  created_at?: string;
  completed_at?: string;
  agent?: string;
  log?: LogEntry[];
}

/** `wg trace export`: upstream's `TraceExport` (its `functions` list only when there are any). */
export interface TraceExport {
  metadata: { version: string; exported_at: string; visibility: string; root_task?: string; source?: string };
  tasks: ExportedTask[];
  evaluations: TraceEvaluation[];
  operations: OperationEntry[];
  functions?: JsonValue[];
}

/** `wg trace import`: what was (or with `--dry-run` would be) imported, upstream's fields. */
export interface TraceImportResult {
  dry_run: boolean;
  source: string;
  import_dir: string;
  visibility: string;
  task_count: number;
  evaluation_count: number;
  operation_count: number;
  /** The tasks as imported: `imported/<source>/<id>`. */
  tasks: Array<{ id: string; title: string; status: string }>;
}

/** A graph snapshot (upstream's `RunMeta`, `.wg/runs/run-NNN/meta.json`). */
export interface RunSnapshot {
  id: string;
  timestamp: string;
  model?: string;
  reset_tasks: string[];
  preserved_tasks: string[];
  filter?: string;
}

export interface SnapshotDiffEntry {
  id: string;
  snapshot_status?: string;
  current_status?: string;
  change: 'status_changed' | 'removed' | 'added';
}

export interface SnapshotDiff {
  run_id: string;
  changes: SnapshotDiffEntry[];
  total_changes: number;
}

export interface SnapshotRestore {
  restored_from: string;
  safety_snapshot: string;
  timestamp: string;
}

/** Tokens and cost of a group of runs (a day, a task, a model, an agent identity). */
export interface SpendLine {
  total_cost: number;
  total_input_tokens: number;
  total_output_tokens: number;
  task_count: number;
  run_count: number;
}

export type DaySpend = SpendLine & { date: string };

/** `wg spend`: upstream's totals and `daily_breakdown`, then this app's by task, model and agent identity. */
export interface SpendReport {
  total_cost: number;
  total_input_tokens: number;
  total_output_tokens: number;
  task_count: number;
  run_count: number;
  daily_breakdown: DaySpend[];
  by_task: Array<SpendLine & { task_id: string; title: string | null }>;
  by_model: Array<SpendLine & { model: string }>;
  by_agent: Array<SpendLine & { agent: string; name: string | null }>;
}

/** `wg spend --today`: upstream's one day. */
export type TodaySpend = DaySpend;

/** `wg stats`: upstream's time counters. */
export interface TimeStats {
  service_uptime_secs: number | null;
  cumulative_agent_secs: number;
  active_agent_secs: number;
  active_agent_count: number;
  total_agents: number;
}
