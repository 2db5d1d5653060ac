import { describe, expect, it } from 'vitest';
import type { AgentIdentity, Performance, Role } from '../../src/shared/agency';
import { chooseFallback, roleFits, type Candidate } from '../../src/core/agency/assignment/fallback';
import { agencyStats } from '../../src/core/agency/stats';

const role = (name: string, description: string, skills: string[]): Role => ({
  id: `r-${name}`,
  name,
  description,
  component_ids: skills,
  outcome_id: 'o',
  skills: skills.map((s) => ({ id: s, name: s, description: null })),
  outcome: 'o',
  default_exec_mode: null,
  default_context_scope: null,
  created_at: 'now',
});
const identity = (name: string, roleId: string, id = `a-${name}`): AgentIdentity => ({
  id,
  name,
  role_id: roleId,
  tradeoff_id: 't',
  executor: 'claude',
  model: null,
  provider: null,
  capabilities: [],
  created_at: 'now',
});
const perf = (avg: number | null, evaluations = avg === null ? 0 : 1): Performance => ({
  tasks: evaluations,
  evaluations,
  avg_score: avg,
  dimensions: {},
});

const programmer = role('Programmer', 'Writes, tests, and debugs code to implement features and fix bugs.', [
  'code-writing',
  'testing',
  'debugging',
]);
const documenter = role('Documenter', 'Produces clear, accurate technical documentation.', ['technical-writing']);
const architect = role('Architect', 'Designs systems, analyzes dependencies, and makes structural decisions.', ['system-design']);
const candidate = (name: string, r: Role, avg: number | null, evaluations?: number): Candidate => ({
  identity: identity(name, r.id),
  role: r,
  performance: perf(avg, evaluations),
});
const task = (title: string, description = '', tags: string[] = []) => ({ title, description, tags });

describe('the assignment fallback rule', () => {
  it('a role fits when the task mentions one of its words, in any form', () => {
    expect(roleFits(task('Fix the login bug'), programmer)).toBe(true);
    expect(roleFits(task('User guide', 'document every command'), documenter)).toBe(true);
    expect(roleFits(task('Design the database schema'), architect)).toBe(true);
    expect(roleFits(task('Design the database schema'), programmer)).toBe(false);
    expect(roleFits(task('Untitled', '', ['tested']), programmer)).toBe(true);
  });

  it('picks the best average score among agents whose role fits', () => {
    const choice = chooseFallback(
      task('Debug the parser'),
      [
        candidate('Fast Programmer', programmer, 0.6, 4),
        candidate('Careful Programmer', programmer, 0.9, 2),
        candidate('Writer', documenter, 0.99),
      ],
      null,
    );
    expect(choice?.identity.name).toBe('Careful Programmer');
    expect(choice?.why).toBe('best average score (0.90 over 2) among agents whose role fits');
  });

  it('without a scored fit it takes the default agent, then a fitting one, then any', () => {
    const careful = candidate('Careful Programmer', programmer, null);
    const writer = candidate('Writer', documenter, null);
    expect(chooseFallback(task('Document the API'), [careful, writer], careful.identity.id)?.identity.name).toBe('Careful Programmer');
    expect(chooseFallback(task('Document the API'), [careful, writer], null)?.identity.name).toBe('Writer');
    expect(chooseFallback(task('Plan the party'), [writer], null)?.why).toMatch(/no role fits/);
    expect(chooseFallback(task('Anything'), [], null)).toBeNull();
  });
});

describe('agency stats', () => {
  it('averages scores and dimensions by agent, role and tradeoff; tasks count the identity they carry', () => {
    const a = identity('A', 'r1', 'a1');
    const b = { ...identity('B', 'r1', 'b1'), tradeoff_id: 't2' };
    const evaluation = (task: string, agent: string, roleId: string, tradeoffId: string, score: number, dims: Record<string, number>) => ({
      id: 0,
      task_id: task,
      agent_id: agent,
      role_id: roleId,
      tradeoff_id: tradeoffId,
      score,
      dimensions: dims,
      notes: null,
      evaluator: null,
      model: null,
      source: 'llm',
      timestamp: 'now',
      upstream_id: null,
      upstream_file: null,
      loop_iteration: 0,
    });
    const stats = agencyStats({
      tasks: [
        { id: 'x', agent: 'a1' },
        { id: 'y', agent: 'a1' },
        { id: 'z', agent: 'b1' },
        { id: 'w', agent: null },
      ],
      evaluations: [
        evaluation('x', 'a1', 'r1', 't', 0.9, { correctness: 1 }),
        evaluation('y', 'a1', 'r1', 't', 0.5, { correctness: 0.5, efficiency: 0.2 }),
        evaluation('z', 'b1', 'r1', 't2', 0.7, {}),
      ],
      identities: [a, b],
      roles: [{ id: 'r1', name: 'Programmer' }],
      tradeoffs: [
        { id: 't', name: 'Careful' },
        { id: 't2', name: 'Fast' },
      ],
    });
    expect(stats).toMatchObject({ tasks: 3, evaluations: 3, dimensions: { correctness: 0.75, efficiency: 0.2 } });
    expect(stats.avg_score).toBeCloseTo(0.7);
    expect(stats.by_agent.map((r) => [r.name, r.tasks, r.evaluations, r.avg_score])).toEqual([
      ['A', 2, 2, 0.7],
      ['B', 1, 1, 0.7],
    ]);
    expect(stats.by_role[0]).toMatchObject({ name: 'Programmer', tasks: 3, evaluations: 3 });
    expect(stats.by_tradeoff.map((r) => [r.name, r.avg_score])).toEqual([
      ['Careful', 0.7],
      ['Fast', 0.7],
    ]);
    expect(stats.by_agent[0]?.dimensions).toEqual({ correctness: 0.75, efficiency: 0.2 });
  });
});
