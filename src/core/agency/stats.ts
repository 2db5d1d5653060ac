import type { AgencyStats, AgentIdentity, EvaluationRecord, Performance, StatRow } from '../../shared/agency';

/** What performance is computed from: the tasks that carry identities, and every evaluation recorded. */
export interface StatsInput {
  tasks: ReadonlyArray<{ id: string; agent: string | null }>;
  evaluations: readonly EvaluationRecord[];
  identities: readonly AgentIdentity[];
  roles: ReadonlyArray<{ id: string; name: string }>;
  tradeoffs: ReadonlyArray<{ id: string; name: string }>;
}

export interface PerformanceIndex {
  agent: Map<string, Performance>;
  role: Map<string, Performance>;
  tradeoff: Map<string, Performance>;
  all: Performance;
}

class Tally {
  readonly tasks = new Set<string>();
  private total = 0;
  private count = 0;
  private readonly dims = new Map<string, { total: number; count: number }>();

  add(evaluation: EvaluationRecord): void {
    this.tasks.add(evaluation.task_id);
    this.total += evaluation.score;
    this.count++;
    for (const [name, score] of Object.entries(evaluation.dimensions)) {
      const dim = this.dims.get(name) ?? { total: 0, count: 0 };
      dim.total += score;
      dim.count++;
      this.dims.set(name, dim);
    }
  }

  result(): Performance {
    const dimensions: Record<string, number> = {};
    for (const [name, dim] of [...this.dims].sort(([a], [b]) => a.localeCompare(b))) dimensions[name] = dim.total / dim.count;
    return { tasks: this.tasks.size, evaluations: this.count, avg_score: this.count > 0 ? this.total / this.count : null, dimensions };
  }
}

const tallyOf = (map: Map<string, Tally>, id: string): Tally => {
  const found = map.get(id);
  if (found) return found;
  const tally = new Tally();
  map.set(id, tally);
  return tally;
};

/**
 * Tasks, average score and per-dimension averages for every identity, role and tradeoff. A task
 * counts for the identity it carries now (and that identity's role and tradeoff); an evaluation counts
 * for the identity, role and tradeoff it was recorded with, so history survives reassignment.
 */
export function performanceIndex(input: StatsInput): PerformanceIndex {
  const byId = new Map(input.identities.map((i) => [i.id, i]));
  const agent = new Map<string, Tally>();
  const role = new Map<string, Tally>();
  const tradeoff = new Map<string, Tally>();
  const all = new Tally();
  for (const task of input.tasks) {
    if (!task.agent) continue;
    const identity = byId.get(task.agent);
    tallyOf(agent, task.agent).tasks.add(task.id);
    if (identity) {
      tallyOf(role, identity.role_id).tasks.add(task.id);
      tallyOf(tradeoff, identity.tradeoff_id).tasks.add(task.id);
    }
  }
  for (const evaluation of input.evaluations) {
    all.add(evaluation);
    const identity = evaluation.agent_id ? byId.get(evaluation.agent_id) : undefined;
    if (evaluation.agent_id) tallyOf(agent, evaluation.agent_id).add(evaluation);
    const roleId = evaluation.role_id ?? identity?.role_id;
    const tradeoffId = evaluation.tradeoff_id ?? identity?.tradeoff_id;
    if (roleId) tallyOf(role, roleId).add(evaluation);
    if (tradeoffId) tallyOf(tradeoff, tradeoffId).add(evaluation);
  }
  const results = (map: Map<string, Tally>) => new Map([...map].map(([id, t]) => [id, t.result()]));
  return { agent: results(agent), role: results(role), tradeoff: results(tradeoff), all: all.result() };
}

export const NO_PERFORMANCE: Performance = { tasks: 0, evaluations: 0, avg_score: null, dimensions: {} };

function rows(items: ReadonlyArray<{ id: string; name: string }>, index: Map<string, Performance>): StatRow[] {
  const known = new Set(items.map((i) => i.id));
  const listed: StatRow[] = items.map((i) => ({ id: i.id, name: i.name, ...(index.get(i.id) ?? NO_PERFORMANCE) }));
  // Evaluations of identities (roles, tradeoffs) since removed still count, under their hash.
  for (const [id, perf] of index) if (!known.has(id)) listed.push({ id, name: '(removed)', ...perf });
  return listed.sort((a, b) => (b.avg_score ?? -1) - (a.avg_score ?? -1) || b.tasks - a.tasks || a.name.localeCompare(b.name));
}

export function agencyStats(input: StatsInput): AgencyStats {
  const index = performanceIndex(input);
  return {
    tasks: input.tasks.filter((t) => t.agent !== null).length,
    evaluations: index.all.evaluations,
    avg_score: index.all.avg_score,
    dimensions: index.all.dimensions,
    by_agent: rows(input.identities, index.agent),
    by_role: rows(input.roles, index.role),
    by_tradeoff: rows(input.tradeoffs, index.tradeoff),
  };
}
