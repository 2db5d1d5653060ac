import type { ConfigEntry, ConfigSource } from '../../shared/config-types';
import type { TomlTable } from './toml-file';
import { type ConfigPaths, readGlobalConfig, readProjectLayers } from './project-config';

/**
 * The settings a role's model route comes before (`wg model set triage opus`, `[roles] triage`, upstream's
 * `[models.triage] model`): a run of that role asks its route first, and the setting only without one
 * (model-resolution.ts). `coordinator.model` is the task agents' setting, its start flag `--model` too.
 */
const ROUTED: Readonly<Record<string, string>> = {
  'coordinator.triage_model': 'triage',
  'coordinator.model': 'task_agent',
};

function tableAt(table: TomlTable, key: string): TomlTable {
  const value = table[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as TomlTable) : {};
}

/** The model a config file routes `role` to, if it does: `[roles] ROLE`, else upstream's `[models.ROLE] model`. */
function routeIn(table: TomlTable, role: string): string | null {
  const roles = tableAt(table, 'roles')[role];
  if (typeof roles === 'string') return roles;
  const models = tableAt(tableAt(table, 'models'), role);
  return !('model_id' in models) && !('provider' in models) && typeof models.model === 'string' ? models.model : null;
}

/**
 * The settings as runs use them: a setting its role's route comes before shows the route's model, from the
 * route's file (`via` roles.ROLE), with what the setting itself says kept as `unused`; `wg config --list`,
 * `wg service status` and the window then say which model runs, not one that does not.
 */
export async function withRoleRoutes(entries: readonly ConfigEntry[], paths: ConfigPaths): Promise<ConfigEntry[]> {
  const project = await readProjectLayers(paths);
  const layers: Array<[ConfigSource, TomlTable]> = [
    ...(project.team ? [['team', project.team] as [ConfigSource, TomlTable]] : []),
    ['local', project.local],
    ['global', readGlobalConfig(paths)],
  ];
  return entries.map((entry) => {
    const role = ROUTED[entry.key];
    if (role === undefined) return entry;
    for (const [source, table] of layers) {
      const model = routeIn(table, role);
      if (model === null) continue;
      const { via: _via, unused: _unused, ...setting } = entry;
      return { key: entry.key, value: model, source, via: `roles.${role}`, unused: { value: setting.value, source: setting.source } };
    }
    return entry;
  });
}
