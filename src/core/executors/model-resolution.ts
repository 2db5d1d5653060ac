import type { ExecutorProfile, ModelRegistry, Settings } from '../../shared/config-types';
import { parseModelSpec } from '../config/model-spec';
import type { Task } from '../../shared/task';
import type { ModelSource, ResolvedModel } from './launch';

export interface ModelResolutionInput {
  task: Pick<Task, 'model'>;
  profile: Pick<ExecutorProfile, 'model'>;
  settings: Pick<Settings, 'coordinator' | 'agent'>;
  registry: Pick<ModelRegistry, 'models'>;
}

/**
 * Which model a run uses, in upstream's order: the task's, else the executor profile's, else
 * coordinator.model (which `--model` on the service overrides), else agent.model; with none, the tool
 * picks its own default (id null). Registered names become their model_id; an upstream spec
 * `provider:model` (`claude:opus`) passes the model part; anything else is passed through as a raw id.
 */
export function resolveModel({ task, profile, settings, registry }: ModelResolutionInput): ResolvedModel {
  const candidates: Array<[string | null, ModelSource]> = [
    [task.model, 'task'],
    [profile.model, 'executor'],
    [settings.coordinator.model, 'coordinator'],
    [settings.agent.model, 'agent'],
  ];
  for (const [value, source] of candidates) {
    const name = value?.trim();
    if (!name) continue;
    const entry = registry.models.find((m) => m.name === name);
    if (entry) return { name, id: entry.model_id, source, provider: entry.provider };
    const spec = parseModelSpec(name);
    const registered = spec.provider === null ? undefined : registry.models.find((m) => m.name === spec.model);
    return { name, id: registered ? registered.model_id : spec.model, source, provider: registered?.provider ?? providerOfPrefix(spec.provider) };
  }
  return { name: null, id: null, source: 'default', provider: null };
}

/**
 * Who serves a model named with an upstream prefix: `claude:` is Anthropic; `codex:` names only the
 * executor (whatever it is configured to reach); any other prefix is the provider itself.
 */
function providerOfPrefix(prefix: string | null): string | null {
  if (prefix === null || prefix === 'codex') return null;
  return prefix === 'claude' ? 'anthropic' : prefix;
}
