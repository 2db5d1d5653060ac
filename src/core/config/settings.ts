import { z } from 'zod';
import type { ConfigEntry, ConfigSource, Settings } from '../../shared/config-types';
import { invalid } from '../../shared/errors';
import type { ProjectPaths } from '../project';
import { readToml, type TomlTable } from './toml-file';

export const DEFAULT_SETTINGS: Settings = {
  coordinator: { max_agents: 4, poll_interval: 60, executor: 'claude', model: null, auto_triage: false, triage_model: 'haiku', stall_timeout: 30 },
  agent: { executor: 'claude', model: null, heartbeat_timeout: 300, timeout: 3600, max_retries: 2 },
  service: { quit_behavior: 'keep-agents', listen: null, tls_cert: null, tls_key: null, insecure: false },
};

/** What each known key may hold; unknown keys are kept in the file but ignored. */
const KEY_SCHEMAS: Record<string, z.ZodType> = {
  'coordinator.max_agents': z.number().int().min(1).max(256),
  'coordinator.poll_interval': z.number().min(1),
  'coordinator.executor': z.string().min(1),
  'coordinator.model': z.string().min(1),
  'coordinator.auto_triage': z.boolean(),
  'coordinator.triage_model': z.string().min(1),
  'coordinator.stall_timeout': z.number().min(1).max(86400),
  'agent.executor': z.string().min(1),
  'agent.model': z.string().min(1),
  'agent.heartbeat_timeout': z.number().min(1),
  'agent.timeout': z.number().min(1),
  'agent.max_retries': z.number().int().min(0),
  'service.quit_behavior': z.enum(['keep-agents', 'stop-agents']),
  'service.listen': z.string().min(1),
  'service.tls_cert': z.string().min(1),
  'service.tls_key': z.string().min(1),
  'service.insecure': z.boolean(),
};
export const SETTING_KEYS = Object.keys(KEY_SCHEMAS);

type Value = string | number | boolean | null;

function lookup(table: TomlTable, key: string): unknown {
  const [group, name] = key.split('.') as [string, string];
  const section = table[group];
  return typeof section === 'object' && section !== null ? (section as TomlTable)[name] : undefined;
}

function defaultOf(key: string): Value {
  const [group, name] = key.split('.') as [keyof Settings, string];
  return (DEFAULT_SETTINGS[group] as Record<string, Value>)[name] ?? null;
}

export interface LoadedSettings {
  settings: Settings;
  entries: ConfigEntry[];
}

/** Local over global over defaults, then `overrides` (e.g. `wg service start --max-agents 8`). */
export function loadSettings(paths: Pick<ProjectPaths, 'config' | 'globalConfig'>, overrides: Record<string, Value> = {}): LoadedSettings {
  const layers: Array<[ConfigSource, string | null, TomlTable]> = [
    ['global', paths.globalConfig, readToml(paths.globalConfig)],
    ['local', paths.config, readToml(paths.config)],
  ];
  const settings = structuredClone(DEFAULT_SETTINGS);
  const entries: ConfigEntry[] = [];
  for (const key of SETTING_KEYS) {
    let value: Value = defaultOf(key);
    let source: ConfigSource = 'default';
    for (const [layer, file, table] of layers) {
      const raw = lookup(table, key);
      if (raw === undefined) continue;
      const parsed = (KEY_SCHEMAS[key] as z.ZodType).safeParse(raw);
      if (!parsed.success) throw invalid(`${file}: ${key}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`);
      value = parsed.data as Value;
      source = layer;
    }
    if (key in overrides && overrides[key] !== undefined) {
      value = overrides[key] ?? null;
      source = 'override';
    }
    const [group, name] = key.split('.') as [keyof Settings, string];
    (settings[group] as Record<string, Value>)[name] = value;
    entries.push({ key, value, source });
  }
  return { settings, entries };
}
