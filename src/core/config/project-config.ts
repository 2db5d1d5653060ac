import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'smol-toml';
import { WgError } from '../../shared/errors';
import { replaceFile } from '../files/no-follow';
import { configuredStoreUrl, envStoreUrl, storeUrlIn } from './store-location';
import type { ProjectPaths } from '../project';
import { openConnection } from '../store/open-connection';
import { isStoreUrl } from '../store/postgres/store-url';
import { openTeamStore } from '../store/postgres/open-team-stores';
import { StoreCore } from '../store/store-core';
import { readTeamSettings, teamSettingsStamp, writeTeamSettings } from '../store/team-settings';
import { withFileLock } from './file-lock';
import { mergeTeam, splitTeam } from './team-keys';
import { readToml, type TomlTable } from './toml-file';

/** What a project's config is found by: its config.toml, the user's global one, and whether the folder is trusted. */
export type ConfigPaths = Pick<ProjectPaths, 'config' | 'globalConfig' | 'untrusted'>;

/**
 * The team's store a project's config reads its team settings from: null on SQLite, where config.toml holds all.
 * `file` is the project's config.toml when the caller has read it already.
 */
function teamStoreUrl(paths: ConfigPaths, file?: TomlTable): string | null {
  const fromEnv = envStoreUrl();
  const location = fromEnv ?? (file ? storeUrlIn(file, paths.config) : configuredStoreUrl(paths.config));
  if (location === null || !isStoreUrl(location)) return null;
  // As opening the store does: a URL another user's folder names would be handed this person's credentials.
  if (paths.untrusted !== undefined && !fromEnv) throw new WgError('forbidden', paths.untrusted);
  return location;
}

/**
 * The team store's connection the settings go on: the store's own where this process has it open (a `wg`
 * command, a coordinator), else one of its own, kept for the process (settings read where no store is at
 * hand: a start's checks). A write of them is a transaction of its own either way.
 */
const connections = new Map<string, StoreCore>();

async function teamCore(url: string): Promise<StoreCore> {
  const shared = openTeamStore(url);
  if (shared) return shared;
  let core = connections.get(url);
  if (!core) {
    core = new StoreCore(await openConnection(url));
    connections.set(url, core);
  }
  return core;
}

/** Closes the team stores' connections this process opened (tests that stop their server). */
export async function closeTeamConfigConnections(): Promise<void> {
  for (const core of connections.values()) await core.conn.close();
  connections.clear();
}

/** The project's own layer of settings: config.toml, with the team's settings from the store on a team's graph. */
export async function readProjectConfig(paths: ConfigPaths): Promise<TomlTable> {
  const file = readToml(paths.config);
  const url = teamStoreUrl(paths, file);
  return url === null ? file : mergeTeam(file, await readTeamSettings(await teamCore(url)));
}

/**
 * The same, in its two parts, to say where each setting comes from: config.toml's (on a team's graph only its
 * machine settings count) and the team's from the store (null on SQLite).
 */
export async function readProjectLayers(paths: ConfigPaths): Promise<{ local: TomlTable; team: TomlTable | null }> {
  const file = readToml(paths.config);
  const url = teamStoreUrl(paths, file);
  if (url === null) return { local: file, team: null };
  return { local: splitTeam(file).machine, team: mergeTeam({}, await readTeamSettings(await teamCore(url))) };
}

/** The user's global layer: on a team's graph only its machine settings count (the team's come from the store alone). */
export function readGlobalConfig(paths: ConfigPaths): TomlTable {
  const global = readToml(paths.globalConfig);
  return teamStoreUrl(paths) === null ? global : splitTeam(global).machine;
}

/** A stamp that changes when the team's settings do ('' on SQLite): a coordinator re-reads its config on a new one. */
export async function teamConfigStamp(paths: ConfigPaths): Promise<string> {
  const url = teamStoreUrl(paths);
  return url === null ? '' : teamSettingsStamp(await teamCore(url));
}

/**
 * Read-modify-write of the project's own settings. On SQLite that is config.toml. On a team's graph,
 * `change` sees the same table readProjectConfig gives; what it makes of the team's settings is written
 * to the store in one transaction and the rest to config.toml (only if it changed), holding the file's
 * lock throughout. A `change` that throws writes nothing.
 */
export async function updateProjectConfig(paths: ConfigPaths, change: (table: TomlTable) => void): Promise<TomlTable> {
  const url = teamStoreUrl(paths);
  mkdirSync(dirname(paths.config), { recursive: true });
  return withFileLock(paths.config, async () => {
    const file = readToml(paths.config);
    let merged: TomlTable = file;
    if (url === null) change(merged);
    else {
      await writeTeamSettings(await teamCore(url), (current) => {
        merged = mergeTeam(file, current);
        change(merged);
        return splitTeam(merged).team;
      });
    }
    const before = splitTeam(file);
    const after = splitTeam(merged);
    if (url === null) replaceFile(paths.config, stringify(merged), { mode: 0o644 });
    // The file's own copies of team settings are kept as they were (not read on a team's graph; back in use on SQLite).
    else if (JSON.stringify(after.machine) !== JSON.stringify(before.machine)) {
      replaceFile(paths.config, stringify(mergeTeam(after.machine, before.team)), { mode: 0o644 });
    }
    return merged;
  });
}

/**
 * `wg init --store` and `wg store copy --to URL`: the team settings of this folder's config.toml go into
 * the store, once, when it has none yet (a folder joining a team's graph takes the team's as they are).
 * Returns how many were carried.
 */
export async function carryTeamSettings(paths: Pick<ProjectPaths, 'config'>, url: string): Promise<number> {
  const { team } = splitTeam(readToml(paths.config));
  if (team.size === 0) return 0;
  let carried = 0;
  await writeTeamSettings(await teamCore(url), (current) => {
    if (current.size > 0) return current;
    carried = team.size;
    return team;
  });
  return carried;
}

/**
 * `wg store copy --to FILE` of a team's graph: the team's settings, as the store has them, become this folder's
 * config.toml's own (its machine settings kept), so a project that uses the copy runs by the same ones.
 * Returns how many were written.
 */
export function keepTeamSettingsInFile(paths: Pick<ProjectPaths, 'config'>, team: ReadonlyMap<string, unknown>): number {
  mkdirSync(dirname(paths.config), { recursive: true });
  return withFileLock(paths.config, () => {
    const file = readToml(paths.config);
    const kept = mergeTeam(file, team);
    if (JSON.stringify(kept) !== JSON.stringify(file)) replaceFile(paths.config, stringify(kept), { mode: 0o644 });
    return team.size;
  });
}
