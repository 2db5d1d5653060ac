import type { ExecutorType } from '../../shared/config-types';
import { readExecutors, resolveExecutor } from '../config/executors';
import { readModels } from '../config/models';
import type { ConfigPaths } from '../config/project-config';
import { routedProfile } from '../deciding/executor-choice';
import { modelNamed } from '../executors/model-resolution';

/**
 * Refuses, where it is set, a model the named executor cannot reach (an OpenRouter model on a claude executor): the
 * same refusal the task met at dispatch, where it failed at once. A profile given only by name is read from the config.
 */
export async function requireModelReach(
  paths: ConfigPaths,
  executor: string | { name: string; type: ExecutorType } | null | undefined,
  model: string | null | undefined,
): Promise<void> {
  if (!executor || !model) return;
  const profiles = await readExecutors(paths);
  const profile = typeof executor === 'string' ? resolveExecutor(profiles, executor) : executor;
  const resolved = modelNamed(model, await readModels(paths));
  if (resolved) routedProfile(profile, resolved, true, profiles);
}
