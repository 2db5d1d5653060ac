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
  /** A duration's unit (config.toml holds a plain number in it). */
  unit?: ConfigEntry['unit'];
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
  if (!running) return saved.map((entry) => ({ ...shownOf(entry), overridden: null, ...routedOf(entry) }));
  const savedByKey = new Map(saved.map((entry) => [entry.key, entry]));
  return running.map((entry) => {
    const file = savedByKey.get(entry.key);
    const overridden = entry.source === 'override' && file && file.value !== entry.value ? file : null;
    return { ...shownOf(entry), overridden, ...routedOf(entry) };
  });
}

function shownOf(entry: ConfigEntry): Pick<EffectiveSetting, 'key' | 'value' | 'source' | 'unit'> {
  return { key: entry.key, value: entry.value, source: entry.source, ...(entry.unit ? { unit: entry.unit } : {}) };
}

const UNIT_TEXT: Record<NonNullable<ConfigEntry['unit']>, string> = { seconds: 's', minutes: 'min' };

/** The value as the table shows it: a duration with its unit ("60 s", "5 min"), none as a dash. */
export function valueText(setting: Pick<EffectiveSetting, 'value' | 'unit'>): string {
  if (setting.value === null) return '—';
  return setting.unit && typeof setting.value === 'number' ? `${setting.value} ${UNIT_TEXT[setting.unit]}` : String(setting.value);
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

/** What a setting itself says (not a role's route that comes before it): what a save changes. */
function ownValue(entries: readonly ConfigEntry[], key: string): Pick<ConfigEntry, 'value' | 'source'> | undefined {
  const entry = entries.find((e) => e.key === key);
  return entry && (entry.unused ?? entry);
}

/**
 * Why a save left a setting as it was (its value and where it comes from are the same after it): a value in
 * the project's config wins over the global one written (`written`: the global file did take the change), an
 * unset key was not in the file written, or the value written is the same one said another way ("300s" for 5 minutes).
 */
function staysNote(key: string, saved: readonly ConfigEntry[], global: boolean): { note: string; written: boolean } {
  const own = ownValue(saved, key);
  const stays = `${labelOf(key)} stays ${show(own?.value ?? null)}`;
  if (global && (own?.source === 'local' || own?.source === 'team'))
    return {
      note: `${stays}, ${own.source === 'team' ? "the team's" : "this project's"} own value, which wins over the global one`,
      written: true,
    };
  if (!global && own?.source === 'global')
    return { note: `${stays} from the global config (tick "Write the global config" to change it there)`, written: false };
  if (own?.source === 'default')
    return { note: `${stays}, the default (${global ? 'the global config' : "this project's config"} does not set it)`, written: false };
  return { note: stays, written: false };
}

/**
 * What a save did, in a sentence: "Nothing changed" (and why) where no setting it wrote or unset is other than
 * before it; else applied by the running coordinator, kept from it by a start flag (which one, and how to apply
 * it), or waiting for the coordinator to start. `before` and `saved` are the settings before and after the save.
 */
export function saveOutcome(
  keys: readonly string[],
  before: readonly ConfigEntry[],
  saved: readonly ConfigEntry[],
  running: readonly ConfigEntry[] | null,
  global: boolean,
): string {
  if (keys.length === 0) return 'Nothing changed: every field holds its saved value.';
  const same = (key: string) => JSON.stringify(ownValue(before, key)) === JSON.stringify(ownValue(saved, key));
  const changed = keys.filter((key) => !same(key));
  const stays = keys.filter(same).map((key) => staysNote(key, saved, global));
  const notes = stays.map((stay) => stay.note).join('; ');
  if (changed.length === 0) {
    // A global value under the project's own is saved all the same: it is said so, and that it changes nothing here.
    const lead = stays.some((stay) => stay.written) ? 'Saved in the global config, but nothing changes here' : 'Nothing changed';
    return `${lead}: ${notes}.`;
  }
  const applied = appliedOutcome(changed, saved, running);
  return stays.length === 0 ? applied : `${applied} ${notes.replace(/^./, (c) => c.toUpperCase())}.`;
}

/** What a save that changed these settings did: applied, kept from the running coordinator by a start flag, or waiting for it. */
function appliedOutcome(keys: readonly string[], saved: readonly ConfigEntry[], running: readonly ConfigEntry[] | null): string {
  if (!running) return 'Saved. The coordinator is not running here: it uses these settings when it starts.';
  const kept = effectiveSettings(saved, running).filter((setting) => keys.includes(setting.key) && setting.overridden);
  if (kept.length === 0) return 'Saved. The running coordinator uses the new settings now.';
  const parts = kept.map(
    (setting) =>
      `${labelOf(setting.key)} stays ${show(setting.value)} (its start flag ${START_FLAGS[setting.key] ?? ''} ${show(setting.value)} wins over the saved ${show(setting.overridden?.value ?? null)})`,
  );
  return `Saved, but the running coordinator keeps its start flags: ${parts.join('; ')}. Restart it without the flag (or reload it, below) to apply the saved value.`;
}
