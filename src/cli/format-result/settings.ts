import type { ConfigEntry, ExecutorProfile, ModelRegistry } from '../../shared/config-types';
import { CONFIG_KEYS } from '../../shared/config-keys';
import { configSource, configValue } from '../config-format';
import { table } from '../table';
import { paint } from '../terminal';
import type { Formatters } from './formatters';

/** The project's settings: config, models and executors, each change said in one line. */

export const settingsFormatters: Formatters = {
  'config:update': (entries, _term, input) => configSet(entries, input),
  'config:list': configList,
  'model:list': modelList,
  'model:remove': modelList,
  'model:setDefault': modelList,
  'model:setRole': (registry, _term, input) => roleSet(registry, input),
  'model:add': (m) => `added model ${m.name} (${m.provider} ${m.model_id}, ${m.tier}${m.endpoint ? `, endpoint ${m.endpoint}` : ''})`,
  'executor:list': executorList,
  // Upstream's `wg executors` line: a mark (green or red on a terminal), the name in 12 columns, what it is, its program.
  'executor:discover': (found, term) =>
    found
      .map((e) => {
        const status = e.available ? paint('\u2713', 'green', term) : paint('\u2717', 'red', term);
        return `${status} ${e.name.padEnd(12)} ${e.description}${e.binary_path ? ` [${e.binary_path}]` : ''}`;
      })
      .join('\n'),
  'executor:remove': executorList,
  'executor:add': (p) => `executor ${p.name} (${p.type}) saved`,
};

/** `wg model set ROLE MODEL` or `wg model set MODEL --role ROLE`: the one change, not the whole registry. */
function roleSet(registry: ModelRegistry, input: Readonly<Record<string, unknown>>): string {
  const role = String(input.role ?? input.name);
  return `role ${role} now uses ${registry.roles[role] ?? String(input.role ? input.name : input.model)}`;
}

function configList(entries: readonly ConfigEntry[]): string {
  return table(entries.map((e) => [e.key, configValue(e), configSource(e)]));
}

/**
 * `wg config --KEY VALUE…`: one line per setting changed, as upstream's `Set agent.model = …`; the
 * whole table only with --list or nothing to change. Where the other file's value still wins, it says so.
 */
function configSet(entries: readonly ConfigEntry[], input: Readonly<Record<string, unknown>>): string {
  if (input.installGlobal === true) return "Installed the project's config.toml as the global config";
  const set = Object.entries(CONFIG_KEYS).filter(([flag]) => input[flag] !== undefined);
  const routes = Object.entries((input.roleModel ?? {}) as Record<string, unknown>).map(
    ([role, model]) => `Set roles.${role} = ${String(model)}${input.global === true ? ' (global)' : ''}`,
  );
  const unset = Array.isArray(input.unset) ? input.unset.map(String) : [];
  if (input.list === true || set.length + routes.length + unset.length === 0) return configList(entries);
  const where = input.global === true ? 'global' : 'local';
  return [
    ...routes,
    ...set.map(([flag, key]) => configLine(entries, input, flag, key, where)),
    ...unset.map((key) => unsetLine(entries, key, where)),
  ].join('\n');
}

/** `--unset KEY`: the one setting taken out, and what applies now (the other file's value, or the default). */
function unsetLine(entries: readonly ConfigEntry[], key: string, where: 'global' | 'local'): string {
  const entry = entries.find((e) => e.key === key);
  const now = entry ? `; ${configValue(entry)} applies now ${configSource(entry)}` : '';
  return `Unset ${key}${where === 'global' ? ' (global)' : ''}${now}`;
}

/** One setting changed, and where the other file's value (or a role's route) still wins over it. */
function configLine(
  entries: readonly ConfigEntry[],
  input: Readonly<Record<string, unknown>>,
  flag: string,
  key: string,
  where: 'global' | 'local',
): string {
  const entry = entries.find((e) => e.key === key);
  // A role's model route comes first: the setting is written, and not what its role's runs use.
  if (entry?.unused && entry.via?.startsWith('roles.')) {
    const role = entry.via.slice('roles.'.length);
    return `Set ${key} = ${String(input[flag])}${where === 'global' ? ' (global)' : ''}; ${role} runs use ${configValue(entry)}, the ${role} route (wg model set ${role} MODEL changes it)`;
  }
  // On a team's graph the project's write of a team setting went to the team's settings.
  const target = where === 'local' && entry?.source === 'team' ? 'team' : where;
  const written = entry && entry.source === target ? configValue(entry) : String(input[flag]);
  const other = entry?.source === 'local' ? "the project's" : entry?.source === 'team' ? "the team's" : `the ${entry?.source ?? ''}`;
  const wins = entry && entry.source !== target && entry.source !== 'default' ? `; ${other} value ${configValue(entry)} still applies` : '';
  return `Set ${key} = ${written}${where === 'global' ? ' (global)' : ''}${wins}`;
}

function modelList(registry: ModelRegistry): string {
  const rows = registry.models.map((m) => [
    `${m.name}${registry.default === m.name ? ' *' : ''}`,
    m.provider,
    m.model_id,
    m.tier,
    m.cost_in === null ? '-' : `$${m.cost_in}/$${m.cost_out ?? '-'}`,
    ...(m.endpoint ? [`endpoint ${m.endpoint}`] : []),
  ]);
  const roles = Object.entries(registry.roles).map(([role, model]) => `role ${role}: ${model}`);
  return [table(rows), ...roles].join('\n');
}

function executorList(profiles: readonly ExecutorProfile[]): string {
  return table(profiles.map((p) => [p.name, p.type, p.command ?? p.endpoint ?? '', p.builtin ? '(built-in)' : '']));
}
