import { PRIORITIES, SATISFYING_STATUSES, type Priority, type TaskStatus } from '../../shared/task';

/** The rule, stated once: the store materializes it (a blocker count) for speed and tests check both agree. */
export function satisfiesDependency(status: TaskStatus): boolean {
  return SATISFYING_STATUSES.includes(status);
}

export interface ReadinessInput {
  status: TaskStatus;
  paused: boolean;
  not_before: string | null;
}

export function isReady(task: ReadinessInput, dependencyStatuses: readonly TaskStatus[], now: Date): boolean {
  return (
    task.status === 'open' &&
    !task.paused &&
    (task.not_before === null || Date.parse(task.not_before) <= now.getTime()) &&
    dependencyStatuses.every(satisfiesDependency)
  );
}

export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

export function priorityFromRank(rank: number): Priority {
  return PRIORITIES[rank] ?? 'normal';
}
