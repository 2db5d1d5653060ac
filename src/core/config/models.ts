import { z } from 'zod';
import type { ModelEntry, ModelRegistry } from '../../shared/config-types';
import { MODEL_TIERS } from '../../shared/config-types';
import { conflict, invalid, notFound } from '../../shared/errors';
import { firstProblem, PLAIN } from '../../shared/ops/plain-errors';
import { parseModelSpec } from './model-spec';
import { providerDefaults, REACHABLE_PROVIDERS } from './provider-routes';
import { readToml, section, updateToml, type TomlTable } from './toml-file';
import { type ConfigPaths, readGlobalConfig, readProjectConfig, updateProjectConfig } from './project-config';

export const BUILTIN_MODELS: readonly ModelEntry[] = [
  { name: 'haiku', provider: 'anthropic', model_id: 'haiku', tier: 'fast', cost_in: 1, cost_out: 5, builtin: true },
  { name: 'sonnet', provider: 'anthropic', model_id: 'sonnet', tier: 'standard', cost_in: 3, cost_out: 15, builtin: true },
  { name: 'opus', provider: 'anthropic', model_id: 'opus', tier: 'premium', cost_in: 5, cost_out: 25, builtin: true },
];

const storedModel = z.object({
  provider: z.string().min(1),
  model_id: z.string().min(1),
  tier: z.enum(MODEL_TIERS).default('standard'),
  cost_in: z.number().min(0).optional(),
  cost_out: z.number().min(0).optional(),
  endpoint: z.string().min(1).optional(),
  api_key_env: z.string().min(1).optional(),
});

function tableAt(table: TomlTable, key: string): TomlTable {
  const value = table[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as TomlTable) : {};
}

/** Upstream's `[[model_registry]]` entries (ModelRegistryEntry). */
const upstreamEntry = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  model: z.string().min(1),
  tier: z.enum(MODEL_TIERS).default('standard'),
  cost_per_input_mtok: z.number().min(0).optional(),
  cost_per_output_mtok: z.number().min(0).optional(),
  endpoint: z.string().min(1).optional(),
  api_key_env: z.string().min(1).optional(),
});

/**
 * Upstream's `[[llm_endpoints.endpoints]]` (EndpointConfig): a named endpoint a model's `endpoint`
 * can name. Only the URL and the key's variable are used: a key written into config.toml
 * (`api_key`, `api_key_file`) is not handed to an agent CLI.
 */
const endpointEntry = z.object({
  name: z.string().min(1),
  provider: z.string().min(1).default('anthropic'),
  url: z.string().min(1).optional(),
  api_key_env: z.string().min(1).optional(),
});
type EndpointEntry = z.infer<typeof endpointEntry>;

/**
 * The endpoints of the config files: the local list replaces the global one unless the local
 * `[llm_endpoints]` says `inherit_global = true` (upstream's rule).
 */
function readEndpoints(tables: readonly { file: string; table: TomlTable }[]): EndpointEntry[] {
  let endpoints: EndpointEntry[] = [];
  for (const [index, { file, table }] of tables.entries()) {
    const section = tableAt(table, 'llm_endpoints');
    const list = Array.isArray(section.endpoints) ? section.endpoints : [];
    if (list.length === 0) continue;
    const own = list.map((raw, i) => {
      const parsed = endpointEntry.safeParse(raw, PLAIN);
      if (!parsed.success) throw invalid(`${file}: llm_endpoints.endpoints item ${i + 1}: ${firstProblem(parsed.error)}`);
      return parsed.data;
    });
    const keep = index > 0 && section.inherit_global === true ? endpoints.filter((e) => !own.some((o) => o.name === e.name)) : [];
    endpoints = [...keep, ...own];
  }
  return endpoints;
}

/** A model's endpoint as written, resolved: a URL is itself; a name is looked up (its provider's defaults fill gaps). */
function resolveEndpoint(
  entry: { endpoint?: string; api_key_env?: string },
  endpoints: readonly EndpointEntry[],
): Pick<ModelEntry, 'endpoint' | 'endpoint_url' | 'api_key_env'> {
  if (!entry.endpoint) return entry.api_key_env ? { api_key_env: entry.api_key_env } : {};
  if (/^https?:\/\//i.test(entry.endpoint)) {
    return { endpoint: entry.endpoint, endpoint_url: entry.endpoint, api_key_env: entry.api_key_env ?? null };
  }
  const named = endpoints.find((e) => e.name === entry.endpoint);
  const defaults = named ? providerDefaults(named.provider) : { url: null, keyEnv: null };
  return {
    endpoint: entry.endpoint,
    endpoint_url: named?.url ?? defaults.url,
    api_key_env: entry.api_key_env ?? named?.api_key_env ?? defaults.keyEnv,
  };
}

/**
 * The registry: built-ins, then the global and the local config (local wins): `[models.NAME]` with a
 * provider and model_id, and upstream's `[[model_registry]]`. Upstream's per-role routing
 * (`[models.evaluator] model = "claude:opus"`, also under `[models]`) counts as a role, as `[roles]` does.
 */
export async function readModels(paths: ConfigPaths): Promise<ModelRegistry> {
  const byName = new Map(BUILTIN_MODELS.map((m) => [m.name, m]));
  let defaultModel: string | null = null;
  const roles: Record<string, string> = {};
  const tables = [
    { file: paths.globalConfig, table: readGlobalConfig(paths) },
    { file: paths.config, table: await readProjectConfig(paths) },
  ];
  const endpoints = readEndpoints(tables);
  for (const { file, table } of tables) {
    for (const [name, raw] of Object.entries(tableAt(table, 'models'))) {
      const routing = typeof raw === 'object' && raw !== null && !('model_id' in raw) && !('provider' in raw);
      if (routing) {
        const model = (raw as TomlTable).model;
        if (typeof model === 'string') roles[name] = model;
        continue;
      }
      // Upstream's older role routing, `[models.evaluator] provider = "…" model = "…"`: refused there too, said as such.
      const older = raw as TomlTable;
      if (!('model_id' in older) && typeof older.model === 'string' && typeof older.provider === 'string') {
        throw invalid(
          `${file}: models.${name}: a provider beside a role's model is upstream's deprecated form; write model = "${older.provider}:${older.model}"`,
        );
      }
      const parsed = storedModel.safeParse(raw, PLAIN);
      if (!parsed.success) throw invalid(`${file}: models.${name}: ${firstProblem(parsed.error)}`);
      const m = parsed.data;
      byName.set(name, {
        name,
        provider: m.provider,
        model_id: m.model_id,
        tier: m.tier,
        cost_in: m.cost_in ?? null,
        cost_out: m.cost_out ?? null,
        builtin: false,
        ...resolveEndpoint(m, endpoints),
      });
    }
    const registry = table.model_registry;
    for (const [index, raw] of (Array.isArray(registry) ? registry : []).entries()) {
      const parsed = upstreamEntry.safeParse(raw, PLAIN);
      if (!parsed.success) throw invalid(`${file}: model_registry item ${index + 1}: ${firstProblem(parsed.error)}`);
      const m = parsed.data;
      byName.set(m.id, {
        name: m.id,
        provider: m.provider,
        model_id: m.model,
        tier: m.tier,
        cost_in: m.cost_per_input_mtok ?? null,
        cost_out: m.cost_per_output_mtok ?? null,
        builtin: false,
        ...resolveEndpoint(m, endpoints),
      });
    }
    const model = tableAt(table, 'coordinator').model ?? tableAt(table, 'dispatcher').model;
    if (typeof model === 'string') defaultModel = model;
    for (const [role, name] of Object.entries(tableAt(table, 'roles'))) if (typeof name === 'string') roles[role] = name;
  }
  return { models: [...byName.values()], default: defaultModel, roles };
}

function findModel(registry: ModelRegistry, name: string): ModelEntry | undefined {
  return registry.models.find((m) => m.name === name);
}

/** A registered name, or upstream's `provider:model` spec (`claude:opus`) whose model part is registered. */
export async function requireModel(paths: ConfigPaths, name: string): Promise<void> {
  const registry = await readModels(paths);
  if (!findModel(registry, name) && !findModel(registry, parseModelSpec(name).model)) throw notFound('model', name);
}

/** The config file a registry change goes to: the project's, or with `--global` the user's (upstream's scope). */
/** The user's global config.toml with `global`, else the project's own settings (the team's in the store on a team's graph). */
const readLayer = async (paths: ConfigPaths, global?: boolean) => (global ? readToml(paths.globalConfig) : readProjectConfig(paths));
const updateLayer = async (paths: ConfigPaths, global: boolean | undefined, change: (table: TomlTable) => void) =>
  global ? updateToml(paths.globalConfig, change) : updateProjectConfig(paths, change);

export async function addModel(
  paths: ConfigPaths,
  input: {
    name: string;
    provider: string;
    /** Upstream's default: the name. */
    modelId?: string;
    global?: boolean;
    tier?: ModelEntry['tier'];
    costIn?: number;
    costOut?: number;
    endpoint?: string;
    keyEnv?: string;
  },
): Promise<ModelEntry> {
  if (BUILTIN_MODELS.some((m) => m.name === input.name)) throw conflict(`'${input.name}' is a built-in model`);
  // A provider names the API that serves the model; with an endpoint of its own, that endpoint does, whatever the name.
  if (input.endpoint === undefined && !REACHABLE_PROVIDERS.includes(input.provider.toLowerCase())) {
    throw invalid(
      `unknown provider '${input.provider}': the known ones are ${REACHABLE_PROVIDERS.join(', ')} (a model with its own --endpoint may name any)`,
    );
  }
  await updateLayer(paths, input.global, (table) => {
    const entry: TomlTable = { provider: input.provider, model_id: input.modelId ?? input.name, tier: input.tier ?? 'standard' };
    if (input.costIn !== undefined) entry.cost_in = input.costIn;
    if (input.costOut !== undefined) entry.cost_out = input.costOut;
    if (input.endpoint !== undefined) entry.endpoint = input.endpoint;
    if (input.keyEnv !== undefined) entry.api_key_env = input.keyEnv;
    section(table, 'models')[input.name] = entry;
  });
  return findModel(await readModels(paths), input.name) as ModelEntry;
}

/**
 * Removes a model of the project's config (the user's with `global`). One the default or a role still names is
 * refused, naming them, unless `force` (upstream's remove_registry_entry): a route to a model that is gone fails later.
 */
export async function removeModel(
  paths: ConfigPaths,
  name: string,
  options: { force?: boolean; global?: boolean } = {},
): Promise<ModelRegistry> {
  if (BUILTIN_MODELS.some((m) => m.name === name)) throw conflict(`'${name}' is a built-in model and cannot be removed`);
  const own = tableAt(await readLayer(paths, options.global), 'models');
  if (!(name in own)) throw notFound('model', name, options.global ? 'in the global config' : 'in the project config');
  const registry = await readModels(paths);
  const users = [
    ...(registry.default === name ? ['the default model (coordinator.model)'] : []),
    ...Object.entries(registry.roles)
      .filter(([, model]) => model === name)
      .map(([role]) => `role ${role}`),
  ];
  if (users.length > 0 && !options.force) {
    throw conflict(`Cannot remove '${name}': referenced by ${users.join(', ')}; use --force to remove it anyway, or reassign them first`);
  }
  await updateLayer(paths, options.global, (table) => {
    delete section(table, 'models')[name];
  });
  return readModels(paths);
}

export async function setDefaultModel(paths: ConfigPaths, name: string, global?: boolean): Promise<ModelRegistry> {
  await requireModel(paths, name);
  await updateLayer(paths, global, (table) => {
    section(table, 'coordinator').model = name;
  });
  return readModels(paths);
}

export async function setRoleModel(paths: ConfigPaths, role: string, name: string, global?: boolean): Promise<ModelRegistry> {
  await requireModel(paths, name);
  await updateLayer(paths, global, (table) => {
    section(table, 'roles')[role] = name;
  });
  return readModels(paths);
}
