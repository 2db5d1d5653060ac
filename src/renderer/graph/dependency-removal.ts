import type { ServiceStatus } from '../../shared/service-types';
import { SATISFYING_STATUSES, type Task } from '../../shared/task';
import type { DependencyLink } from './use-dependency-editing';

/**
 * Whether taking this dependency away lets the coordinator start the task at once: it waited on that dependency
 * alone (every other one done), nothing else holds it (paused, a start time to come), and the coordinator runs and
 * is not paused. Its run then starts within a second or two, before an Undo: the removal asks first instead.
 */
export function startsOnRemoval(
  { source, target }: DependencyLink,
  tasks: ReadonlyMap<string, Task>,
  service: Pick<ServiceStatus, 'running' | 'paused'> | null,
  now: number = Date.now(),
): boolean {
  const task = tasks.get(target);
  const dependency = tasks.get(source);
  if (task?.status !== 'open' || task.paused || !service?.running || service.paused) return false;
  if (!dependency || SATISFYING_STATUSES.includes(dependency.status)) return false;
  if (task.not_before !== null && Date.parse(task.not_before) > now) return false;
  return task.after.every((id) => id === source || SATISFYING_STATUSES.includes(tasks.get(id)?.status ?? 'open'));
}
