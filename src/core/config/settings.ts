import { z } from 'zod';
import { builtOnce } from '../../shared/built-once';
import { DEFAULT_EVAL_THRESHOLD, type ConfigEntry, type ConfigSource, type Settings } from '../../shared/config-types';
import { DURATION_HINT, parseDuration, type DurationUnit } from '../../shared/durations';
import { invalid } from '../../shared/errors';
import { firstProblem, PLAIN } from '../../shared/ops/plain-errors';
import type { TomlTable } from './toml-file';
import { type ConfigPaths, readGlobalConfig, readProjectLayers } from './project-config';
import { executorFromModel } from './model-spec';
import { DEFAULT_RETRY_BUDGET } from '../../shared/retry-budget';

/**
 * The settings of config.toml with the meaning and units upstream workgraph documents (its service
 * docs and config): `heartbeat_timeout` in minutes, `poll_interval` in seconds, upstream's
 * names read too (`[dispatcher]` for `[coordinator]`, `coordinator.agent_timeout` for
 * `agent.timeout`). Unknown keys stay in the file and are ignored.
 */
export const DEFAULT_SETTINGS: Settings = {
  coordinator: {
    max_agents: 4,
    team_max_agents: null,
    poll_interval: 60,
    executor: 'claude',
    model: null,
    auto_triage: false,
    triage_model: 'haiku',
    stall_timeout: 30,
    worktrees: null,
    base_branch: null,
    incomplete_retry_delay: 30,
  },
  agent: { executor: 'claude', model: null, heartbeat_timeout: 5, timeout: 3600, max_retries: DEFAULT_RETRY_BUDGET, sandbox: false },
  service: { quit_behavior: 'keep-agents', listen: null, tls_cert: null, tls_key: null, insecure: false },
  agency: {
    auto_assign: false,
    auto_evaluate: false,
    eval_threshold: DEFAULT_EVAL_THRESHOLD,
    max_eval_rescues: 3,
    assign_timeout: 30,
    eval_timeout: 300,
    assigner_agent: null,
    evaluator_agent: null,
    default_agent: null,
  },
  guardrails: { max_child_tasks_per_agent: 10, follow_up_min_interval: 3600 },
};

type Value = string | number | boolean | null;

interface KeySpec {
  /** Built when the key's value is first read: a start builds only those of the keys its config files set (see builtOnce). */
  schema: () => z.ZodType;
  /** A duration: a number in this unit, or "90s"/"5m" (converted). */
  unit?: DurationUnit;
  /** Where else upstream's config.toml says the same, in the order looked at after the key itself. */
  aliases?: readonly string[];
  /** Upstream's names of it hold text ("30m"), where this app writes a number in `unit`. */
  aliasesAsText?: true;
}

const name = builtOnce(() => z.string().min(1, 'is empty'));
const flag = builtOnce(() => z.boolean());
const positive = (unit: DurationUnit) => z.number().positive(`must be more than 0 ${unit}`);
const seconds = builtOnce(() => positive('seconds'));

/** What each known key may hold. */
const KEYS: Record<string, KeySpec> = {
  'coordinator.max_agents': { schema: builtOnce(() => z.number().int().min(1).max(256)), aliases: ['dispatcher.max_agents'] },
  'coordinator.team_max_agents': { schema: builtOnce(() => z.number().int().min(1).max(4096).nullable()) },
  'coordinator.poll_interval': {
    schema: seconds,
    unit: 'seconds',
    aliases: ['dispatcher.poll_interval', 'dispatcher.safety_interval', 'coordinator.safety_interval'],
  },
  'coordinator.executor': { schema: name, aliases: ['dispatcher.executor'] },
  'coordinator.model': { schema: name, aliases: ['dispatcher.model'] },
  'coordinator.auto_triage': { schema: flag },
  'coordinator.triage_model': { schema: name },
  // How long an agent daemon's job may go silent before its lease is lost (remote tasks).
  'coordinator.stall_timeout': { schema: builtOnce(() => positive('seconds').max(86400)), unit: 'seconds' },
  // Each agent run in its own git worktree (unset: yes in a git repository), branched from and merged onto base_branch.
  'coordinator.worktrees': { schema: flag },
  'coordinator.base_branch': { schema: name },
  // Upstream's `wg incomplete` cooldown ("30s"; "0s" or 0: none); its budget is agent.max_retries, the one retry budget.
  'coordinator.incomplete_retry_delay': { schema: builtOnce(() => z.number().min(0).nullable()), unit: 'seconds' },
  'agent.executor': { schema: name },
  'agent.model': { schema: name },
  'agent.heartbeat_timeout': { schema: builtOnce(() => positive('minutes')), unit: 'minutes' },
  // Upstream's coordinator.agent_timeout ("30m"; "" disables it) means the same.
  'agent.timeout': {
    schema: builtOnce(() => positive('seconds').nullable()),
    unit: 'seconds',
    aliases: ['coordinator.agent_timeout', 'dispatcher.agent_timeout'],
    aliasesAsText: true,
  },
  // The one retry budget (shared/retry-budget.ts): upstream's name for it is coordinator.max_incomplete_retries.
  'agent.max_retries': {
    schema: builtOnce(() => z.number().int().min(0)),
    aliases: ['coordinator.max_incomplete_retries', 'dispatcher.max_incomplete_retries'],
  },
  // Said once per machine (--global): agents' Claude Code runs get IS_SANDBOX=1, which it needs to run unattended as root.
  'agent.sandbox': { schema: flag },
  'service.quit_behavior': { schema: builtOnce(() => z.enum(['keep-agents', 'stop-agents'])) },
  'service.listen': { schema: name },
  'service.tls_cert': { schema: name },
  'service.tls_key': { schema: name },
  'service.insecure': { schema: flag },
  'agency.auto_assign': { schema: flag },
  'agency.auto_evaluate': { schema: flag },
  // Upstream names the threshold eval_gate_threshold, and the rescues coordinator.max_verify_failures (which its
  // config also reads as max_eval_rescues).
  'agency.eval_threshold': {
    schema: builtOnce(() => z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1')),
    aliases: ['agency.eval_gate_threshold'],
  },
  'agency.max_eval_rescues': {
    schema: builtOnce(() => z.number().int().min(0)),
    aliases: [
      'coordinator.max_verify_failures',
      'dispatcher.max_verify_failures',
      'coordinator.max_eval_rescues',
      'dispatcher.max_eval_rescues',
    ],
  },
  'agency.assign_timeout': { schema: seconds, unit: 'seconds', aliases: ['agency.triage_timeout'] },
  'agency.eval_timeout': { schema: seconds, unit: 'seconds' },
  'agency.assigner_agent': { schema: name },
  'agency.evaluator_agent': { schema: name },
  'agency.default_agent': { schema: name },
  // Upstream's key and default; counted over all the runs of a task here (run-authority.ts).
  'guardrails.max_child_tasks_per_agent': { schema: builtOnce(() => z.number().int().min(0)) },
  'guardrails.follow_up_min_interval': { schema: seconds, unit: 'seconds' },
};
const SETTING_KEYS = Object.keys(KEYS);

/** Every setting's key and the older names it is still read under (`dispatcher.max_agents`). */
export const settingKeyNames = (): string[] => SETTING_KEYS.flatMap((key) => [key, ...(KEYS[key]?.aliases ?? [])]);

export function settingUnit(key: string): DurationUnit | undefined {
  return KEYS[key]?.unit;
}

/**
 * Where a config file says `key`, to write a new value there: each of its names the file has (the key itself, or
 * upstream's `[dispatcher] max_agents`), so that upstream's wg, which reads only its own names, runs by the same
 * value; the key itself when the file has none. Each with the value as that name holds it.
 */
export function namesToWrite(table: TomlTable, key: string, value: Value): Array<[name: string, value: Value]> {
  const spec = KEYS[key] as KeySpec;
  const held = [key, ...(spec.aliases ?? [])].filter((at) => lookup(table, at) !== undefined);
  return (held.length > 0 ? held : [key]).map((at) => {
    const asText = at !== key && spec.aliasesAsText && typeof value === 'number';
    return [at, asText ? `${value}${spec.unit === 'minutes' ? 'm' : 's'}` : value];
  });
}

/** Every name of `key` (upstream's too): what `wg config --unset` takes out of a file. */
export function allNamesOf(key: string): string[] {
  return [key, ...(KEYS[key]?.aliases ?? [])];
}

function lookup(table: TomlTable, key: string): unknown {
  const [group, field] = key.split('.') as [string, string];
  const section = table[group];
  return typeof section === 'object' && section !== null ? (section as TomlTable)[field] : undefined;
}

function defaultOf(key: string): Value {
  const [group, field] = key.split('.') as [keyof Settings, string];
  return (DEFAULT_SETTINGS[group] as Record<string, Value>)[field] ?? null;
}

/** A value as written in a file (or given) for `key`, normalized (durations to the unit); throws a plain one-line error. */
export function readValue(key: string, raw: unknown, where: string): Value {
  const spec = KEYS[key] as KeySpec;
  let value: unknown = raw;
  if (spec.unit) {
    if (raw === '' || raw === 0) value = null;
    else if (raw !== null) {
      value = parseDuration(raw, spec.unit);
      if (value === null) throw invalid(`${where}: ${key} must be ${DURATION_HINT}, in ${spec.unit} when plain (got '${String(raw)}')`);
    }
  }
  const parsed = spec.schema().safeParse(value, PLAIN);
  if (!parsed.success) throw invalid(`${where}: ${key} ${firstProblem(parsed.error).replace(/^the input /, '')}`);
  return parsed.data as Value;
}

export interface LoadedSettings {
  settings: Settings;
  entries: ConfigEntry[];
}

/**
 * Local over global over defaults, then `overrides` (e.g. `wg service start --max-agents 8`). The
 * default executor is the one set (coordinator.executor, or its override), else the profile named
 * `default` when config.toml has one (`[executors.default]`, seed 001), else `agent.executor` when
 * set, else the one a provider-prefixed model names (`codex:gpt-5` → codex), else claude.
 */
export async function loadSettings(paths: ConfigPaths, overrides: Record<string, Value> = {}): Promise<LoadedSettings> {
  const project = await readProjectLayers(paths);
  const layers: Array<[ConfigSource, string, TomlTable]> = [
    ['global', paths.globalConfig, readGlobalConfig(paths)],
    ['local', paths.config, project.local],
    ...(project.team ? [['team', "the team's settings", project.team] as [ConfigSource, string, TomlTable]] : []),
  ];
  const settings = structuredClone(DEFAULT_SETTINGS);
  const entries = new Map<string, ConfigEntry>();
  for (const key of SETTING_KEYS) {
    let value: Value = defaultOf(key);
    let source: ConfigSource = 'default';
    for (const [layer, file, table] of layers) {
      for (const at of [key, ...(KEYS[key]?.aliases ?? [])]) {
        const raw = lookup(table, at);
        if (raw === undefined) continue;
        value = readValue(key, raw, at === key ? file : `${file} (${at})`);
        source = layer;
        break;
      }
    }
    if (overrides[key] !== undefined) {
      value = overrides[key] ?? null;
      source = 'override';
    }
    const unit = KEYS[key]?.unit;
    entries.set(key, unit ? { key, value, source, unit } : { key, value, source });
  }
  deriveExecutor(entries, defaultProfileLayer(layers));
  for (const entry of entries.values()) {
    const [group, field] = entry.key.split('.') as [keyof Settings, string];
    (settings[group] as Record<string, Value>)[field] = entry.value;
  }
  return { settings, entries: [...entries.values()] };
}

/** The layer whose config.toml has an `[executors.default]` profile (the local one first), or null. */
function defaultProfileLayer(layers: ReadonlyArray<[ConfigSource, string, TomlTable]>): ConfigSource | null {
  for (const [layer, , table] of [...layers].reverse()) {
    const profile = lookup(table, 'executors.default');
    if (typeof profile === 'object' && profile !== null) return layer;
  }
  return null;
}

function deriveExecutor(entries: Map<string, ConfigEntry>, defaultProfile: ConfigSource | null): void {
  const coordinator = entries.get('coordinator.executor') as ConfigEntry;
  if (coordinator.source !== 'default') return;
  // Seed 001: a task names no executor means "default", the profile `[executors.default]` when there is one.
  if (defaultProfile !== null) {
    entries.set(coordinator.key, { key: coordinator.key, value: 'default', source: defaultProfile, via: 'executors.default' });
    return;
  }
  const agent = entries.get('agent.executor') as ConfigEntry;
  if (agent.source !== 'default') {
    entries.set(coordinator.key, { key: coordinator.key, value: agent.value, source: agent.source, via: 'agent.executor' });
    return;
  }
  for (const key of ['coordinator.model', 'agent.model']) {
    const model = entries.get(key) as ConfigEntry;
    const implied = typeof model.value === 'string' ? executorFromModel(model.value) : null;
    if (implied) {
      entries.set(coordinator.key, { key: coordinator.key, value: implied, source: model.source, via: key });
      return;
    }
  }
}

/** The heartbeat timeout in seconds (configured in minutes, as upstream documents). */
export function heartbeatTimeoutSeconds(settings: Pick<Settings, 'agent'>): number {
  return settings.agent.heartbeat_timeout * 60;
}
