import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Recording evaluations and the performance they add up to, against upstream's cases (graphwork/workgraph
 * tests/evaluation_recording.rs), each named in its `it`. Upstream calls `record_evaluation` on its agency
 * folder; here `wg evaluate record` scores a task whose agent identity is the fixture's, the performance is
 * `wg agent|role|tradeoff show --json`, and upstream's files (`evaluations/eval-<task>-<time>.json`, the
 * YAML `performance` of agents, roles and tradeoffs) are what `wg agency export` writes and `wg agency
 * import` reads. An evaluation's id is upstream's `wg evaluate record`'s, `eval-<task>-<time>`.
 *
 * not ported:
 * - test_recalculate_avg_score_large_count: upstream's averaging helper over 100 refs; the average
 *   through the command is the twelve-evaluation case.
 * - test_recalculate_avg_score_with_negatives: `wg evaluate record` refuses a score outside [0, 1], as
 *   upstream's own command does; only upstream's helper takes one.
 */

interface Performance {
  tasks: number;
  evaluations: number;
  avg_score: number | null;
  dimensions: Record<string, number>;
}
interface Shown {
  id: string;
  performance: Performance;
}
interface EvaluationRef {
  score: number;
  task_id: string;
  timestamp: string;
  context_id: string;
}
interface YamlPerformance {
  task_count: number;
  avg_score: number | null;
  evaluations?: EvaluationRef[];
}
interface StoredEvaluation {
  task_id: string;
  agent_id: string | null;
  role_id: string | null;
  tradeoff_id: string | null;
  score: number;
  dimensions: Record<string, number>;
  notes: string | null;
  evaluator: string | null;
  source: string;
  timestamp: string;
}

let p: InProcessProject;
let out: string;

beforeEach(async () => {
  p = new InProcessProject('wg-eval-recording-');
  out = mkdtempSync(join(tmpdir(), 'wg-eval-export-'));
  await p.ok(['init']);
});
afterEach(() => {
  p.remove();
  rmSync(out, { recursive: true, force: true });
});

/** Upstream's TestFixture: one role, one tradeoff and the agent made of them. */
async function fixture(tradeoff = 'Test Motivation', role = 'Test Role') {
  const roles = await p.json<Shown[]>(['role', 'list']);
  const roleId =
    roles.find((r) => (r as Shown & { name: string }).name === role)?.id ??
    (
      await p.json<Shown>([
        'role',
        'add',
        role,
        '-d',
        'A role for testing evaluations.',
        '--skill',
        'rust',
        '--skill',
        'inline:Write tests',
        '--outcome',
        `Tested code (${role})`,
      ])
    ).id;
  const tradeoffId = (
    await p.json<Shown>([
      'tradeoff',
      'add',
      tradeoff,
      '-d',
      `${tradeoff}: for testing evaluations.`,
      '--accept',
      'Slower pace',
      '--reject',
      'Untested code',
    ])
  ).id;
  const agent = (
    await p.json<Shown>(['agent', 'create', `agent-${tradeoff}-${role}`.replace(/\s+/g, '-'), '--role', roleId, '--tradeoff', tradeoffId])
  ).id;
  return { roleId, tradeoffId, agent };
}

/** A task the agent worked, scored. */
async function record(taskId: string, agent: string, score: number, ...more: string[]): Promise<void> {
  await p.ok(['add', `Task ${taskId}`, '--id', taskId]);
  await p.ok(['assign', taskId, agent]);
  await p.ok(['evaluate', 'record', taskId, '--score', String(score), '--source', 'llm', ...more]);
}

/** The one evaluation `wg evaluate show --task ID --json` lists for a task scored once. */
async function onlyEvaluation(project: InProcessProject, taskId: string): Promise<StoredEvaluation> {
  const list = await project.json<StoredEvaluation[]>(['evaluate', 'show', '--task', taskId]);
  expect(list).toHaveLength(1);
  return list[0] as StoredEvaluation;
}

const performance = async (kind: 'agent' | 'role' | 'tradeoff', id: string) => (await p.json<Shown>([kind, 'show', id])).performance;
const exported = async () => {
  await p.ok(['agency', 'export', out]);
  return {
    evaluations: readdirSync(join(out, 'evaluations')).sort(),
    evaluation: (name: string) => JSON.parse(readFileSync(join(out, 'evaluations', name), 'utf8')) as Record<string, unknown>,
    yaml: (folder: string, id: string) =>
      (parse(readFileSync(join(out, folder, `${id}.yaml`), 'utf8')) as { performance: YamlPerformance }).performance,
  };
};

describe('the evaluation file', () => {
  it('test_record_evaluation_json_format / test_record_evaluation_filename_format / test_all_dimension_fields_preserved / test_dimensions_independent_of_score', async () => {
    const fix = await fixture();
    await record(
      'json-task',
      fix.agent,
      0.87,
      '--notes',
      'Testing JSON format preservation.',
      '--evaluator',
      'human-reviewer',
      ...['--dim', 'correctness=0.92', '--dim', 'completeness=0.85', '--dim', 'efficiency=0.78', '--dim', 'style_adherence=0.91'],
    );
    const stored = await onlyEvaluation(p, 'json-task');
    const files = await exported();
    const name = `eval-json-task-${stored.timestamp.replace(/:/g, '-')}.json`;
    expect(files.evaluations).toEqual([name]);
    expect(files.evaluation(name)).toEqual({
      id: name.replace(/\.json$/, ''),
      task_id: 'json-task',
      agent_id: fix.agent,
      role_id: fix.roleId,
      tradeoff_id: fix.tradeoffId,
      score: 0.87,
      dimensions: { correctness: 0.92, completeness: 0.85, efficiency: 0.78, style_adherence: 0.91 },
      notes: 'Testing JSON format preservation.',
      evaluator: 'human-reviewer',
      timestamp: stored.timestamp,
      source: 'llm',
    });
  });

  it('test_record_evaluation_empty_dimensions: none recorded, none written (upstream skips an empty map)', async () => {
    const fix = await fixture();
    await record('task-no-dims', fix.agent, 0.75);
    const stored = await onlyEvaluation(p, 'task-no-dims');
    expect(stored.dimensions).toEqual({});
    const files = await exported();
    expect(files.evaluation(files.evaluations[0] ?? '')).not.toHaveProperty('dimensions');
  });

  it('test_custom_dimension_fields_preserved / test_dimension_extreme_values', async () => {
    const fix = await fixture();
    const custom = { correctness: 0.9, creativity: 0.85, documentation_quality: 0.7, test_coverage: 0.95, performance_impact: 0.6 };
    await record('custom-task', fix.agent, 0.8, ...Object.entries(custom).flatMap(([k, v]) => ['--dim', `${k}=${v}`]));
    await record('ext-task', fix.agent, 0.5, '--dim', 'correctness=0.0', '--dim', 'completeness=1.0');
    const customEval = await onlyEvaluation(p, 'custom-task');
    const extreme = await onlyEvaluation(p, 'ext-task');
    expect(customEval.dimensions).toEqual(custom);
    expect(extreme.dimensions).toEqual({ correctness: 0, completeness: 1 });
    expect(extreme.score).toBe(0.5);
  });

  it('test_record_evaluation_round_trip / test_evaluation_loads_without_loop_iteration_field: upstream files read back the same', async () => {
    const fix = await fixture();
    await record(
      'rt-task',
      fix.agent,
      0.5,
      '--dim',
      'correctness=1.0',
      '--dim',
      'completeness=0.0',
      '--notes',
      'Test eval round-trip',
      '--evaluator',
      'test-harness',
    );
    const before = await onlyEvaluation(p, 'rt-task');
    await exported();
    // An evaluation written before upstream had loop_iteration.
    writeFileSync(
      join(out, 'evaluations', 'eval-old-task-2026-01-01T00-00-00Z.json'),
      JSON.stringify({
        id: 'legacy-eval',
        task_id: 'old-task',
        agent_id: '',
        role_id: 'r1',
        tradeoff_id: 't1',
        score: 0.7,
        dimensions: {},
        notes: 'legacy',
        evaluator: 'test',
        timestamp: '2026-01-01T00:00:00Z',
        source: 'llm',
      }),
    );

    const other = new InProcessProject('wg-eval-recording-import-');
    try {
      await other.ok(['init']);
      await other.ok(['agency', 'import', out]);
      const after = await onlyEvaluation(other, 'rt-task');
      const { id: _a, ...was } = before as StoredEvaluation & { id: number };
      const { id: _b, ...is } = after as StoredEvaluation & { id: number };
      expect(is).toEqual(was);
      expect(await other.json<StoredEvaluation[]>(['evaluate', 'show', '--task', 'old-task'])).toMatchObject([
        { task_id: 'old-task', score: 0.7, notes: 'legacy', evaluator: 'test', timestamp: '2026-01-01T00:00:00Z' },
      ]);
    } finally {
      other.remove();
    }
  });
});

describe('loop iterations', () => {
  it('test_evaluation_loop_iteration_round_trips: each scoring of a looping task records its iteration, written back by export and read by import', async () => {
    const fix = await fixture();
    // A task of upstream's loop, at its second iteration (graph.jsonl's loop_iteration), scored once per iteration.
    await p.importTasks([{ id: 'cycle-task', loop_iteration: 1 }]);
    await p.ok(['assign', 'cycle-task', fix.agent]);
    await p.ok(['evaluate', 'record', 'cycle-task', '--score', '0.04', '--source', 'llm']);
    await p.importTasks([{ id: 'cycle-task', loop_iteration: 2 }]);
    await p.ok(['evaluate', 'record', 'cycle-task', '--score', '0.65', '--source', 'llm']);
    const files = await exported();
    const written = files.evaluations.map((name) => files.evaluation(name));
    expect(written.map((e) => [e.score, e.loop_iteration])).toEqual([
      [0.04, 1],
      [0.65, 2],
    ]);

    const other = new InProcessProject('wg-eval-recording-import-');
    try {
      await other.ok(['init']);
      await other.ok(['agency', 'import', out]);
      const again = mkdtempSync(join(tmpdir(), 'wg-eval-export-'));
      await other.ok(['agency', 'export', again]);
      const rewritten = readdirSync(join(again, 'evaluations')).sort();
      expect(rewritten).toEqual(files.evaluations);
      for (const name of rewritten)
        expect(JSON.parse(readFileSync(join(again, 'evaluations', name), 'utf8'))).toEqual(files.evaluation(name));
      rmSync(again, { recursive: true, force: true });
    } finally {
      other.remove();
    }
  });
});

describe('performance adds up', () => {
  it('test_performance_zero_evaluations / test_performance_zero_evaluations_yaml_roundtrip / test_recalculate_avg_score_empty', async () => {
    const fix = await fixture();
    expect(await performance('role', fix.roleId)).toMatchObject({ tasks: 0, evaluations: 0, avg_score: null });
    expect(await performance('agent', fix.agent)).toMatchObject({ tasks: 0, evaluations: 0, avg_score: null });
    const files = await exported();
    expect(files.yaml('cache/roles', fix.roleId)).toEqual({ task_count: 0, avg_score: null });
  });

  it('test_performance_one_evaluation / test_multiple_evaluations_same_agent_avg / test_three_evaluations_incremental_avg / test_update_performance_sequential_correctness', async () => {
    const fix = await fixture();
    const expected = [
      { score: 0.6, avg: 0.6 },
      { score: 0.8, avg: 0.7 },
      { score: 1.0, avg: 0.8 },
    ];
    for (const [i, step] of expected.entries()) {
      await record(`task-${i + 1}`, fix.agent, step.score);
      const perf = await performance('agent', fix.agent);
      expect(perf.tasks).toBe(i + 1);
      expect(perf.avg_score).toBeCloseTo(step.avg, 10);
    }
    const agentYaml = (await exported()).yaml('cache/agents', fix.agent);
    expect(agentYaml.task_count).toBe(3);
    expect(agentYaml.evaluations?.map((e) => e.task_id)).toEqual(['task-1', 'task-2', 'task-3']);
  });

  it('test_twelve_evaluations_end_to_end / test_performance_ten_plus_evaluations', async () => {
    const fix = await fixture();
    const scores = Array.from({ length: 12 }, (_, i) => 0.6 + i * 0.03);
    for (const [i, score] of scores.entries()) await record(`task-12-${i}`, fix.agent, score);
    const avg = scores.reduce((a, b) => a + b, 0) / scores.length;
    for (const [kind, id] of [
      ['agent', fix.agent],
      ['role', fix.roleId],
      ['tradeoff', fix.tradeoffId],
    ] as const) {
      const perf = await performance(kind, id);
      expect(perf.tasks).toBe(12);
      expect(perf.avg_score).toBeCloseTo(avg, 10);
    }
    const files = await exported();
    expect(files.evaluations).toHaveLength(12);
    for (const [folder, id] of [
      ['cache/agents', fix.agent],
      ['cache/roles', fix.roleId],
      ['primitives/tradeoffs', fix.tradeoffId],
    ] as const) {
      const perf = files.yaml(folder, id);
      expect(perf.task_count).toBe(12);
      expect(perf.avg_score).toBeCloseTo(avg, 10);
      expect(perf.evaluations?.map((e) => e.task_id)).toEqual(scores.map((_, i) => `task-12-${i}`));
      for (const [i, e] of (perf.evaluations ?? []).entries()) expect(e.score).toBeCloseTo(scores[i] ?? -1, 10);
    }
  });

  it('test_recalculate_avg_score_single / test_recalculate_avg_score_identical_scores / test_recalculate_avg_score_zero_and_one / test_recalculate_avg_score_all_zeros / test_recalculate_avg_score_all_ones / test_recalculate_avg_score_precision', async () => {
    const cases: Array<[string, number[], number]> = [
      ['single', [0.73], 0.73],
      ['identical', [0.8, 0.8], 0.8],
      ['zero-and-one', [0, 1], 0.5],
      ['all-zeros', [0, 0, 0, 0, 0], 0],
      ['all-ones', [1, 1, 1, 1, 1], 1],
      ['precision', [0.333333333, 0.666666667], 0.5],
    ];
    for (const [name, scores, avg] of cases) {
      const fix = await fixture(`Mot ${name}`);
      for (const [i, score] of scores.entries()) await record(`${name}-${i}`, fix.agent, score);
      expect((await performance('agent', fix.agent)).avg_score).toBeCloseTo(avg, 8);
    }
  });
});

describe('who each evaluation counts for (context ids)', () => {
  it('test_context_ids_tracked_independently', async () => {
    const fix = await fixture();
    await record('context-task', fix.agent, 0.88);
    const files = await exported();
    expect(files.yaml('cache/agents', fix.agent).evaluations?.[0]?.context_id).toBe(fix.roleId);
    expect(files.yaml('cache/roles', fix.roleId).evaluations?.[0]?.context_id).toBe(fix.tradeoffId);
    expect(files.yaml('primitives/tradeoffs', fix.tradeoffId).evaluations?.[0]?.context_id).toBe(fix.roleId);
  });

  it('test_role_tracks_different_motivation_context_ids / test_motivation_tracks_different_role_context_ids', async () => {
    const a = await fixture('Mot A', 'Multi-mot Role');
    const b = await fixture('Mot B', 'Multi-mot Role');
    expect(b.roleId).toBe(a.roleId);
    await record('task-a', a.agent, 0.7);
    await record('task-b', b.agent, 0.9);

    const ra = await fixture('Multi-role Mot', 'Role A');
    await p.ok(['role', 'add', 'Role B', '-d', 'second', '--outcome', 'outcome b']);
    const roleB = (await p.json<Array<Shown & { name: string }>>(['role', 'list'])).find((r) => r.name === 'Role B')?.id ?? '';
    const rb = (await p.json<Shown>(['agent', 'create', 'agent-rb', '--role', roleB, '--tradeoff', ra.tradeoffId])).id;
    await record('task-ra', ra.agent, 0.65);
    await record('task-rb', rb, 0.95);

    const files = await exported();
    expect(files.yaml('cache/roles', a.roleId).evaluations?.map((e) => e.context_id)).toEqual([a.tradeoffId, b.tradeoffId]);
    expect(files.yaml('primitives/tradeoffs', ra.tradeoffId).evaluations?.map((e) => e.context_id)).toEqual([ra.roleId, roleB]);
  });
});

// Review finding: the help said "(default: human)" while a score recorded without --evaluator was "user", as the
// Evaluations page showed it. Not upstream's: what this app's help promises.
describe('the evaluator a score is recorded with', () => {
  it('is the --source when given, else who records it, as the help says', async () => {
    await p.ok(['add', 'By hand', '--id', 'by-hand']);
    await p.ok(['add', 'By outcome', '--id', 'by-outcome']);
    await p.ok(['evaluate', 'record', 'by-hand', '--score', '0.5']);
    await p.ok(['evaluate', 'record', 'by-outcome', '--score', '0.5', '--source', 'outcome:sharpe']);
    expect((await onlyEvaluation(p, 'by-hand')).evaluator).toBe('user');
    expect((await onlyEvaluation(p, 'by-outcome')).evaluator).toBe('outcome:sharpe');
    const help = (await p.ok(['evaluate', 'record', '--help'])).replace(/\s+/g, ' ');
    expect(help).toContain("who scored it (default: the --source when given, else who records it: user, or a person token's name)");
  });
});
