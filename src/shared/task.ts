/** The task model. Field names follow workgraph's graph.jsonl where upstream has them. */

export const TASK_STATUSES = ['open', 'in-progress', 'pending-eval', 'done', 'failed', 'abandoned'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Statuses that satisfy a dependency. `failed` deliberately does not. */
export const SATISFYING_STATUSES: readonly TaskStatus[] = ['done', 'abandoned'];
/** Statuses a task never leaves on its own. */
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['done', 'failed', 'abandoned'];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface LogEntry {
  timestamp: string;
  actor: string;
  message: string;
}

export interface Evaluation {
  score: number;
  dimensions: Record<string, number>;
  evaluator: string | null;
  notes: string | null;
  timestamp: string;
}

export interface Task {
  kind: 'task';
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  paused: boolean;
  priority: Priority;
  tags: string[];
  after: string[];
  model: string | null;
  executor: string | null;
  exec: string | null;
  /** Remote tasks: the repository an agent daemon must have (e.g. acme/app); null = none named. */
  repo: string | null;
  /** Remote tasks: the role a daemon must claim (e.g. dev); null = any role. */
  role: string | null;
  schedule: string | null;
  /** Earliest time a scheduled task may start (ISO); null when unscheduled. */
  not_before: string | null;
  assigned: string | null;
  agent: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  log: LogEntry[];
  artifacts: string[];
  /** Structured results handed over with `wg done --artifacts '{...}'`. */
  results: Record<string, JsonValue>;
  retry_count: number;
  max_retries: number;
  failure_reason: string | null;
  evaluation: Evaluation | null;
  session_id: string | null;
  cost_usd: number;
  tokens_in: number;
  tokens_out: number;
  /** Store revision of the last change; lets listeners fetch only what changed. */
  rev: number;
}
