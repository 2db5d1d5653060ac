import type { ExecutorProfile, Settings } from '../../shared/config-types';
import { invalid } from '../../shared/errors';
import { executorNameFor } from '../../shared/executor-name';
import { resolveExecutor } from '../config/executors';
import { scheduledExecutor } from '../executors/scheduled';
import type { ResolvedModel } from '../executors/launch';
import { REACHABLE_PROVIDERS } from '../config/provider-routes';
import { providerRoute } from '../executors/providers';

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
  let profile = resolveExecutor(profiles, executorNameFor(task, settings.coordinator.executor));
  if (profile.type === 'schedule') profile = scheduledExecutor(settings, profiles);
  if (byHand && profile.type === 'manual') profile = scheduledExecutor(settings, profiles);
  return profile;
}

/**
 * The profile that runs a task with its model: one that can reach the model's provider. When the
 * task named no executor, the default gives way to a profile of the type that can (a model served
 * by OpenRouter runs through codex, not Claude Code); an executor the task names that cannot reach
 * it is refused with the reason, as is a provider no executor reaches: never sent to the wrong API.
 * Executors that only pass the model on (cli, http, shell...) are not second-guessed.
 */
export function routedProfile<P extends Pick<ExecutorProfile, 'name' | 'type'>>(
  profile: P,
  model: ResolvedModel,
  named: boolean,
  profiles: readonly ExecutorProfile[],
): P | ExecutorProfile {
  if (!model.provider || (profile.type !== 'claude' && profile.type !== 'codex')) return profile;
  const route = providerRoute(model.provider, model.endpoint);
  if (!route) throw invalid(unreachable(model, model.provider));
  if (route.executor === profile.type) return profile;
  const other = named ? undefined : profiles.find((p) => p.type === route.executor);
  if (other) return other;
  throw invalid(
    `model '${model.name}' is served by ${route.label}, which the ${profile.type} executor '${profile.name}' cannot reach; use an executor of type ${route.executor}`,
  );
}

/** Why no executor reaches a model, and what to write in the registry so one does. */
function unreachable(model: ResolvedModel, provider: string): string {
  const endpoint = model.endpoint;
  if (endpoint && providerRoute(provider)?.executor === 'claude') {
    return `model '${model.name}' is an Anthropic model with endpoint '${endpoint.name}', but Claude Code takes its endpoint from ANTHROPIC_BASE_URL in the coordinator's environment, not from the model registry`;
  }
  if (endpoint) {
    return `model '${model.name}' names endpoint '${endpoint.name}', which is not configured: add an [[llm_endpoints.endpoints]] entry with name = "${endpoint.name}" and its url, or give the model's endpoint as a URL`;
  }
  return `model '${model.name}' is served by '${provider}', which no executor can reach: give the model an endpoint (endpoint = "https://…/v1", api_key_env = "VARIABLE"), or provider "codex" to use your own codex config (providers reached without one: ${REACHABLE_PROVIDERS.join(', ')})`;
}
