import {
  isSystemTaskId,
  readyAfterMs,
  SATISFYING_STATUSES,
  STARTABLE_STATUSES,
  statusLetsGo,
  TERMINAL_STATUSES,
  type JsonValue,
  type TaskStatus,
} from '../../shared/task';

export { readyAfterMs };

/*
 * Upstream workgraph's readiness rules (`ready_tasks`, `blocker_satisfied_for_dependent`,
 * `is_eval_gate_pending`), stated once. The store materializes them as a blocker count for speed;
 * test/store/readiness-rules.test.ts checks both agree.
 */

export function satisfiesDependency(status: TaskStatus): boolean {
  return SATISFYING_STATUSES.includes(status);
}

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function isStartable(status: TaskStatus): boolean {
  return STARTABLE_STATUSES.includes(status);
}

/** `.evaluate-X` gates the regular dependents of X while it is not terminal; this is its X, if it is one. */
export function evaluatedTaskOf(id: string): string | null {
  return id.startsWith('.evaluate-') ? id.slice('.evaluate-'.length) : null;
}

export const evaluationTaskOf = (id: string): string => `.evaluate-${id}`;

/** One dependency as the rules see it: null status means the id is not in the graph (it blocks). */
export interface DependencyView {
  id: string;
  status: TaskStatus | null;
  /** `.evaluate-<id>` exists and is not terminal. */
  evaluationPending: boolean;
  /**
   * Marked done where nothing merges (upstream's `wg done`, a hand edit of graph.jsonl) while its agent worked: that
   * work is merged when the run ends, and every dependent waits for it, to start from a base that has it.
   */
  workToMerge: boolean;
}

/**
 * Whether `dependency` holds back the task `dependentId`: its status does (statusLetsGo: done or abandoned lets
 * every dependent go, one awaiting evaluation only system dependents, a failed X only its own `.evaluate-X`), a done
 * one whose agent's work is still to merge holds every dependent, and a regular task also waits while the
 * dependency's `.evaluate-` task is not finished (the eval gate).
 */
export function dependencyBlocks(dependency: DependencyView, dependentId: string): boolean {
  if (dependency.status === null || !statusLetsGo(dependency.status, dependency.id, dependentId)) return true;
  if (dependency.status === 'done' && dependency.workToMerge) return true;
  if (isSystemTaskId(dependentId) || isSystemTaskId(dependency.id)) return false;
  return dependency.evaluationPending;
}

export interface ReadinessInput {
  id: string;
  status: TaskStatus;
  paused: boolean;
  not_before: string | null;
  /** Upstream fields kept as they came; `ready_after` among them holds the task back like not_before. */
  extra?: Readonly<Record<string, JsonValue>>;
}

export function isReady(task: ReadinessInput, dependencies: readonly DependencyView[], now: Date): boolean {
  const readyAfter = readyAfterMs(task.extra);
  return (
    isStartable(task.status) &&
    !task.paused &&
    (task.not_before === null || !(Date.parse(task.not_before) > now.getTime())) &&
    (readyAfter === null || readyAfter <= now.getTime()) &&
    !dependencies.some((dependency) => dependencyBlocks(dependency, task.id))
  );
}
