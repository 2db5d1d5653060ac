import type {
  AgencyOverview,
  AgencyStats,
  AgentIdentity,
  IdentityView,
  Role,
  RoleComponent,
  RoleView,
  Tradeoff,
  TradeoffView,
} from '../../shared/agency';
import type { Settings } from '../../shared/config-types';
import type { Store } from '../store/store';
import type { Candidate } from './assignment/fallback';
import { DEFAULT_AGENT } from './starters';
import { agencyStats, NO_PERFORMANCE, performanceIndex, type PerformanceIndex, type StatsInput } from './stats';
import { statsBreakdowns } from './stats-breakdowns';

/* The agency as people and the coordinator read it: identities with their roles, tradeoffs and scores. */

async function statsInput(store: Store): Promise<StatsInput> {
  return {
    tasks: await store.core.all(store.core.build.selectFrom('tasks').select(['id', 'agent']).where('agent', 'is not', null)),
    evaluations: await store.evaluations.all(),
    identities: await store.agency.identities(),
    roles: await store.agency.roles(),
    tradeoffs: await store.agency.tradeoffs(),
  };
}

/** Components written for the assigner or evaluator (upstream scopes them `meta:…`). */
const isMeta = (scope: string | null): boolean => scope?.startsWith('meta:') ?? false;

/** A role made only of special-agent components serves the agency, not tasks. */
function isSpecialRole(role: Pick<Role, 'component_ids'>, components: ReadonlyMap<string, RoleComponent>): boolean {
  return role.component_ids.length > 0 && role.component_ids.every((id) => isMeta(components.get(id)?.scope ?? null));
}

interface Context {
  roles: Map<string, Role>;
  tradeoffs: Map<string, Tradeoff>;
  components: Map<string, RoleComponent>;
  index: PerformanceIndex;
  specialIds: Set<string>;
}

async function context(store: Store, settings: Pick<Settings, 'agency'>): Promise<Context> {
  const input = await statsInput(store);
  const components = new Map((await store.agency.components()).map((c) => [c.id, c]));
  const roles = new Map(input.roles.map((r) => [r.id, r as Role]));
  const specialIds = new Set<string>();
  for (const identity of input.identities) {
    const role = roles.get(identity.role_id);
    if (role && isSpecialRole(role, components)) specialIds.add(identity.id);
  }
  for (const id of [settings.agency.assigner_agent, settings.agency.evaluator_agent]) if (id) specialIds.add(id);
  return {
    roles,
    tradeoffs: new Map(input.tradeoffs.map((t) => [t.id, t as Tradeoff])),
    components,
    index: performanceIndex(input),
    specialIds,
  };
}

function toIdentityView(identity: AgentIdentity, ctx: Context): IdentityView {
  return {
    ...identity,
    role_name: ctx.roles.get(identity.role_id)?.name ?? null,
    tradeoff_name: ctx.tradeoffs.get(identity.tradeoff_id)?.name ?? null,
    performance: ctx.index.agent.get(identity.id) ?? NO_PERFORMANCE,
    special: ctx.specialIds.has(identity.id),
  };
}

const rolesOf = (ctx: Context): RoleView[] =>
  [...ctx.roles.values()].map((role) => ({
    ...role,
    performance: ctx.index.role.get(role.id) ?? NO_PERFORMANCE,
    special: isSpecialRole(role, ctx.components),
  }));

const tradeoffsOf = (ctx: Context): TradeoffView[] =>
  [...ctx.tradeoffs.values()].map((t) => ({
    ...t,
    performance: ctx.index.tradeoff.get(t.id) ?? NO_PERFORMANCE,
    special: t.scope !== null && isMeta(t.scope),
  }));

export async function roleViews(store: Store, settings: Pick<Settings, 'agency'>): Promise<RoleView[]> {
  return rolesOf(await context(store, settings));
}

export async function tradeoffViews(store: Store, settings: Pick<Settings, 'agency'>): Promise<TradeoffView[]> {
  return tradeoffsOf(await context(store, settings));
}

export async function identityViews(store: Store, settings: Pick<Settings, 'agency'>): Promise<IdentityView[]> {
  const ctx = await context(store, settings);
  return (await store.agency.identities()).map((i) => toIdentityView(i, ctx));
}

export async function identityView(store: Store, settings: Pick<Settings, 'agency'>, identity: AgentIdentity): Promise<IdentityView> {
  return toIdentityView(identity, await context(store, settings));
}

export async function agencyOverview(store: Store, settings: Pick<Settings, 'agency'>): Promise<AgencyOverview> {
  const ctx = await context(store, settings);
  const { agency } = settings;
  return {
    roles: rolesOf(ctx),
    tradeoffs: tradeoffsOf(ctx),
    identities: (await store.agency.identities()).map((i) => toIdentityView(i, ctx)),
    components: [...ctx.components.values()],
    outcomes: await store.agency.outcomes(),
    settings: {
      auto_assign: agency.auto_assign,
      auto_evaluate: agency.auto_evaluate,
      eval_threshold: agency.eval_threshold,
      max_eval_rescues: agency.max_eval_rescues,
      assigner_agent: agency.assigner_agent,
      evaluator_agent: agency.evaluator_agent,
    },
  };
}

/** The stats, with upstream's synergy matrix, scores by tag and under-explored pairs (below `minEvals`) and, when asked, its breakdowns by model and task type. */
export async function agencyStatsOf(
  store: Store,
  options: { minEvals?: number; byModel?: boolean; byTaskType?: boolean } = {},
): Promise<AgencyStats> {
  const input = await statsInput(store);
  const titles = options.byTaskType
    ? new Map((await store.core.all(store.core.build.selectFrom('tasks').select(['id', 'title']))).map((t) => [t.id, t.title]))
    : new Map<string, string>();
  const tags = new Map<string, string[]>();
  for (const { task_id, tag } of await store.core.all(store.core.build.selectFrom('task_tags').select(['task_id', 'tag']))) {
    const list = tags.get(task_id);
    if (list) list.push(tag);
    else tags.set(task_id, [tag]);
  }
  const breakdowns = statsBreakdowns(
    { evaluations: input.evaluations, roles: input.roles, tradeoffs: input.tradeoffs, titles, tags },
    { minEvals: options.minEvals ?? 3, byModel: options.byModel === true, byTaskType: options.byTaskType === true },
  );
  return { ...agencyStats(input), ...breakdowns };
}

/** The identities tasks may be given (not the assigner's or evaluator's own), with their roles and scores. */
export async function assignmentCandidates(store: Store, settings: Pick<Settings, 'agency'>): Promise<Candidate[]> {
  const ctx = await context(store, settings);
  return (await store.agency.identities())
    .filter((i) => !ctx.specialIds.has(i.id))
    .map((identity) => ({
      identity,
      role: ctx.roles.get(identity.role_id),
      performance: ctx.index.agent.get(identity.id) ?? NO_PERFORMANCE,
    }));
}

/** `[agency] default_agent`, else the starter Careful Programmer when the project has it. */
export async function defaultAgentId(store: Store, settings: Pick<Settings, 'agency'>): Promise<string | null> {
  const configured = settings.agency.default_agent;
  if (configured) return (await store.agency.identities()).find((i) => i.id.startsWith(configured))?.id ?? null;
  return (await store.agency.identity(DEFAULT_AGENT.id)) ? DEFAULT_AGENT.id : null;
}
