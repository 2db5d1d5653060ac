import type { TomlTable } from './toml-file';

/**
 * Which of config.toml's settings are the team's on a team's graph (PostgreSQL): kept in the store, so
 * that every machine's `wg` and coordinator runs the graph by the same ones, whichever holds the lease.
 * Everything else is the machine's and stays in its folder's config.toml: how many agents it runs
 * (coordinator.max_agents), how often it looks (poll_interval), its listen address and TLS files, its
 * worktrees and git branch, its sandbox flag, its store URL, its checkpoints. SQLite projects keep all
 * of it in config.toml, as upstream does.
 */

/** Whole tables: executor profiles, the model registry and its routes, endpoints, the agency, guardrails. */
const TEAM_SECTIONS: readonly string[] = ['executors', 'models', 'model_registry', 'roles', 'llm_endpoints', 'agency', 'guardrails'];

/** Single settings of the tables the machine shares with the team: the models, executors and run rules (retries, timeouts). */
const TEAM_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  coordinator: [
    // Every coordinator's runs together (each also keeps to its own machine's max_agents).
    'team_max_agents',
    'executor',
    'model',
    'auto_triage',
    'triage_model',
    'stall_timeout',
    'incomplete_retry_delay',
    // upstream's names of agent.timeout, agent.max_retries and agency.max_eval_rescues
    'agent_timeout',
    'max_incomplete_retries',
    'max_verify_failures',
    'max_eval_rescues',
  ],
  dispatcher: ['executor', 'model', 'agent_timeout', 'max_incomplete_retries', 'max_verify_failures', 'max_eval_rescues'],
  agent: ['executor', 'model', 'heartbeat_timeout', 'timeout', 'max_retries'],
};

/** Whether a setting (`group.field`, as `wg config` names them) is the team's. */
export function isTeamKey(key: string): boolean {
  const [group, field] = key.split('.') as [string, string | undefined];
  if (TEAM_SECTIONS.includes(group)) return true;
  return field !== undefined && (TEAM_SETTINGS[group]?.includes(field) ?? false);
}

const isTable = (value: unknown): value is TomlTable => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A config table split in two: the team's part as rows (a whole section under its name, a single setting
 * under `group.field`) and the machine's, a table of its own (emptied sections dropped).
 */
export function splitTeam(table: TomlTable): { team: Map<string, unknown>; machine: TomlTable } {
  const team = new Map<string, unknown>();
  const machine: TomlTable = {};
  for (const [group, value] of Object.entries(table)) {
    if (TEAM_SECTIONS.includes(group)) {
      team.set(group, value);
      continue;
    }
    const fields = TEAM_SETTINGS[group];
    if (!fields || !isTable(value)) {
      machine[group] = value;
      continue;
    }
    const own: TomlTable = {};
    for (const [field, inner] of Object.entries(value)) {
      if (fields.includes(field)) team.set(`${group}.${field}`, inner);
      else own[field] = inner;
    }
    if (Object.keys(own).length > 0) machine[group] = own;
  }
  return { team, machine };
}

/** The table a machine reads: its own part of config.toml with the team's rows put in (the team's win). */
export function mergeTeam(machine: TomlTable, team: ReadonlyMap<string, unknown>): TomlTable {
  const { machine: own } = splitTeam(machine);
  const merged: TomlTable = structuredClone(own);
  for (const [key, value] of team) {
    const dot = key.indexOf('.');
    if (dot < 0) {
      merged[key] = structuredClone(value);
      continue;
    }
    const group = key.slice(0, dot);
    const existing = merged[group];
    const table: TomlTable = isTable(existing) ? existing : {};
    table[key.slice(dot + 1)] = structuredClone(value);
    merged[group] = table;
  }
  return merged;
}
