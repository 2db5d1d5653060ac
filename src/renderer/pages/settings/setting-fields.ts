import type { ConfigEntry } from '../../../shared/config-types';
import type { OpInput } from '../../../shared/ops/registry';

type UpdateInput = OpInput<'config:update'>;
type SettingField = Exclude<keyof UpdateInput, 'list' | 'global' | 'unset'>;
/** A key `config:update` can unset: every key a field writes is one (checked here, where SETTINGS names them). */
type ConfigKey = NonNullable<UpdateInput['unset']>[number];

export interface SettingSpec {
  field: SettingField;
  /** The config.toml key the field writes (as `config:list` names it). */
  key: ConfigKey;
  label: string;
  /** executor and model: chosen from the profiles and models that exist. */
  kind: 'number' | 'executor' | 'model' | 'boolean' | 'quit';
}

/** The settings `config:update` can change, next to the config keys they write. */
export const SETTINGS: readonly SettingSpec[] = [
  { field: 'maxAgents', key: 'coordinator.max_agents', label: 'Max parallel agents', kind: 'number' },
  { field: 'pollInterval', key: 'coordinator.poll_interval', label: 'Poll interval (seconds)', kind: 'number' },
  { field: 'executor', key: 'coordinator.executor', label: 'Default executor', kind: 'executor' },
  { field: 'model', key: 'coordinator.model', label: 'Default model', kind: 'model' },
  { field: 'autoTriage', key: 'coordinator.auto_triage', label: 'Auto triage dead agents', kind: 'boolean' },
  { field: 'triageModel', key: 'coordinator.triage_model', label: 'Triage model', kind: 'model' },
  { field: 'heartbeatTimeout', key: 'agent.heartbeat_timeout', label: 'Heartbeat timeout (minutes)', kind: 'number' },
  { field: 'agentTimeout', key: 'agent.timeout', label: 'Agent timeout (seconds)', kind: 'number' },
  { field: 'maxRetries', key: 'agent.max_retries', label: 'Max retries', kind: 'number' },
  { field: 'quitBehavior', key: 'service.quit_behavior', label: 'On quit', kind: 'quit' },
];

export type SettingValues = Partial<Record<SettingField, string>>;

/** Current values as form text, from the `config:list` entries. */
export function currentValues(entries: readonly ConfigEntry[]): SettingValues {
  // The form edits the setting itself, also where a role's model route is what runs use (config:list says so).
  const byKey = new Map(entries.map((entry) => [entry.key, entry.unused ? entry.unused.value : entry.value]));
  const values: SettingValues = {};
  for (const spec of SETTINGS) {
    const value = byKey.get(spec.key);
    values[spec.field] = value === null || value === undefined ? '' : String(value);
  }
  return values;
}

/**
 * Only the settings the user changed, as `config:update` input. A field emptied (a number erased, a model set to
 * none) unsets its key, so the global value or the default applies again: an empty value is never a setting.
 */
export function changedInput(before: SettingValues, after: SettingValues, global: boolean): UpdateInput {
  const input: Record<string, string | boolean> = {};
  const unset: ConfigKey[] = [];
  for (const spec of SETTINGS) {
    const value = (after[spec.field] ?? '').trim();
    if (value === (before[spec.field] ?? '').trim()) continue;
    if (value === '') unset.push(spec.key);
    else input[spec.field] = spec.kind === 'boolean' ? value === 'true' : value;
  }
  if (global) input.global = true;
  // Every field is an optional string-or-coerced value in the schema; validateOp checks the rest.
  return { ...(input as UpdateInput), ...(unset.length > 0 ? { unset } : {}) };
}

/** The keys a `config:update` input sets or unsets: what its outcome speaks of (none: there was nothing to save). */
export const keysOf = (input: UpdateInput): ConfigKey[] =>
  SETTINGS.filter((spec) => spec.field in input || input.unset?.includes(spec.key)).map((spec) => spec.key);

/**
 * The form once a save is done: what is saved now (an emptied field shows the default that applies again), except
 * a field the person changed while the save was under way, which was not part of it.
 */
export function valuesAfterSave(sent: SettingValues, now: SettingValues, saved: SettingValues): SettingValues {
  const values: SettingValues = {};
  for (const { field } of SETTINGS) values[field] = now[field] !== sent[field] ? now[field] : saved[field];
  return values;
}
