/** The task model. Field names follow workgraph's graph.jsonl where upstream has them. */
import type { TaskWorktree } from './worktree';

/** Every status upstream workgraph writes (`Status`, serialized kebab-case), in its order. */
export const TASK_STATUSES = [
  'open',
  'in-progress',
  'waiting',
  'blocked',
  'done',
  'failed',
  'abandoned',
  'pending-validation',
  'pending-eval',
  'failed-pending-eval',
  'incomplete',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Named levels, highest first; upstream stores the numbers of PRIORITY_VALUES (higher runs first). */
export const PRIORITIES = ['critical', 'high', 'normal', 'low', 'idle'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_VALUES: Readonly<Record<Priority, number>> = { critical: 100, high: 50, normal: 10, low: 5, idle: 0 };

/**
 * The named level of an upstream priority number, by upstream's tiers (`boost_priority`):
 * 0 idle, 1-5 low, 6-10 normal, 11-50 high, above 50 critical.
 */
export function priorityName(value: number): Priority {
  if (value > 50) return 'critical';
  if (value > 10) return 'high';
  if (value > 5) return 'normal';
  if (value > 0) return 'low';
  return 'idle';
}

/** A name ("high", any case) or upstream's number (50, "50"); anything else is null. */
export function parsePriority(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? value : null;
  if (typeof value !== 'string') return null;
  const name = value.trim().toLowerCase();
  if ((PRIORITIES as readonly string[]).includes(name)) return PRIORITY_VALUES[name as Priority];
  return /^\d{1,9}$/.test(name) ? Number(name) : null;
}

/** Statuses that satisfy a dependency (upstream `is_dep_satisfied`). `failed` deliberately does not. */
export const SATISFYING_STATUSES: readonly TaskStatus[] = ['done', 'abandoned'];
/** Statuses a task never leaves on its own (upstream `is_terminal`). */
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['done', 'failed', 'abandoned'];
/** Statuses the coordinator may start a task from: `incomplete` is retryable work (upstream `ready_tasks`). */
export const STARTABLE_STATUSES: readonly TaskStatus[] = ['open', 'incomplete'];
/**
 * The agent finished and an evaluation decides (soft done / soft failed). Regular dependents wait;
 * system tasks (the evaluation itself) may proceed.
 */
export const AWAITING_EVALUATION: readonly TaskStatus[] = ['pending-eval', 'failed-pending-eval'];

/** Upstream's system tasks (`.assign-x`, `.evaluate-x`, `.flip-x`, …) have ids starting with a dot. */
export function isSystemTaskId(id: string): boolean {
  return id.startsWith('.');
}

/**
 * This app's `.merge-X` (`wg done X --ignore-unmerged-worktree`) until it is finished: X's work is not on the base
 * branch, and nothing merges it but a person. A system task by its id, it is shown where people look (`wg list`,
 * `wg status`, the window) rather than hidden with upstream's bookkeeping.
 */
export function awaitsMerge(task: Pick<Task, 'id' | 'status'>): boolean {
  return task.id.startsWith('.merge-') && task.status !== 'done' && task.status !== 'abandoned';
}

/**
 * Whether a dependency in `status` lets its dependent go as far as its own status goes (upstream's
 * blocker_satisfied_for_dependent): done or abandoned lets every dependent go; one awaiting evaluation lets a
 * system dependent go (the evaluation itself must run); and a failed X lets its own `.evaluate-X` go, as failed work
 * is evaluated too (upstream's coordinator takes the failed X out of that task's `after`; here the edge stays, so a
 * retried X holds it again). The store's blocker count states the same in SQL (blockersOfRow, store/query/readiness.ts).
 */
export function statusLetsGo(status: TaskStatus, dependencyId: string, dependentId: string): boolean {
  if (SATISFYING_STATUSES.includes(status)) return true;
  if (AWAITING_EVALUATION.includes(status)) return isSystemTaskId(dependentId);
  return status === 'failed' && dependentId === `.evaluate-${dependencyId}`;
}

/** Tags of upstream's coordinator and chat tasks: system ids, yet always shown (upstream's is_internal_task exempts them). */
export const ALWAYS_SHOWN_TAGS: readonly string[] = ['coordinator-loop', 'chat-loop', 'user-board', 'evolution'];

/**
 * A system task a person does not deal with, hidden from `wg viz` unless `--show-internal` and folded away in the
 * window unless asked for: upstream's is_internal_task without its older rule by tag (`assignment`, `evaluation`),
 * which `wg viz` adds itself (vizHides). The coordinator and chat tasks stay shown.
 */
export function isInternalTask(task: Pick<Task, 'id' | 'tags'>): boolean {
  return isSystemTaskId(task.id) && !task.tags.some((tag) => ALWAYS_SHOWN_TAGS.includes(tag));
}

/** Upstream's system tasks this app's coordinator runs itself (core/agency/system-tasks.ts): its kind and X. */
export function coordinatorSystemTask(id: string): { kind: 'evaluate' | 'assign' | 'flip'; target: string } | null {
  const match = /^\.(evaluate|assign|flip)-(.+)$/.exec(id);
  return match ? { kind: match[1] as 'evaluate' | 'assign' | 'flip', target: match[2] as string } : null;
}

/**
 * Upstream's system tasks its coordinator dispatches to an agent like any other task: `.verify-X` (FLIP's
 * "verify and repair", its instructions in the description; its coordinator's build_flip_verification_tasks)
 * and `.verify-deferred-X` (`wg done`: the parent's verify after its subtasks). Started here the same way.
 */
export function runsAsAgentTask(id: string): boolean {
  return id.startsWith('.verify-');
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Upstream's `ready_after` (set by a loop's delay and `wg incomplete`, kept in a task's `extra`), in ms,
 * or null: absent or unreadable, upstream does not wait for it (its `is_time_ready`).
 */
export function readyAfterMs(extra: Readonly<Record<string, JsonValue>> | undefined): number | null {
  const value = extra?.ready_after;
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * When a task may start, in ms (0: any time): its not_before or upstream's ready_after, the later one, as
 * `wg show` and `wg ready` read them.
 */
export function startsAtMs(task: Pick<Task, 'not_before' | 'extra'>): number {
  return Math.max(task.not_before ? Date.parse(task.not_before) || 0 : 0, readyAfterMs(task.extra) ?? 0);
}

export interface LogEntry {
  timestamp: string;
  actor: string;
  message: string;
  /** The person behind the entry, when upstream recorded one. */
  user?: string | null;
}

export interface Evaluation {
  score: number;
  dimensions: Record<string, number>;
  evaluator: string | null;
  notes: string | null;
  timestamp: string;
  /** The model that did the work (upstream's `model`); absent in evaluations recorded before it was kept. */
  model?: string | null;
  /** `llm` (an evaluator run) or `manual` (`wg evaluate record`). */
  source?: string;
}

export interface Task {
  kind: 'task';
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  paused: boolean;
  /** The named level of `priority_value`. */
  priority: Priority;
  /** Upstream's number (100 critical, 50 high, 10 normal, 5 low, 0 idle; any other number keeps its place). */
  priority_value: number;
  tags: string[];
  /** Dependencies; an id not in the graph (kept from an import) blocks, as upstream treats it. */
  after: string[];
  /**
   * Those of `after` that close one of upstream's loops in an imported graph (its back edges, which its `wg ready`
   * exempts; chosen at the import, store/import-export.ts): they do not hold the task.
   */
  loop_back: string[];
  model: string | null;
  executor: string | null;
  exec: string | null;
  /** Remote tasks: the repository an agent daemon must have (e.g. acme/app); null = none named. */
  repo: string | null;
  /** Remote tasks: the role a daemon must claim (e.g. dev); null = any role. */
  role: string | null;
  /** "09:00" (daily), a cron expression (both repeat), or a one-off local time "2026-12-01T09:00". */
  schedule: string | null;
  /** Earliest time the task may start (ISO); the next occurrence of a schedule. */
  not_before: string | null;
  assigned: string | null;
  /** Upstream's agency identity (a content hash) of who does the task. */
  agent: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  log: LogEntry[];
  artifacts: string[];
  /** Structured results handed over with `wg done --artifacts '{...}'`. */
  results: Record<string, JsonValue>;
  retry_count: number;
  /** Its own retry budget (shared/retry-budget.ts); null means the project's, agent.max_retries. */
  max_retries: number | null;
  /** Its budget in effect, its own or the project's, where an operation reports it (show, list, fail, retry, incomplete). */
  retry_limit?: number;
  /** Times a failing evaluation sent the task back for another attempt (upstream's rescue_count). */
  rescue_count: number;
  failure_reason: string | null;
  evaluation: Evaluation | null;
  session_id: string | null;
  cost_usd: number;
  tokens_in: number;
  tokens_out: number;
  /**
   * Upstream graph.jsonl fields this app keeps but does not act on (token_usage, before, requires, skills,
   * inputs, deliverables, verify, exec_mode, context_scope, loop_iteration, …); written back by `wg export`.
   */
  extra: Record<string, JsonValue>;
  /** The git worktree its agent works in (the newest one), with its branch, state and merge commit. */
  worktree: TaskWorktree | null;
  /** Store revision of the last change; lets listeners fetch only what changed. */
  rev: number;
}

/**
 * An item of `wg ready`: `ready` true, or false for a task held back only by a future `ready_after`
 * (listed after the ready ones, as upstream's `wg ready` does).
 */
export type ReadyItem = Task & { ready: boolean };

/** `wg abandon`: the task, and what upstream's `wg abandon` says of it. */
export interface AbandonResult {
  task: Task;
  /** X's unfinished system tasks abandoned with it ("Auto-abandoned: …"), in graph order. */
  auto_abandoned: string[];
  /** It was abandoned already: nothing changed. */
  already_abandoned: boolean;
}

/** A dependency or dependent as `wg show` lists it; status null: the id is not in the graph. */
export interface TaskLink {
  id: string;
  status: TaskStatus | null;
}

/** `wg show`: the task, with the tasks on either side of it (as upstream's show lists after/before). */
/**
 * A task as a list carries it: all but its log, description, artifacts, results and evaluation (`wg show`
 * has them). A list of a thousand tasks read every log entry and description and carried them for nothing:
 * `wg list` prints none of them and upstream's `wg list --json` has none; in a real plan they are most of
 * its bytes.
 */
export type TaskSummary = Omit<Task, 'log' | 'description' | 'artifacts' | 'results' | 'evaluation'>;

export interface TaskDetail extends Task {
  /** What it depends on, with their statuses. */
  dependencies: TaskLink[];
  /** What depends on it ("required by"), with their statuses. */
  required_by: TaskLink[];
  /** Whether the coordinator may start it now. */
  ready: boolean;
  /**
   * An open task that cannot start, why, in the words the window's card uses (shared/task-hold.ts):
   * "blocked by failed X", "waiting on X (+2 more)", or "waiting for an agent daemon with repo R"
   * (the coordinator's word, when it runs); null otherwise.
   */
  hold: string | null;
}
