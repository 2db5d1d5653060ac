import { z } from 'zod';
import type { ModelEntry, ModelRegistry } from '../../shared/config-types';
import { MODEL_TIERS } from '../../shared/config-types';
import { conflict, invalid, notFound } from '../../shared/errors';
import { firstProblem, PLAIN } from '../../shared/ops/plain-errors';
import type { ProjectPaths } from '../project';
import { readToml, section, updateToml, type TomlTable } from './toml-file';

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
});

/**
 * The registry: built-ins, then the global and the local config (local wins): `[models.NAME]` with a
 * provider and model_id, and upstream's `[[model_registry]]`. Upstream's per-role routing
 * (`[models.evaluator] model = "claude:opus"`, also under `[models]`) counts as a role, as `[roles]` does.
 */
export function readModels(paths: Pick<ProjectPaths, 'config' | 'globalConfig'>): ModelRegistry {
  const byName = new Map(BUILTIN_MODELS.map((m) => [m.name, m]));
  let defaultModel: string | null = null;
  const roles: Record<string, string> = {};
  for (const file of [paths.globalConfig, paths.config]) {
    const table = readToml(file);
    for (const [name, raw] of Object.entries(tableAt(table, 'models'))) {
      const routing = typeof raw === 'object' && raw !== null && !('model_id' in raw) && !('provider' in raw);
      if (routing) {
        const model = (raw as TomlTable).model;
        if (typeof model === 'string') roles[name] = model;
        continue;
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
      });
    }
    const model = tableAt(table, 'coordinator').model ?? tableAt(table, 'dispatcher').model;
    if (typeof model === 'string') defaultModel = model;
    for (const [role, name] of Object.entries(tableAt(table, 'roles'))) if (typeof name === 'string') roles[role] = name;
  }
  return { models: [...byName.values()], default: defaultModel, roles };
}

export function findModel(registry: ModelRegistry, name: string): ModelEntry | undefined {
  return registry.models.find((m) => m.name === name);
}

function requireModel(paths: Pick<ProjectPaths, 'config' | 'globalConfig'>, name: string): void {
  if (!findModel(readModels(paths), name)) throw notFound('model', name);
}

export function addModel(
  paths: Pick<ProjectPaths, 'config' | 'globalConfig'>,
  input: { name: string; provider: string; modelId: string; tier?: ModelEntry['tier']; costIn?: number; costOut?: number },
): ModelEntry {
  if (BUILTIN_MODELS.some((m) => m.name === input.name)) throw conflict(`'${input.name}' is a built-in model`);
  updateToml(paths.config, (table) => {
    const entry: TomlTable = { provider: input.provider, model_id: input.modelId, tier: input.tier ?? 'standard' };
    if (input.costIn !== undefined) entry.cost_in = input.costIn;
    if (input.costOut !== undefined) entry.cost_out = input.costOut;
    section(table, 'models')[input.name] = entry;
  });
  return findModel(readModels(paths), input.name) as ModelEntry;
}

export function removeModel(paths: Pick<ProjectPaths, 'config' | 'globalConfig'>, name: string): ModelRegistry {
  if (BUILTIN_MODELS.some((m) => m.name === name)) throw conflict(`'${name}' is a built-in model and cannot be removed`);
  const local = tableAt(readToml(paths.config), 'models');
  if (!(name in local)) throw notFound('model in the project config', name);
  updateToml(paths.config, (table) => {
    delete section(table, 'models')[name];
  });
  return readModels(paths);
}

export function setDefaultModel(paths: Pick<ProjectPaths, 'config' | 'globalConfig'>, name: string): ModelRegistry {
  requireModel(paths, name);
  updateToml(paths.config, (table) => {
    section(table, 'coordinator').model = name;
  });
  return readModels(paths);
}

export function setRoleModel(paths: Pick<ProjectPaths, 'config' | 'globalConfig'>, role: string, name: string): ModelRegistry {
  requireModel(paths, name);
  updateToml(paths.config, (table) => {
    section(table, 'roles')[role] = name;
  });
  return readModels(paths);
}
