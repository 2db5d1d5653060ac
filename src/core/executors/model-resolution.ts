import type { ExecutorProfile, ModelEntry, ModelRegistry, Settings } from '../../shared/config-types';
import { parseModelSpec } from '../config/model-spec';
import type { Task } from '../../shared/task';
import type { ModelEndpoint, ModelSource, ResolvedModel } from './launch';

/** The roles this app starts runs for (upstream's DispatchRole names). */
export type RunRole = 'task_agent' | 'assigner' | 'evaluator' | 'triage';

export interface ModelResolutionInput {
  task: Pick<Task, 'model'>;
  profile: Pick<ExecutorProfile, 'model'>;
  settings: Pick<Settings, 'coordinator' | 'agent'>;
  registry: Pick<ModelRegistry, 'models'> & Partial<Pick<ModelRegistry, 'roles'>>;
  /** The preferred model of the task's agent identity, if it has one. */
  identityModel?: string | null;
}

/**
 * A model as written: a registered name becomes its model_id; an upstream spec `provider:model`
 * (`claude:opus`) passes the model part (its registered id when the part is a name); anything else
 * is passed through as a raw id.
 */
function named(value: string | null | undefined, source: ModelSource, registry: Pick<ModelRegistry, 'models'>): ResolvedModel | null {
  const name = value?.trim();
  if (!name) return null;
  const entry = registry.models.find((m) => m.name === name);
  if (entry) return { name, id: entry.model_id, source, provider: entry.provider, ...endpointOf(entry) };
  const spec = parseModelSpec(name);
  const registered = spec.provider === null ? undefined : registry.models.find((m) => m.name === spec.model);
  return {
    name,
    id: registered ? registered.model_id : spec.model,
    source,
    provider: registered?.provider ?? providerOfPrefix(spec.provider),
    ...(registered ? endpointOf(registered) : {}),
  };
}

/** A model as written, resolved as a run's would be: who serves it, at which endpoint (null for an empty name). */
export function modelNamed(value: string, registry: Pick<ModelRegistry, 'models'>): ResolvedModel | null {
  return named(value, 'command', registry);
}

/** A registry model's own endpoint, when it names one. */
function endpointOf(entry: ModelEntry): { endpoint?: ModelEndpoint } {
  if (!entry.endpoint) return {};
  return { endpoint: { name: entry.endpoint, url: entry.endpoint_url ?? null, keyEnv: entry.api_key_env ?? null } };
}

/**
 * Who serves a model named with an upstream prefix: `claude:` is Anthropic; `codex:` names only the
 * executor (whatever it is configured to reach); any other prefix is the provider itself.
 */
function providerOfPrefix(prefix: string | null): string | null {
  if (prefix === null || prefix === 'codex') return null;
  return prefix === 'claude' ? 'anthropic' : prefix;
}

/**
 * Which model a task agent uses, in upstream's order with the agency's and role routing's places:
 * the task's, else its identity's preferred model, else the executor profile's, else the task_agent
 * route (`wg model set task_agent M`), else coordinator.model (which `--model` on the service
 * overrides), else agent.model; with none, the tool picks its own default (id null).
 */
export function resolveModel({ task, profile, settings, registry, identityModel }: ModelResolutionInput): ResolvedModel {
  return (
    named(task.model, 'task', registry) ??
    named(identityModel, 'identity', registry) ??
    named(profile.model, 'executor', registry) ??
    named(registry.roles?.task_agent, 'role', registry) ??
    named(settings.coordinator.model, 'coordinator', registry) ??
    named(settings.agent.model, 'agent', registry) ?? { name: null, id: null, source: 'default', provider: null }
  );
}

/**
 * The model of an assigner, evaluator or triage run: its role route (`wg model set evaluator opus`,
 * `--role`, or upstream's `[models.evaluator]`), for triage coordinator.triage_model, else upstream's
 * default tier for these roles — fast — meaning the first fast model of the registry (haiku, built in).
 */
export function resolveRoleModel(
  role: Exclude<RunRole, 'task_agent'>,
  settings: Pick<Settings, 'coordinator'>,
  registry: Pick<ModelRegistry, 'models' | 'roles'>,
  /** Named for this one run (`wg evaluate run --evaluator-model M`): before the route. */
  asked?: string,
): ResolvedModel {
  const fast = registry.models.find((m) => m.tier === 'fast');
  return (
    named(asked, 'command', registry) ??
    named(registry.roles[role], 'role', registry) ??
    (role === 'triage' ? named(settings.coordinator.triage_model, 'coordinator', registry) : null) ??
    (fast
      ? { name: fast.name, id: fast.model_id, source: 'tier', provider: fast.provider, ...endpointOf(fast) }
      : { name: null, id: null, source: 'default', provider: null })
  );
}

const SOURCE_TEXT: Record<ModelSource, (role: RunRole) => string> = {
  task: () => 'model from the task',
  identity: () => "model preferred by the task's agent identity",
  executor: () => 'model from the executor profile',
  role: (role) => `model from the ${role} route ([roles] ${role})`,
  coordinator: (role) => (role === 'triage' ? 'model from coordinator.triage_model' : 'model from coordinator.model'),
  agent: () => 'model from agent.model',
  tier: (role) => `the ${role} role's default tier: fast`,
  default: () => "no model chosen: the executor's default",
  command: (role) => (role === 'evaluator' ? 'model from --evaluator-model' : 'model given for this run'),
};

/** For log lines: which role asked and where its model came from, e.g. "role evaluator: model from [roles] evaluator". */
export function describeModelSource(role: RunRole, model: ResolvedModel): string {
  return `role ${role}: ${SOURCE_TEXT[model.source](role)}`;
}
