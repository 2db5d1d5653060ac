import { misspeltSettings } from '../config/misspelt-settings';
import { branchExists } from '../worktrees/first-commit';
import { findRepoTop } from '../worktrees/plan';
import { parseDuration } from '../../shared/durations';
import { allNamesOf, loadSettings, namesToWrite, readValue, settingUnit } from '../config/settings';
import { withRoleRoutes } from '../config/role-routes';
import { updateToml, section } from '../config/toml-file';
import { updateProjectConfig } from '../config/project-config';
import { executorFromModel } from '../config/model-spec';
import { addModel, readModels, removeModel, requireModel, setDefaultModel, setRoleModel } from '../config/models';
import { addExecutor, readExecutors, requireExecutor } from '../config/executors';
import { removeExecutorProfile } from './executor-removal';
import { mistypedModelWarning } from '../config/mistyped-model';
import { requireClaudeReachable } from '../executors/claude-roles';
import { requireModelReach } from './model-reach';
import { type ConfigEntry, DISPATCH_ROLES, type DispatchRole } from '../../shared/config-types';
import { conflict, invalid } from '../../shared/errors';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ProjectPaths } from '../project';
import { discoverExecutors } from '../executors/discovery';
import type { Handlers } from './context';
import { CONFIG_KEYS } from '../../shared/config-keys';
import { upstreamGraphIn } from '../opening/upstream-graph';

function parseRole(value: string): DispatchRole {
  if ((DISPATCH_ROLES as readonly string[]).includes(value)) return value as DispatchRole;
  throw invalid(`unknown role '${value}': a role is one of ${DISPATCH_ROLES.join(', ')}`);
}

/**
 * What config.toml gets: a duration as a number in its unit where that is a whole number (what
 * upstream reads: `heartbeat_timeout = 5`), else as written ("90s").
 */
function fileValue(key: string, value: string | number | boolean): string | number | boolean {
  const unit = settingUnit(key);
  if (!unit) return value;
  const amount = parseDuration(value, unit);
  return amount !== null && Number.isInteger(amount) ? amount : value;
}

/** `--max-agents` for maxAgents: the flag a field is given with, as refusals name it. */
const flagName = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Takes `key` (`group.name`) out of a config table; a group left empty goes too, so no bare `[agent]` is left behind. */
function removeKey(table: Record<string, unknown>, key: string): void {
  const [group, name] = key.split('.') as [string, string];
  const holder = table[group];
  if (typeof holder !== 'object' || holder === null || Array.isArray(holder)) return;
  const entries = holder as Record<string, unknown>;
  delete entries[name];
  if (Object.keys(entries).length === 0) delete table[group];
}

type ConfigOps =
  | 'config:list'
  | 'config:update'
  | 'model:list'
  | 'model:add'
  | 'model:remove'
  | 'model:setDefault'
  | 'model:setRole'
  | 'executor:list'
  | 'executor:discover'
  | 'executor:add'
  | 'executor:remove';

/**
 * Upstream's `wg config --install-global`: the project's config.toml becomes the global one. A global one that is
 * there is replaced only with `force`; a project without a config.toml has nothing to install.
 */
function installProjectConfig(paths: Pick<ProjectPaths, 'config' | 'globalConfig'>, force: boolean): void {
  if (!existsSync(paths.config)) throw invalid(`there is no project config to install (${paths.config})`);
  if (existsSync(paths.globalConfig) && !force) {
    throw conflict(`a global config is there already (${paths.globalConfig}); --force replaces it`);
  }
  mkdirSync(dirname(paths.globalConfig), { recursive: true });
  copyFileSync(paths.config, paths.globalConfig);
}

/**
 * A model whose provider names an executor (`codex:gpt-5`) while another executor is set (`claude`): that executor
 * runs it, and fails. Upstream's `wg config --model` clears a pinned executor then; here a set executor wins (the
 * guide says so), so the person is told, with the command that makes them agree.
 */
function warnOfOtherExecutor(model: string, entries: readonly ConfigEntry[], warn: ((message: string) => void) | undefined): void {
  const implied = executorFromModel(model);
  const executor = entries.find((entry) => entry.key === 'coordinator.executor');
  if (!implied || !executor || executor.value === implied || executor.via === 'coordinator.model') return;
  if (executor.source === 'default') return;
  warn?.(
    `the project's executor is '${String(executor.value)}' (${executor.source}), which will run ${model}; to run it with ${implied}: wg config --executor ${implied}`,
  );
}

/**
 * A model without its provider (`sonnet`) in a project upstream's wg shares: upstream checks every model of
 * config.toml for `provider:model` and, finding one without, ignores the whole file (it runs on its defaults). Kept
 * as typed (docs/upstream.md), and said, with the form both read.
 */
function warnOfUpstreamModel(wgDir: string, model: string, warn: ((line: string) => void) | undefined): void {
  if (model.includes(':') || upstreamGraphIn(wgDir) === null) return;
  warn?.(
    `upstream's wg ignores the whole config.toml while a model in it has no provider; for both tools give it as provider:model (e.g. claude:${model})`,
  );
}

/** A base branch the project's repository does not have yet: set (it may be made next), but said, with what then happens. */
function warnOfMissingBranch(root: string, branch: string, warn: ((line: string) => void) | undefined): void {
  const repo = findRepoTop(root);
  if (repo && !branchExists(repo.gitDir, branch))
    warn?.(`no branch '${branch}' in ${repo.top} yet: tasks that work in worktrees wait until there is one`);
}

export const configHandlers: Handlers<ConfigOps> = {
  'config:list': async (_input, { paths, warn }) => {
    for (const line of await misspeltSettings(paths)) warn?.(line);
    return withRoleRoutes((await loadSettings(paths)).entries, paths);
  },
  'config:update': async ({ list: _list, global, local, roleModel, installGlobal, force, unset, ...values }, { paths, warn }) => {
    if (global && local) throw invalid('give either --global or --local, not both');
    if (installGlobal) {
      installProjectConfig(paths, force === true);
      return withRoleRoutes((await loadSettings(paths)).entries, paths);
    }
    // Upstream's --role-model ROLE=MODEL: a role's route, as `wg model set ROLE MODEL` sets it (each checked before any is written).
    for (const [role, model] of Object.entries(roleModel ?? {})) {
      await requireModel(paths, model);
      await requireClaudeReachable(paths, role, model);
    }
    if (typeof values.triageModel === 'string') await requireClaudeReachable(paths, 'triage', values.triageModel);
    for (const [role, model] of Object.entries(roleModel ?? {})) await setRoleModel(paths, role, model, global);
    const changes = Object.entries(values).filter(([, v]) => v !== undefined) as Array<
      [keyof typeof CONFIG_KEYS, string | number | boolean]
    >;
    const removed = [...new Set(unset ?? [])];
    for (const [flag, key] of changes.map(([flag]) => [flag, CONFIG_KEYS[flag]] as const)) {
      // A key both set and unset: which was meant cannot be known, so nothing is written.
      if (removed.includes(key)) throw invalid(`give either ${flagName(flag)} or --unset ${key}, not both`);
    }
    if (changes.length > 0 || removed.length > 0) {
      await loadSettings(paths); // refuse to write over a file that does not parse
      // An executor that names nothing would fail every task: refused here, listing the ones there are.
      if (typeof values.executor === 'string') await requireExecutor(paths, values.executor);
      const written = changes.map(([flag, given]) => {
        const key = CONFIG_KEYS[flag];
        // `--agent-timeout none`: no limit, which config.toml says as "" (as the guide's example does).
        const value = flag === 'agentTimeout' && given === 'none' ? '' : given;
        readValue(key, value, flagName(flag));
        return [key, fileValue(key, value)] as const;
      });
      const write = (table: Record<string, unknown>) => {
        for (const [key, value] of written) {
          for (const [at, held] of namesToWrite(table, key, value)) {
            const [group, name] = at.split('.') as [string, string];
            section(table, group)[name] = held;
          }
        }
        for (const key of removed) for (const at of allNamesOf(key)) removeKey(table, at);
      };
      // On a team's graph the team's keys go to the store (one transaction) and the machine's to config.toml.
      if (global) updateToml(paths.globalConfig, write);
      else await updateProjectConfig(paths, write);
    }
    const entries = (await loadSettings(paths)).entries;
    for (const line of await misspeltSettings(paths)) warn?.(line);
    if (typeof values.model === 'string') {
      warnOfOtherExecutor(values.model, entries, warn);
      if (!global) warnOfUpstreamModel(paths.dir, values.model, warn);
    }
    for (const model of [values.model, values.triageModel]) {
      const mistyped = typeof model === 'string' ? await mistypedModelWarning(paths, model) : null;
      if (mistyped) warn?.(mistyped);
    }
    if (typeof values.baseBranch === 'string') warnOfMissingBranch(paths.root, values.baseBranch, warn);
    return withRoleRoutes(entries, paths);
  },
  'model:list': async ({ tier }, { paths }) => {
    const registry = await readModels(paths);
    return tier === undefined ? registry : { ...registry, models: registry.models.filter((m) => m.tier === tier) };
  },
  'model:add': (input, { paths }) => addModel(paths, input),
  'model:remove': ({ name, force, global }, { paths }) => removeModel(paths, name, { force, global }),
  'model:setDefault': ({ name, global }, { paths }) => setDefaultModel(paths, name, global),
  // `model set ROLE MODEL` (upstream's form) or `model set MODEL --role ROLE`.
  'model:setRole': async ({ role, name, model, global }, { paths }) => {
    const [routed, to] = model === undefined ? [role as string, name] : [parseRole(name), model];
    await requireModel(paths, to);
    await requireClaudeReachable(paths, routed, to);
    return setRoleModel(paths, routed, to, global);
  },
  'executor:list': (_input, { paths }) => readExecutors(paths),
  // Where the coordinator runs (with --server, its machine): the programs its runs would start.
  'executor:discover': ({ all }) => {
    const found = discoverExecutors(process.env);
    return all ? found : found.filter((e) => e.available);
  },
  'executor:add': async (input, { paths, warn }) => {
    await requireModelReach(paths, { name: input.name, type: input.type }, input.model);
    const profile = await addExecutor(paths, input);
    const mistyped = input.model === undefined ? null : await mistypedModelWarning(paths, input.model);
    if (mistyped) warn?.(mistyped);
    return profile;
  },
  'executor:remove': ({ name, force }, { paths, store }) => removeExecutorProfile(store.core, paths, name, force === true),
};
