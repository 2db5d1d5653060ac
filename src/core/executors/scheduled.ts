import type { ExecutorProfile, Settings } from '../../shared/config-types';
import { invalid } from '../../shared/errors';
import { resolveExecutor } from '../config/executors';

/**
 * A scheduled task runs with the coordinator's default executor: the schedule only decides
 * when (the store keeps `not_before`), not how. `profiles` should be the project's profiles
 * (readExecutors); the default may also be an http(s) URL.
 */
export function scheduledExecutor(settings: Pick<Settings, 'coordinator'>, profiles: readonly ExecutorProfile[]): ExecutorProfile {
  const name = settings.coordinator.executor;
  const profile = resolveExecutor(profiles, name);
  if (profile.type === 'schedule') {
    throw invalid(`coordinator.executor '${name}' is a schedule executor; scheduled tasks need a real executor to run with`);
  }
  return profile;
}
