import type { ExecutorProfile, Settings } from '../../../shared/config-types';
import { parseDelaySeconds } from '../../../shared/durations';
import type { Task } from '../../../shared/task';

/** Upstream's per-task `timeout` (`wg add --timeout 30m`), kept in extra: seconds, or null when absent or unreadable. */
function taskTimeoutS(task: Pick<Task, 'extra'>): number | null {
  const value = task.extra.timeout;
  return typeof value === 'string' ? parseDelaySeconds(value) : null;
}

/**
 * How long a run may take, in seconds (null: no limit), whoever runs it: the coordinator's deadline of a local process,
 * an agent daemon's job (its timeout_s: the daemon stops it then). One rule for every kind of run, so a remote task's
 * own `--timeout` counts as a local one's does. Upstream's order: the spawn's own (`wg spawn --timeout`), the task's
 * (`wg add --timeout`), the executor's, the project's (`agent.timeout`).
 */
export function runTimeoutS(o: {
  overrideS?: number | undefined;
  task: Pick<Task, 'extra'>;
  profile: Pick<ExecutorProfile, 'timeout'>;
  settings: { agent: Pick<Settings['agent'], 'timeout'> };
}): number | null {
  return o.overrideS ?? taskTimeoutS(o.task) ?? o.profile.timeout ?? o.settings.agent.timeout;
}
