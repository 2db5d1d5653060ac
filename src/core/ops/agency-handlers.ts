import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shortHash } from '../../shared/agency';
import { invalid } from '../../shared/errors';
import { loadSettings } from '../config/settings';
import type { ProjectPaths } from '../project';
import { initAgency } from '../agency/agency-init';
import {
  agencyOverview,
  agencyStatsOf,
  assignmentCandidates,
  defaultAgentId,
  identityView,
  identityViews,
  roleViews,
  tradeoffViews,
} from '../agency/agency-views';
import { assignIdentity } from '../agency/assignment/assign-task';
import { chooseFallback } from '../agency/assignment/fallback';
import { descriptionHash } from '../agency/hash';
import { exportAgency } from '../agency/yaml/yaml-export';
import { importAgency } from '../agency/yaml/yaml-import';
import { getTask } from '../store/task-reads';
import type { Handlers, OpContext } from './context';
import { agencyWrites } from '../agency/agency-writes';

type AgencyOps =
  | 'agency:init'
  | 'agency:overview'
  | 'agency:stats'
  | 'agency:export'
  | 'agency:import'
  | 'role:add'
  | 'role:list'
  | 'role:show'
  | 'role:edit'
  | 'role:rm'
  | 'tradeoff:add'
  | 'tradeoff:list'
  | 'tradeoff:show'
  | 'tradeoff:rm'
  | 'identity:create'
  | 'identity:list'
  | 'identity:show'
  | 'identity:rm'
  | 'task:assign';

const settingsOf = async (paths: ProjectPaths) => (await loadSettings(paths)).settings;

/** The project's agency folder (as upstream keeps it inside its workgraph folder), else a `.wg/agency` beside it. */
function agencyFolder(paths: ProjectPaths, given: string | undefined, reading: boolean): string {
  if (given) return resolve(given);
  const own = join(paths.dir, 'agency');
  if (!reading || existsSync(own)) return own;
  const upstream = join(paths.root, '.wg', 'agency');
  if (existsSync(upstream)) return upstream;
  throw invalid(`no agency folder at ${own} or ${upstream}; give the folder to import`);
}

const roleView = async (ctx: OpContext, id: string) => {
  const view = (await roleViews(ctx.store, await settingsOf(ctx.paths))).find((r) => r.id === id);
  if (!view) throw invalid(`role ${shortHash(id)} vanished`);
  return view;
};

const tradeoffView = async (ctx: OpContext, id: string) => {
  const view = (await tradeoffViews(ctx.store, await settingsOf(ctx.paths))).find((t) => t.id === id);
  if (!view) throw invalid(`tradeoff ${shortHash(id)} vanished`);
  return view;
};

export const agencyHandlers: Handlers<AgencyOps> = {
  'agency:init': (_input, { store, paths }) => initAgency(store, paths),
  'agency:overview': async (_input, { store, paths }) => agencyOverview(store, await settingsOf(paths)),
  'agency:stats': (options, { store }) => agencyStatsOf(store, options),
  'agency:export': ({ path }, { store, paths }) => exportAgency(store, agencyFolder(paths, path, false)),
  'agency:import': ({ path }, { store, paths }) => importAgency(store, agencyFolder(paths, path, true)),

  'role:add': async ({ name, outcome, skill, description }, ctx) => {
    // As upstream's `wg role add`: the skills and the outcome are the role's parts as given.
    const id = await ctx.store.core.write(() =>
      agencyWrites(ctx.store).putRole({ name, description: description ?? '', component_ids: skill ?? [], outcome_id: outcome }, 'refuse'),
    );
    return roleView(ctx, id);
  },
  'role:list': async (_input, { store, paths }) => roleViews(store, await settingsOf(paths)),
  'role:show': async ({ id }, ctx) => roleView(ctx, (await ctx.store.agency.resolveRole(id)).id),
  'role:edit': async ({ id, name, description, outcome, skill }, ctx) => {
    const role = await ctx.store.agency.resolveRole(id);
    const next = await ctx.store.core.write(() =>
      agencyWrites(ctx.store).editRole(role, { name, description, outcome_id: outcome, component_ids: skill }),
    );
    return roleView(ctx, next);
  },
  'role:rm': async ({ id }, { store }) => {
    const role = await store.agency.resolveRole(id);
    await store.core.write(() => agencyWrites(store).removeRole(role));
    return role;
  },

  'tradeoff:add': async ({ name, accept, reject, description }, ctx) => {
    const id = descriptionHash(description);
    await ctx.store.core.write(() =>
      agencyWrites(ctx.store).putTradeoff(
        { id, name, description, acceptable: accept ?? [], unacceptable: reject ?? [], scope: null },
        'refuse',
      ),
    );
    return tradeoffView(ctx, id);
  },
  'tradeoff:list': async (_input, { store, paths }) => tradeoffViews(store, await settingsOf(paths)),
  'tradeoff:show': async ({ id }, ctx) => tradeoffView(ctx, (await ctx.store.agency.resolveTradeoff(id)).id),
  'tradeoff:rm': async ({ id }, { store }) => {
    const tradeoff = await store.agency.resolveTradeoff(id);
    await store.core.write(() => agencyWrites(store).removeTradeoff(tradeoff));
    return tradeoff;
  },

  'identity:create': async ({ name, role, tradeoff, executor, model, provider, capabilities }, { store, paths }) => {
    const r = await store.agency.resolveRole(role);
    const t = await store.agency.resolveTradeoff(tradeoff);
    const id = await store.core.write(() =>
      agencyWrites(store).putIdentity({ name, role_id: r.id, tradeoff_id: t.id, executor, model, provider, capabilities }, 'refuse'),
    );
    return identityView(
      store,
      await settingsOf(paths),
      (await store.agency.identity(id)) as NonNullable<Awaited<ReturnType<typeof store.agency.identity>>>,
    );
  },
  'identity:list': async (_input, { store, paths }) => identityViews(store, await settingsOf(paths)),
  'identity:show': async ({ id }, { store, paths }) => identityView(store, await settingsOf(paths), await store.agency.resolveIdentity(id)),
  'identity:rm': async ({ id }, { store, paths }) => {
    const identity = await store.agency.resolveIdentity(id);
    const view = await identityView(store, await settingsOf(paths), identity);
    await store.core.write(() => agencyWrites(store).removeIdentity(identity));
    return view;
  },

  'task:assign': async ({ id, agent, clear }, { store, paths, actor }) => {
    const current = await getTask(store.core, id);
    // Upstream's clear of a task with no identity changes nothing.
    if (clear) return current.agent === null ? current : assignIdentity(store, id, null, actor);
    if (agent !== undefined) {
      const identity = await store.agency.resolveIdentity(agent);
      return assignIdentity(
        store,
        id,
        { identity, exec_mode: null, context_scope: null, reason: 'assigned by hand', source: 'manual' },
        actor,
        `Assigned agent ${identity.name} (${shortHash(identity.id)}) by hand`,
      );
    }
    const settings = await settingsOf(paths);
    const task = await getTask(store.core, id);
    const choice = chooseFallback(task, await assignmentCandidates(store, settings), await defaultAgentId(store, settings));
    if (!choice) throw invalid("there are no agents to choose from ('wg agency init' seeds some, 'wg agent create' adds one)");
    const assignment = { identity: choice.identity, exec_mode: null, context_scope: null, reason: choice.why, source: 'manual' as const };
    return assignIdentity(
      store,
      id,
      assignment,
      actor,
      `Assigned agent ${choice.identity.name} (${shortHash(choice.identity.id)}): ${choice.why}`,
    );
  },
};
