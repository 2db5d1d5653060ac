import { describe, expect, it } from 'vitest';
import { classifyTaskType, statsBreakdowns, trend } from '../../src/core/agency/stats-breakdowns';
import type { EvaluationRecord } from '../../src/shared/agency';

let nextId = 1;
const evaluation = (fields: Partial<EvaluationRecord> & Pick<EvaluationRecord, 'task_id' | 'score'>): EvaluationRecord => ({
  id: nextId++,
  agent_id: null,
  role_id: null,
  tradeoff_id: null,
  dimensions: {},
  notes: null,
  evaluator: 'test',
  model: null,
  source: 'llm',
  timestamp: '2025-01-01T00:00:00Z',
  upstream_id: null,
  upstream_file: null,
  loop_iteration: 0,
  ...fields,
});

const breakdowns = (evaluations: EvaluationRecord[], titles: Record<string, string>, options = {}) =>
  statsBreakdowns(
    { evaluations, roles: [], tradeoffs: [], titles: new Map(Object.entries(titles)) },
    { minEvals: 3, byModel: true, byTaskType: true, ...options },
  );

describe("wg agency stats' breakdowns", () => {
  // upstream: src/commands/agency_stats.rs test_trend_insufficient_data, test_trend_up, test_trend_down, test_trend_flat
  it("says a series' trend as upstream's does", () => {
    expect(trend([])).toBe('-');
    expect(trend([0.5])).toBe('-');
    expect(trend([0.3, 0.4, 0.7, 0.8])).toBe('up');
    expect(trend([0.8, 0.7, 0.3, 0.2])).toBe('down');
    expect(trend([0.5, 0.5, 0.5, 0.5])).toBe('flat');
  });

  // upstream: src/commands/agency_stats.rs test_classify_task_type_prefixes
  it("classifies a task by its title's prefix", () => {
    expect(classifyTaskType('Research: JWT libraries')).toBe('research');
    expect(classifyTaskType('Investigate: auth bug')).toBe('research');
    expect(classifyTaskType('Implement: JWT auth')).toBe('implementation');
    expect(classifyTaskType('Add: new endpoint')).toBe('implementation');
    expect(classifyTaskType('Wire: evaluation feedback')).toBe('implementation');
    expect(classifyTaskType('Fix: crash on startup')).toBe('fix');
    expect(classifyTaskType('Hotfix: null pointer')).toBe('fix');
    expect(classifyTaskType('Design: API schema')).toBe('design');
    expect(classifyTaskType('Test: auth middleware')).toBe('test');
    expect(classifyTaskType('Docs: update README')).toBe('docs');
    expect(classifyTaskType('Refactor: extract helper')).toBe('refactor');
  });

  // upstream: src/commands/agency_stats.rs test_classify_task_type_system_tasks, test_classify_task_type_no_prefix
  it('leaves system tasks out and calls the rest other', () => {
    for (const title of [
      'Evaluate: task-123',
      'FLIP: task-123',
      '.evaluate-task-123',
      '.flip-task-123',
      '.place-task-123',
      '.assign-task-123',
      '.compact-0',
      '.quality-pass-20260402',
    ]) {
      expect(classifyTaskType(title)).toBeNull();
    }
    expect(classifyTaskType('Some random task')).toBe('other');
    expect(classifyTaskType('add-jwt-auth')).toBe('other');
  });

  // upstream: src/commands/agency_stats.rs test_build_synergy_matrix
  it('averages the scores of each role and tradeoff pair, rated as upstream rates them', () => {
    const result = breakdowns(
      [
        evaluation({ task_id: 't1', score: 0.8, role_id: 'r1', tradeoff_id: 'm1' }),
        evaluation({ task_id: 't2', score: 0.6, role_id: 'r1', tradeoff_id: 'm1', timestamp: '2025-01-02T00:00:00Z' }),
      ],
      {},
    );
    expect(result.synergy_matrix).toHaveLength(1);
    const [cell] = result.synergy_matrix ?? [];
    expect([cell?.role_id, cell?.tradeoff_id, cell?.count, cell?.rating]).toEqual(['r1', 'm1', 2, 'medium']);
    expect(cell?.avg_score).toBeCloseTo(0.7, 12);
    // At or above 0.8 is high, at or below 0.4 low; the best pair first.
    const rated = breakdowns(
      [
        evaluation({ task_id: 't1', score: 0.4, role_id: 'r1', tradeoff_id: 'm1' }),
        evaluation({ task_id: 't2', score: 0.8, role_id: 'r2', tradeoff_id: 'm1' }),
      ],
      {},
    );
    expect(rated.synergy_matrix?.map((c) => [c.role_id, c.rating])).toEqual([
      ['r2', 'high'],
      ['r1', 'low'],
    ]);
  });

  // upstream: src/commands/agency_stats.rs test_build_tag_breakdown
  it("averages each role's and tradeoff's scores by the tags of the tasks evaluated", () => {
    const result = statsBreakdowns(
      {
        evaluations: [
          evaluation({ task_id: 't1', score: 0.9, role_id: 'r1', tradeoff_id: 'm1' }),
          evaluation({ task_id: 'untagged', score: 0.1, role_id: 'r1', tradeoff_id: 'm1' }),
        ],
        roles: [],
        tradeoffs: [],
        titles: new Map(),
        tags: new Map([['t1', ['cli']]]),
      },
      { minEvals: 3, byModel: false, byTaskType: false },
    );
    expect(result.tag_breakdown?.by_role).toEqual([{ role_id: 'r1', tag: 'cli', avg_score: 0.9, count: 1 }]);
    expect(result.tag_breakdown?.by_tradeoff).toEqual([{ tradeoff_id: 'm1', tag: 'cli', avg_score: 0.9, count: 1 }]);
  });

  // upstream: src/commands/agency_stats.rs test_find_underexplored
  it('lists a role and tradeoff pair evaluated fewer than --min-evals times', () => {
    const result = statsBreakdowns(
      { evaluations: [], roles: [{ id: 'r1' }], tradeoffs: [{ id: 'm1' }], titles: new Map() },
      { minEvals: 3, byModel: false, byTaskType: false },
    );
    expect(result.underexplored).toEqual([{ role_id: 'r1', tradeoff_id: 'm1', eval_count: 0 }]);
    expect(result.model_leaderboard).toBeUndefined();
    expect(result.task_type_breakdown).toBeUndefined();
    const explored = statsBreakdowns(
      {
        evaluations: [1, 2].map(() => evaluation({ task_id: 't', score: 0.5, role_id: 'r1', tradeoff_id: 'm1' })),
        roles: [{ id: 'r1' }],
        tradeoffs: [{ id: 'm1' }],
        titles: new Map(),
      },
      { minEvals: 2, byModel: false, byTaskType: false },
    );
    expect(explored.underexplored).toEqual([]);
  });

  // upstream: src/commands/agency_stats.rs test_build_task_type_role_breakdown
  it('breaks scores down by task type and role, best first', () => {
    const result = breakdowns(
      [
        evaluation({ task_id: 't1', score: 0.9, role_id: 'r1', tradeoff_id: 'm1', model: 'opus' }),
        evaluation({ task_id: 't2', score: 0.7, role_id: 'r2', tradeoff_id: 'm1', model: 'sonnet', timestamp: '2025-01-02T00:00:00Z' }),
      ],
      { t1: 'Fix: one', t2: 'Fix: two' },
    );
    const cells = result.task_type_breakdown?.by_role ?? [];
    expect(cells.map((c) => [c.task_type, c.role_id, c.avg_score])).toEqual([
      ['fix', 'r1', 0.9],
      ['fix', 'r2', 0.7],
    ]);
  });

  // upstream: src/commands/agency_stats.rs test_build_task_type_model_breakdown
  it('breaks scores down by task type and model, and ranks the models', () => {
    const result = breakdowns(
      [
        evaluation({ task_id: 't1', score: 0.9, model: 'opus' }),
        evaluation({ task_id: 't2', score: 0.8, model: 'sonnet', timestamp: '2025-01-02T00:00:00Z' }),
      ],
      { t1: 'Research: one', t2: 'Research: two' },
    );
    expect(result.task_type_breakdown?.by_model.map((c) => [c.task_type, c.model, c.avg_score])).toEqual([
      ['research', 'opus', 0.9],
      ['research', 'sonnet', 0.8],
    ]);
    expect(result.model_leaderboard?.map((m) => [m.model, m.eval_count])).toEqual([
      ['opus', 1],
      ['sonnet', 1],
    ]);
    // One evaluation each is too few to recommend either.
    expect(result.task_type_breakdown?.recommendations.find((r) => r.task_type === 'research')?.best_model).toBeNull();
  });
});
