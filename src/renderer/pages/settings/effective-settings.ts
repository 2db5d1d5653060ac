import type { ConfigEntry, ConfigSource } from '../../../shared/config-types';
import { SETTINGS } from './setting-fields';

/** Where a value comes from, as a person says it: the coordinator's start flag, this project, the global config, the default. */
export const SOURCE_LABELS: Record<ConfigSource, string> = {
  override: 'start flag',
  local: 'project',
  team: 'team',
  global: 'global',
  default: 'default',
};

/** The `wg service start` (and `reload`) flags that override config.toml, by the key they set. */
const START_FLAGS: Record<string, string> = {
  'coordinator.max_agents': '--max-agents',
  'coordinator.model': '--model',
  'coordinator.executor': '--executor',
};

/** One setting as the coordinator runs with it, and what config.toml says when a start flag overrides that. */
export interface EffectiveSetting {
  key: string;
  value: ConfigEntry['value'];
  source: ConfigSource;
  /** The saved value (project, global or default) a start flag keeps from applying; null when none does. */
  overridden: ConfigEntry | null;
  /** A role's model route gives the value (`via` roles.ROLE): the role, and what the setting itself says. */
  routed?: { role: string; setting: NonNullable<ConfigEntry['unused']> };
}

function routedOf(entry: ConfigEntry): Pick<EffectiveSetting, 'routed'> {
  if (!entry.unused || !entry.via?.startsWith('roles.')) return {};
  return { routed: { role: entry.via.slice('roles.'.length), setting: entry.unused } };
}

const show = (value: ConfigEntry['value']) => (value === null ? 'none' : String(value));

/** "4 (project)": a saved value a start flag keeps from applying, and where it is saved. */
export const savedValue = (entry: ConfigEntry): string => `${show(entry.value)} (${SOURCE_LABELS[entry.source]})`;
const labelOf = (key: string) => SETTINGS.find((spec) => spec.key === key)?.label.toLowerCase() ?? key;

/**
 * The settings to show: the running coordinator's own (service:status), which are the ones in force,
 * each beside the saved one when they differ; without a coordinator here, the saved ones.
 */
export function effectiveSettings(saved: readonly ConfigEntry[], running: readonly ConfigEntry[] | null): EffectiveSetting[] {
  if (!running)
    return saved.map((entry) => ({ key: entry.key, value: entry.value, source: entry.source, overridden: null, ...routedOf(entry) }));
  const savedByKey = new Map(saved.map((entry) => [entry.key, entry]));
  return running.map((entry) => {
    const file = savedByKey.get(entry.key);
    const overridden = entry.source === 'override' && file && file.value !== entry.value ? file : null;
    return { key: entry.key, value: entry.value, source: entry.source, overridden, ...routedOf(entry) };
  });
}

/** Why a saved value does not apply (said on hover of the setting's source): the start flag that wins over it. */
export function overrideNote(setting: EffectiveSetting): string | null {
  if (setting.routed) {
    const { role, setting: own } = setting.routed;
    return `Saved ${show(own.value)} (${SOURCE_LABELS[own.source]}) is not used: ${role} runs use ${show(setting.value)}, the ${role} role's model (Models page, or wg model set ${role} MODEL).`;
  }
  if (!setting.overridden) return null;
  const flag = START_FLAGS[setting.key] ?? 'a start flag';
  return `Saved ${show(setting.overridden.value)} (${SOURCE_LABELS[setting.overridden.source]}) does not apply: the coordinator was started with ${flag} ${show(setting.value)}, which wins until it restarts without it.`;
}

/**
 * What a save did, in a sentence: applied by the running coordinator, kept from it by a start flag
 * (which one, and how to apply it), or waiting for the coordinator to start.
 */
export function saveOutcome(keys: readonly string[], saved: readonly ConfigEntry[], running: readonly ConfigEntry[] | null): string {
  if (!running) return 'Saved. The coordinator is not running here: it uses these settings when it starts.';
  const kept = effectiveSettings(saved, running).filter((setting) => keys.includes(setting.key) && setting.overridden);
  if (kept.length === 0) return 'Saved. The running coordinator uses the new settings now.';
  const parts = kept.map(
    (setting) =>
      `${labelOf(setting.key)} stays ${show(setting.value)} (its start flag ${START_FLAGS[setting.key] ?? ''} ${show(setting.value)} wins over the saved ${show(setting.overridden?.value ?? null)})`,
  );
  return `Saved, but the running coordinator keeps its start flags: ${parts.join('; ')}. Restart it without the flag (or reload it, below) to apply the saved value.`;
}
