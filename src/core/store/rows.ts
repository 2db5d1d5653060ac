import type { Agent, AgentState } from '../../shared/agent';
import {
  priorityName,
  type Evaluation,
  type JsonValue,
  type LogEntry,
  type Task,
  type TaskStatus,
  type TaskSummary,
} from '../../shared/task';
import type { TaskWorktree } from '../../shared/worktree';
import { storedJson } from './stored-json';

/** A `tasks` row as SQLite returns it. */
export interface TaskRow {
  id: string;
  seq: number;
  title: string;
  description: string;
  status: TaskStatus;
  paused: number;
  priority: number;
  model: string | null;
  executor: string | null;
  exec: string | null;
  repo: string | null;
  role: string | null;
  schedule: string | null;
  not_before: string | null;
  assigned: string | null;
  agent: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  artifacts: string;
  results: string;
  retry_count: number;
  max_retries: number | null;
  rescue_count: number;
  eval_attempts: number;
  failure_reason: string | null;
  evaluation: string | null;
  session_id: string | null;
  cost_usd: number;
  tokens_in: number;
  tokens_out: number;
  /** JSON object: upstream fields kept for export. */
  extra: string;
  blockers: number;
  rev: number;
}

export interface AgentRow extends Omit<Agent, 'runs_elsewhere' | 'state' | 'message_hooks'> {
  runs_elsewhere: number;
  state: AgentState;
  /** The run id its processes carry (null for runs from before it was stored). */
  run_id: string | null;
  /** The launch record (JSON), for the coordinator only. */
  launch: string | null;
  /** The coordinator that started it, on a team's graph (null on SQLite). */
  coordinator_id: string | null;
}

/** The parts of a task kept in side tables (its log is added apart: a list has none). */
export interface TaskRelations {
  after: string[];
  /** Those of `after` that close an upstream loop (Task.loop_back). */
  loop_back: string[];
  tags: string[];
  worktree: TaskWorktree | null;
}

/** What a list item is read from: not the description, artifacts, results or evaluation (see TaskSummary). */
export type TaskSummaryRow = Omit<TaskRow, 'description' | 'artifacts' | 'results' | 'evaluation'>;

/** The columns of a TaskSummaryRow, for a list's `SELECT`. */
export const SUMMARY_COLUMNS =
  'id, seq, title, status, paused, priority, model, executor, exec, repo, role, schedule, not_before, assigned, agent, ' +
  'created_at, started_at, completed_at, retry_count, max_retries, rescue_count, eval_attempts, failure_reason, session_id, ' +
  'cost_usd, tokens_in, tokens_out, extra, blockers, rev';

/** A list's item; `toTask` adds the rest of a whole task to it. */
export function toTaskSummary(row: TaskSummaryRow, relations: TaskRelations): TaskSummary {
  return {
    kind: 'task',
    id: row.id,
    title: row.title,
    status: row.status,
    paused: row.paused === 1,
    priority: priorityName(row.priority),
    priority_value: row.priority,
    tags: relations.tags,
    after: relations.after,
    loop_back: relations.loop_back,
    model: row.model,
    executor: row.executor,
    exec: row.exec,
    repo: row.repo,
    role: row.role,
    schedule: row.schedule,
    not_before: row.not_before,
    assigned: row.assigned,
    agent: row.agent,
    created_at: row.created_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    retry_count: row.retry_count,
    max_retries: row.max_retries,
    rescue_count: row.rescue_count,
    failure_reason: row.failure_reason,
    session_id: row.session_id,
    cost_usd: row.cost_usd,
    tokens_in: row.tokens_in,
    tokens_out: row.tokens_out,
    extra: storedJson<Record<string, JsonValue>>(row.extra, row.id, 'extra fields'),
    worktree: relations.worktree,
    rev: row.rev,
  };
}

/** Field by field (see `newRun`): no rest and spread. */
export function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    task_id: row.task_id,
    executor: row.executor,
    model: row.model,
    model_source: row.model_source,
    pid: row.pid,
    state: row.state,
    runs_elsewhere: row.runs_elsewhere === 1,
    started_at: row.started_at,
    ended_at: row.ended_at,
    last_heartbeat: row.last_heartbeat,
    exit_code: row.exit_code,
    reason: row.reason,
    output_path: row.output_path,
    session_id: row.session_id,
    cost_usd: row.cost_usd,
    tokens_in: row.tokens_in,
    tokens_out: row.tokens_out,
    turns: row.turns,
    purpose: row.purpose,
    rev: row.rev,
    ...(launchHasHooks(row.launch) ? { message_hooks: true as const } : {}),
  };
}

/** Whether the run's launch record says it got the message hooks (runs/files/run-files.ts LaunchRecord). */
function launchHasHooks(launch: string | null): boolean {
  if (launch === null) return false;
  try {
    return (JSON.parse(launch) as { message_hooks?: unknown }).message_hooks === true;
  } catch {
    return false;
  }
}

/** A whole task: its list item (made from `row`), with the parts a list leaves out. */
export function toTask(summary: TaskSummary, row: TaskRow, log: LogEntry[]): Task {
  return Object.assign(summary, {
    description: row.description,
    artifacts: storedJson<string[]>(row.artifacts, row.id, 'artifacts'),
    results: storedJson<Record<string, JsonValue>>(row.results, row.id, 'results'),
    evaluation: row.evaluation === null ? null : storedJson<Evaluation>(row.evaluation, row.id, 'evaluation'),
    log,
  });
}
