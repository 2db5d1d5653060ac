import type { ExecutorProfile, ModelRegistry, Settings } from '../../shared/config-types';
import type { Task } from '../../shared/task';
import type { ModelSource, ResolvedModel } from './launch';

export interface ModelResolutionInput {
  task: Pick<Task, 'model'>;
  profile: Pick<ExecutorProfile, 'model'>;
  settings: Pick<Settings, 'coordinator'>;
  registry: Pick<ModelRegistry, 'models'>;
}

/**
 * Which model a run uses: the task's, else the executor profile's, else the coordinator's;
 * with none, the tool picks its own default (id null). Registered names become their model_id;
 * anything else is passed through as a raw id.
 */
export function resolveModel({ task, profile, settings, registry }: ModelResolutionInput): ResolvedModel {
  const candidates: Array<[string | null, ModelSource]> = [
    [task.model, 'task'],
    [profile.model, 'executor'],
    [settings.coordinator.model, 'coordinator'],
  ];
  for (const [value, source] of candidates) {
    const name = value?.trim();
    if (!name) continue;
    const entry = registry.models.find((m) => m.name === name);
    return { name, id: entry ? entry.model_id : name, source };
  }
  return { name: null, id: null, source: 'default' };
}
