import type { IdentityView, Performance, RoleView, TradeoffView } from '../shared/agency';
import type { OpName } from '../shared/ops/registry';

/*
 * What `--json` prints for the agency's roles, tradeoffs and agents: this app's fields, with upstream's beside them
 * where its scripts read them (its role, tradeoff and agent commands' `--json`): `wg role list`'s `skill_count` and
 * `avg_score` (its RoleSummary), `wg tradeoff list`'s counts of `acceptable_tradeoffs` and `unacceptable_tradeoffs`
 * with `avg_score` and `task_count`, `wg tradeoff show`'s lists under its TradeoffConfig names, an agent's
 * `preferred_model` and `preferred_provider`, and each `performance` with its PerformanceRecord's `task_count`
 * (the evaluations recorded, as upstream's record_evaluation counts them).
 */

export type AgencyJsonOp = 'role:list' | 'role:show' | 'tradeoff:list' | 'tradeoff:show' | 'identity:list' | 'identity:show';

const AGENCY_OPS: ReadonlySet<string> = new Set<AgencyJsonOp>([
  'role:list',
  'role:show',
  'tradeoff:list',
  'tradeoff:show',
  'identity:list',
  'identity:show',
]);

export const isAgencyJsonOp = (name: OpName): name is AgencyJsonOp => AGENCY_OPS.has(name);

const performance = (p: Performance) => ({ task_count: p.evaluations, ...p });

/** Upstream's names of an agent's model and provider (its Agent's; its human-agent fields are not kept here). */
const agentFields = (a: IdentityView) => ({ preferred_model: a.model, preferred_provider: a.provider });

export function agencyJsonView(name: AgencyJsonOp, result: unknown): unknown {
  switch (name) {
    case 'role:list':
      return (result as RoleView[]).map((r) => ({ ...r, skill_count: r.component_ids.length, avg_score: r.performance.avg_score }));
    case 'role:show': {
      const r = result as RoleView;
      return { ...r, performance: performance(r.performance) };
    }
    case 'tradeoff:list':
      return (result as TradeoffView[]).map((t) => ({
        ...t,
        acceptable_tradeoffs: t.acceptable.length,
        unacceptable_tradeoffs: t.unacceptable.length,
        avg_score: t.performance.avg_score,
        task_count: t.performance.evaluations,
      }));
    case 'tradeoff:show': {
      const t = result as TradeoffView;
      return {
        ...t,
        acceptable_tradeoffs: t.acceptable,
        unacceptable_tradeoffs: t.unacceptable,
        performance: performance(t.performance),
      };
    }
    case 'identity:list':
      return (result as IdentityView[]).map((a) => ({
        ...a,
        ...agentFields(a),
        avg_score: a.performance.avg_score,
        task_count: a.performance.evaluations,
      }));
    case 'identity:show': {
      const a = result as IdentityView;
      return { ...a, ...agentFields(a), performance: performance(a.performance) };
    }
  }
}
