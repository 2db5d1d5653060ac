import type { ExecutorProfile, Settings } from '../../../shared/config-types';
import { resolveExecutor } from '../../config/executors';
import { scheduledExecutor } from '../../executors/index';

/** The executor a task asks for: its own, else `shell` when it has a command, else the coordinator's default. */
export function executorNameFor(task: { executor: string | null; exec: string | null }, settings: Settings): string {
  return task.executor ?? (task.exec ? 'shell' : settings.coordinator.executor);
}

/**
 * The profile a task runs with. A schedule profile only says when, so it runs with the default
 * executor. `byHand` (wg spawn) starts even a manual task: with the coordinator's default executor,
 * since a manual profile has nothing to start.
 */
export function profileFor(
  task: { executor: string | null; exec: string | null },
  settings: Settings,
  profiles: readonly ExecutorProfile[],
  byHand = false,
): ExecutorProfile {
  let profile = resolveExecutor(profiles, executorNameFor(task, settings));
  if (profile.type === 'schedule') profile = scheduledExecutor(settings, profiles);
  if (byHand && profile.type === 'manual') profile = scheduledExecutor(settings, profiles);
  return profile;
}
