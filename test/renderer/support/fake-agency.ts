import type {
  AgencySettingsView,
  AgentIdentity,
  DesiredOutcome,
  EvaluationRecord,
  IdentityView,
  Role,
  RoleComponent,
  RoleView,
  Tradeoff,
  TradeoffView,
} from '../../../src/shared/agency';
import { shortHash } from '../../../src/shared/agency';
import { conflict, invalid, notFound, WgError } from '../../../src/shared/errors';
import type { OpOutput, OpParsed } from '../../../src/shared/ops/registry';
import type { Task } from '../../../src/shared/task';
import { chooseFallback } from '../../../src/core/agency/assignment/fallback';
import { descriptionHash, identityHash, roleHash } from '../../../src/core/agency/hash';
import {
  ALL_STARTER_COMPONENTS,
  ALL_STARTER_OUTCOMES,
  ALL_STARTER_ROLES,
  ALL_STARTER_TRADEOFFS,
  ASSIGNER_AGENT,
  DEFAULT_AGENT,
  EVALUATOR_AGENT,
  STARTER_AGENTS,
} from '../../../src/core/agency/starters';
import { agencyStats, NO_PERFORMANCE, performanceIndex } from '../../../src/core/agency/stats';

type AgencyOp =
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
export type AgencyHandlers = { [N in AgencyOp]: (input: OpParsed<N>) => OpOutput<N> };

const NOW = '2026-03-01T12:00:00.000Z';

/** The agency of the in-memory workgraph: the real hashing, starters, stats and fallback rule over plain arrays. */
export class FakeAgency {
  components: RoleComponent[] = [];
  outcomes: DesiredOutcome[] = [];
  tradeoffs: Tradeoff[] = [];
  roles: Role[] = [];
  identities: AgentIdentity[] = [];
  evaluations: EvaluationRecord[] = [];
  settings: AgencySettingsView = {
    auto_assign: false,
    auto_evaluate: false,
    eval_threshold: 0.7,
    max_eval_rescues: 3,
    assigner_agent: null,
    evaluator_agent: null,
  };

  constructor(
    private readonly tasks: () => Task[],
    private readonly write: <T>(change: () => T) => T,
    private readonly setAgent: (id: string, agent: string | null, line: string) => Task,
  ) {}

  seedStarters(): void {
    this.components = [...ALL_STARTER_COMPONENTS];
    this.outcomes = [...ALL_STARTER_OUTCOMES];
    this.tradeoffs = [...ALL_STARTER_TRADEOFFS];
    for (const r of ALL_STARTER_ROLES) this.addRole(r.name, r.description, r.component_ids, r.outcome_id);
    for (const a of STARTER_AGENTS) this.identities.push(this.identity(a.name, a.role.id, a.tradeoff.id));
    this.settings = {
      ...this.settings,
      auto_assign: true,
      auto_evaluate: true,
      assigner_agent: ASSIGNER_AGENT.id,
      evaluator_agent: EVALUATOR_AGENT.id,
    };
  }

  private addRole(name: string, description: string, componentIds: string[], outcomeId: string): Role {
    const id = roleHash(componentIds, outcomeId);
    if (this.roles.some((r) => r.id === id)) throw conflict(`a role with identical content already exists (${shortHash(id)})`);
    const skills = componentIds.map((cid) => {
      const c = this.components.find((x) => x.id === cid);
      return { id: cid, name: c?.name ?? cid, description: c?.description ?? null };
    });
    const role: Role = {
      id,
      name,
      description,
      component_ids: componentIds,
      outcome_id: outcomeId,
      skills,
      outcome: this.outcomes.find((o) => o.id === outcomeId)?.description ?? outcomeId,
      default_exec_mode: null,
      default_context_scope: null,
      created_at: NOW,
    };
    this.roles.push(role);
    return role;
  }

  private identity(name: string, roleId: string, tradeoffId: string): AgentIdentity {
    return {
      id: identityHash(roleId, tradeoffId),
      name,
      role_id: roleId,
      tradeoff_id: tradeoffId,
      executor: 'claude',
      model: null,
      provider: null,
      capabilities: [],
      created_at: NOW,
    };
  }

  private find<T extends { id: string; name: string }>(items: T[], ref: string, what: string): T {
    const hits = items.filter((i) => i.id.startsWith(ref.toLowerCase()) || i.name.toLowerCase() === ref.toLowerCase());
    if (hits.length === 1) return hits[0] as T;
    if (hits.length > 1) throw invalid(`'${ref}' matches ${hits.length} ${what}s`);
    throw notFound(what, ref);
  }

  private index() {
    return performanceIndex({
      tasks: this.tasks(),
      evaluations: this.evaluations,
      identities: this.identities,
      roles: this.roles,
      tradeoffs: this.tradeoffs,
    });
  }

  private special(id: string): boolean {
    return (
      id === this.settings.assigner_agent || id === this.settings.evaluator_agent || id === ASSIGNER_AGENT.id || id === EVALUATOR_AGENT.id
    );
  }

  private identityViews(): IdentityView[] {
    const index = this.index();
    return this.identities.map((i) => ({
      ...i,
      role_name: this.roles.find((r) => r.id === i.role_id)?.name ?? null,
      tradeoff_name: this.tradeoffs.find((t) => t.id === i.tradeoff_id)?.name ?? null,
      performance: index.agent.get(i.id) ?? NO_PERFORMANCE,
      special: this.special(i.id),
    }));
  }

  private roleViews(): RoleView[] {
    const index = this.index();
    const special = new Set([ASSIGNER_AGENT.role.id, EVALUATOR_AGENT.role.id]);
    return this.roles.map((r) => ({ ...r, performance: index.role.get(r.id) ?? NO_PERFORMANCE, special: special.has(r.id) }));
  }

  private tradeoffViews(): TradeoffView[] {
    const index = this.index();
    return this.tradeoffs.map((t) => ({ ...t, performance: index.tradeoff.get(t.id) ?? NO_PERFORMANCE, special: t.scope !== null }));
  }

  readonly handlers: AgencyHandlers = {
    'agency:init': () =>
      this.write(() => {
        this.seedStarters();
        return {
          roles_created: 6,
          tradeoffs_created: 6,
          agents_created: STARTER_AGENTS.map((a) => a.name),
          config_changed: true,
          default_agent: DEFAULT_AGENT.id,
        };
      }),
    'agency:overview': () => ({
      roles: this.roleViews(),
      tradeoffs: this.tradeoffViews(),
      identities: this.identityViews(),
      components: this.components,
      outcomes: this.outcomes,
      settings: this.settings,
    }),
    'agency:stats': () =>
      agencyStats({
        tasks: this.tasks(),
        evaluations: this.evaluations,
        identities: this.identities,
        roles: this.roles,
        tradeoffs: this.tradeoffs,
      }),
    'agency:export': () => {
      throw new WgError('unavailable', 'the in-memory workgraph has no agency folder');
    },
    'agency:import': () => {
      throw new WgError('unavailable', 'the in-memory workgraph has no agency folder');
    },
    'role:add': ({ name, outcome, skill, description }) =>
      this.write(() => {
        const role = this.addRole(name, description ?? '', skill ?? [], outcome);
        return this.roleViews().find((r) => r.id === role.id) as RoleView;
      }),
    'role:list': () => this.roleViews(),
    'role:show': ({ id }) => this.roleViews().find((r) => r.id === this.find(this.roles, id, 'role').id) as RoleView,
    'role:edit': ({ id, name, description, outcome, skill }) =>
      this.write(() => {
        const role = this.find(this.roles, id, 'role');
        this.roles = this.roles.filter((r) => r.id !== role.id);
        const next = this.addRole(
          name ?? role.name,
          description ?? role.description,
          skill ?? role.component_ids,
          outcome ?? role.outcome_id,
        );
        this.identities = this.identities.map((i) =>
          i.role_id === role.id ? { ...i, role_id: next.id, id: identityHash(next.id, i.tradeoff_id) } : i,
        );
        return this.roleViews().find((r) => r.id === next.id) as RoleView;
      }),
    'role:rm': ({ id }) =>
      this.write(() => {
        const role = this.find(this.roles, id, 'role');
        if (this.identities.some((i) => i.role_id === role.id))
          throw conflict(`role '${role.name}' is used by agents; remove those agents first`);
        this.roles = this.roles.filter((r) => r.id !== role.id);
        return role;
      }),
    'tradeoff:add': ({ name, accept, reject, description }) =>
      this.write(() => {
        const id = descriptionHash(description);
        if (this.tradeoffs.some((t) => t.id === id)) throw conflict(`a tradeoff with identical content already exists (${shortHash(id)})`);
        this.tradeoffs.push({ id, name, description, acceptable: accept ?? [], unacceptable: reject ?? [], scope: null, created_at: NOW });
        return this.tradeoffViews().find((t) => t.id === id) as TradeoffView;
      }),
    'tradeoff:list': () => this.tradeoffViews(),
    'tradeoff:show': ({ id }) => this.tradeoffViews().find((t) => t.id === this.find(this.tradeoffs, id, 'tradeoff').id) as TradeoffView,
    'tradeoff:rm': ({ id }) =>
      this.write(() => {
        const tradeoff = this.find(this.tradeoffs, id, 'tradeoff');
        if (this.identities.some((i) => i.tradeoff_id === tradeoff.id))
          throw conflict(`tradeoff '${tradeoff.name}' is used by agents; remove those agents first`);
        this.tradeoffs = this.tradeoffs.filter((t) => t.id !== tradeoff.id);
        return tradeoff;
      }),
    'identity:create': ({ name, role, tradeoff, executor, model }) =>
      this.write(() => {
        const made = {
          ...this.identity(name, this.find(this.roles, role, 'role').id, this.find(this.tradeoffs, tradeoff, 'tradeoff').id),
          executor: executor ?? 'claude',
          model: model ?? null,
        };
        if (this.identities.some((i) => i.id === made.id))
          throw conflict(`an agent with identical content already exists (${shortHash(made.id)})`);
        this.identities.push(made);
        return this.identityViews().find((i) => i.id === made.id) as IdentityView;
      }),
    'identity:list': () => this.identityViews(),
    'identity:show': ({ id }) => this.identityViews().find((i) => i.id === this.find(this.identities, id, 'agent').id) as IdentityView,
    'identity:rm': ({ id }) =>
      this.write(() => {
        const view = this.handlers['identity:show']({ id });
        this.identities = this.identities.filter((i) => i.id !== view.id);
        return view;
      }),
    'task:assign': ({ id, agent, clear }) => {
      if (clear) return this.setAgent(id, null, 'Agent identity cleared');
      const identity =
        agent !== undefined
          ? this.find(this.identities, agent, 'agent')
          : chooseFallback(
              this.tasks().find((t) => t.id === id) as Task,
              this.identityViews()
                .filter((i) => !i.special)
                .map((i) => ({
                  identity: i,
                  role: this.roles.find((r) => r.id === i.role_id),
                  performance: i.performance,
                })),
              DEFAULT_AGENT.id,
            )?.identity;
      if (!identity) throw invalid('there are no agents to choose from');
      return this.setAgent(id, identity.id, `Assigned agent ${identity.name} (${shortHash(identity.id)})`);
    },
  };

  /** Records an evaluation as the store would (the history behind the stats). */
  record(task: Task, score: number, dimensions: Record<string, number>): void {
    const identity = this.identities.find((i) => i.id === task.agent);
    this.evaluations.push({
      id: this.evaluations.length + 1,
      task_id: task.id,
      agent_id: task.agent,
      role_id: identity?.role_id ?? null,
      tradeoff_id: identity?.tradeoff_id ?? null,
      score,
      dimensions,
      notes: null,
      evaluator: 'fake',
      model: null,
      source: 'manual',
      timestamp: new Date().toISOString(),
    });
  }
}
