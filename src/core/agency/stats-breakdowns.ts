import type { EvaluationRecord, StatsBreakdowns } from '../../shared/agency';

/*
 * Upstream's `wg agency stats` sections beyond the leaderboards (its run_stats): the role × tradeoff
 * synergy matrix, the scores by task tag, the pairs evaluated fewer than `--min-evals` times,
 * `--by-model`'s model leaderboard and
 * `--by-task-type`'s breakdown by the kind of task a title names. Pure: the records come in.
 */

/** The task types upstream recognises, in its order. */
const TASK_TYPES = ['research', 'implementation', 'fix', 'design', 'test', 'docs', 'refactor', 'other'] as const;

/** Upstream's trend of a series of scores: the second half's average against the first's ("-" under two). */
export function trend(scores: readonly number[]): 'up' | 'down' | 'flat' | '-' {
  if (scores.length < 2) return '-';
  const mid = Math.floor(scores.length / 2);
  const avg = (part: readonly number[]) => part.reduce((a, b) => a + b, 0) / part.length;
  const diff = avg(scores.slice(mid)) - avg(scores.slice(0, mid));
  return diff > 0.03 ? 'up' : diff < -0.03 ? 'down' : 'flat';
}

const PREFIXES: ReadonlyArray<[type: (typeof TASK_TYPES)[number], prefixes: readonly string[]]> = [
  ['research', ['research:', 'investigate:', 'audit:', 'analyze:', 'explore:']],
  ['implementation', ['implement:', 'wire:', 'add:', 'create:', 'build:']],
  ['fix', ['fix:', 'hotfix:', 'bugfix:']],
  ['design', ['design:', 'architect:', 'plan:']],
  ['test', ['test:', 'validate:']],
  ['docs', ['docs:', 'document:', 'doc:']],
  ['refactor', ['refactor:', 'restructure:', 'cleanup:']],
];
const SYSTEM = ['evaluate:', 'flip:', 'place:', '.evaluate-', '.flip-', '.place-', '.assign-', '.compact-', '.quality-pass-'];

/** Upstream's classify_task_type: by the title's prefix ("Fix: …"), `other` without one; none for system tasks. */
export function classifyTaskType(title: string): (typeof TASK_TYPES)[number] | null {
  const lower = title.toLowerCase();
  if (SYSTEM.some((prefix) => lower.startsWith(prefix))) return null;
  return PREFIXES.find(([, prefixes]) => prefixes.some((prefix) => lower.startsWith(prefix)))?.[0] ?? 'other';
}

interface Cell {
  key: string;
  scores: number[];
}

/** Scores grouped by a key, in the order the keys first appear. */
function grouped(records: readonly EvaluationRecord[], keyOf: (e: EvaluationRecord) => string | null): Cell[] {
  const cells = new Map<string, number[]>();
  for (const record of records) {
    const key = keyOf(record);
    if (key === null) continue;
    const scores = cells.get(key);
    if (scores) scores.push(record.score);
    else cells.set(key, [record.score]);
  }
  return [...cells].map(([key, scores]) => ({ key, scores }));
}

const average = (scores: readonly number[]) => scores.reduce((a, b) => a + b, 0) / scores.length;
const modelOf = (e: EvaluationRecord) => e.model ?? '(unknown)';

/** Role × tradeoff pairs with fewer than `minEvals` evaluations, fewest first (upstream's find_underexplored). */
function underexplored(
  records: readonly EvaluationRecord[],
  roles: ReadonlyArray<{ id: string }>,
  tradeoffs: ReadonlyArray<{ id: string }>,
  minEvals: number,
): StatsBreakdowns['underexplored'] {
  const counts = new Map<string, number>();
  for (const e of records)
    counts.set(`${e.role_id ?? ''} ${e.tradeoff_id ?? ''}`, (counts.get(`${e.role_id ?? ''} ${e.tradeoff_id ?? ''}`) ?? 0) + 1);
  const pairs = roles.flatMap((role) =>
    tradeoffs.map((tradeoff) => ({ role_id: role.id, tradeoff_id: tradeoff.id, eval_count: counts.get(`${role.id} ${tradeoff.id}`) ?? 0 })),
  );
  return pairs
    .filter((pair) => pair.eval_count < minEvals)
    .sort((a, b) => a.eval_count - b.eval_count || a.role_id.localeCompare(b.role_id) || a.tradeoff_id.localeCompare(b.tradeoff_id));
}

/** Role × tradeoff pairs by average score, best first (upstream's build_synergy_matrix). */
function synergyMatrix(records: readonly EvaluationRecord[]): StatsBreakdowns['synergy_matrix'] {
  return grouped(records, (e) => `${e.role_id ?? ''}\u0000${e.tradeoff_id ?? ''}`)
    .map((cell) => {
      const [role_id, tradeoff_id] = cell.key.split('\u0000') as [string, string];
      const avg_score = average(cell.scores);
      const rating = avg_score >= 0.8 ? 'high' : avg_score <= 0.4 ? 'low' : 'medium';
      return { role_id, tradeoff_id, avg_score, count: cell.scores.length, rating } as const;
    })
    .sort((a, b) => b.avg_score - a.avg_score || a.role_id.localeCompare(b.role_id) || a.tradeoff_id.localeCompare(b.tradeoff_id));
}

/** A role's (or tradeoff's) scores by each tag of the tasks evaluated, by id then tag (upstream's build_tag_breakdown). */
function tagBreakdown(
  records: readonly EvaluationRecord[],
  tags: ReadonlyMap<string, readonly string[]>,
  entityOf: (e: EvaluationRecord) => string,
): Array<{ entity: string; tag: string; avg_score: number; count: number }> {
  const cells = new Map<string, { entity: string; tag: string; scores: number[] }>();
  for (const record of records) {
    for (const tag of tags.get(record.task_id) ?? []) {
      const entity = entityOf(record);
      const key = `${entity}\u0000${tag}`;
      const cell = cells.get(key) ?? { entity, tag, scores: [] };
      cell.scores.push(record.score);
      cells.set(key, cell);
    }
  }
  return [...cells.values()]
    .map(({ entity, tag, scores }) => ({ entity, tag, avg_score: average(scores), count: scores.length }))
    .sort((a, b) => a.entity.localeCompare(b.entity) || a.tag.localeCompare(b.tag));
}

export interface BreakdownInput {
  evaluations: readonly EvaluationRecord[];
  roles: ReadonlyArray<{ id: string }>;
  tradeoffs: ReadonlyArray<{ id: string }>;
  /** Each task's title, for its type. */
  titles: ReadonlyMap<string, string>;
  /** Each task's tags, for the scores by tag (none: no tag breakdown). */
  tags?: ReadonlyMap<string, readonly string[]>;
}

export function statsBreakdowns(
  input: BreakdownInput,
  options: { minEvals: number; byModel: boolean; byTaskType: boolean },
): StatsBreakdowns {
  const records = [...input.evaluations].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.id - b.id));
  const tags = input.tags ?? new Map<string, readonly string[]>();
  const result: StatsBreakdowns = {
    min_evals: options.minEvals,
    synergy_matrix: synergyMatrix(records),
    tag_breakdown: {
      by_role: tagBreakdown(records, tags, (e) => e.role_id ?? '').map(({ entity, ...c }) => ({ role_id: entity, ...c })),
      by_tradeoff: tagBreakdown(records, tags, (e) => e.tradeoff_id ?? '').map(({ entity, ...c }) => ({ tradeoff_id: entity, ...c })),
    },
    underexplored: underexplored(records, input.roles, input.tradeoffs, options.minEvals),
  };
  if (options.byModel) {
    result.model_leaderboard = grouped(records, modelOf)
      .map((cell) => ({ model: cell.key, avg_score: average(cell.scores), eval_count: cell.scores.length, trend: trend(cell.scores) }))
      .sort((a, b) => b.avg_score - a.avg_score);
  }
  if (options.byTaskType) {
    const typeOf = (e: EvaluationRecord) => {
      const title = input.titles.get(e.task_id);
      return title === undefined ? null : classifyTaskType(title);
    };
    const byType = (entityOf: (e: EvaluationRecord) => string) =>
      grouped(records, (e) => {
        const type = typeOf(e);
        return type === null ? null : `${type}\u0000${entityOf(e)}`;
      })
        .map((cell) => {
          const [task_type, entity] = cell.key.split('\u0000') as [string, string];
          return { task_type, entity, avg_score: average(cell.scores), count: cell.scores.length };
        })
        .sort((a, b) => a.task_type.localeCompare(b.task_type) || b.avg_score - a.avg_score);
    const roles = byType((e) => e.role_id ?? '');
    const models = byType(modelOf);
    // The best with at least two evaluations, as upstream recommends.
    const best = <T extends { task_type: string; avg_score: number; count: number }>(cells: readonly T[], type: string) =>
      cells.filter((c) => c.task_type === type && c.count >= 2).sort((a, b) => b.avg_score - a.avg_score)[0] ?? null;
    result.task_type_breakdown = {
      by_role: roles.map(({ entity, ...c }) => ({ ...c, role_id: entity })),
      by_model: models.map(({ entity, ...c }) => ({ ...c, model: entity })),
      recommendations: TASK_TYPES.map((type) => {
        const role = best(roles, type);
        const model = best(models, type);
        return {
          task_type: type,
          best_role: role && { role_id: role.entity, avg_score: role.avg_score, count: role.count },
          best_model: model && { model: model.entity, avg_score: model.avg_score, count: model.count },
        };
      }),
    };
  }
  return result;
}
