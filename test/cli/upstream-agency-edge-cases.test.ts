import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { descriptionHash, identityHash, roleHash } from '../../src/core/agency/hash';
import type { AgencyTransfer, EvaluationRecord, IdentityView, RoleView, TradeoffView } from '../../src/shared/agency';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * The agency at its edges against upstream's own cases (graphwork/workgraph tests/integration_agency_edge_cases.rs),
 * each named in its `it`. Upstream's cases call its agency library on a folder of YAML files; the agency lives in
 * the store here, and upstream's folder is what `wg agency import` reads and `wg agency export` writes, so a file
 * upstream's test writes or deletes by hand is a file of an imported folder, and its library calls are `wg role`,
 * `wg tradeoff`, `wg agent`, `wg assign` and `wg evaluate record`. Content hashes are `wg role add` and
 * `wg tradeoff add` ids (two of the same content are refused, naming the one there), else src/core/agency/hash.ts,
 * which computes them.
 *
 * not ported:
 * - test_short_hash, test_short_hash_short_input: Rust's short_hash helper; ids are shown here by their first 8
 *   characters and looked up by any prefix.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-agency-edge-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const addRole = (name: string, outcome: string, skills: string[] = [], description = 'desc') =>
  p.json<RoleView>(['role', 'add', name, '-d', description, '--outcome', outcome, ...skills.flatMap((s) => ['--skill', s])]);
const addTradeoff = (name: string, description: string, accept: string[] = [], reject: string[] = []) =>
  p.json<TradeoffView>([
    'tradeoff',
    'add',
    name,
    '-d',
    description,
    ...accept.flatMap((a) => ['--accept', a]),
    ...reject.flatMap((r) => ['--reject', r]),
  ]);

/** An upstream agency folder with these files (paths under it, as upstream lays it out), for `wg agency import`. */
function agencyFolder(files: Record<string, string>): string {
  const dir = join(p.root, `upstream-agency-${Math.random().toString(36).slice(2)}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const importFolder = (dir: string) => p.json<AgencyTransfer>(['agency', 'import', dir]);

/** An upstream agent file pairing these ids (what upstream's save_agent writes). */
const agentYaml = (name: string, roleId: string, tradeoffId: string) =>
  `id: ${identityHash(roleId, tradeoffId)}\nrole_id: ${roleId}\ntradeoff_id: ${tradeoffId}\nname: ${name}\n` +
  'performance:\n  task_count: 0\n  avg_score: null\n  evaluations: []\nexecutor: claude\n';

/** An upstream evaluation file (what upstream's record_evaluation writes). */
const evaluationJson = (fields: Record<string, unknown>) =>
  JSON.stringify({ dimensions: {}, notes: '', evaluator: 'test', timestamp: '2025-01-01T00:00:00Z', source: 'llm', ...fields });

describe('references to what is not there (upstream integration_agency_edge_cases.rs)', () => {
  it('test_create_agent_with_nonexistent_role_and_motivation: an agent naming a role and tradeoff not there is kept', async () => {
    const fakeRole = 'aaaa'.repeat(16);
    const fakeTradeoff = 'bbbb'.repeat(16);
    const dir = agencyFolder({ 'cache/agents/orphan.yaml': agentYaml('orphan-agent', fakeRole, fakeTradeoff) });
    expect((await importFolder(dir)).counts.agents).toBe(1);
    const agent = await p.json<IdentityView>(['agent', 'show', identityHash(fakeRole, fakeTradeoff)]);
    expect(agent).toMatchObject({ name: 'orphan-agent', role_id: fakeRole, tradeoff_id: fakeTradeoff });
  });

  it('test_record_evaluation_nonexistent_agent: an evaluation of an agent not there still scores its role and tradeoff', async () => {
    const role = await addRole('R', 'outcome');
    const tradeoff = await addTradeoff('M', 'desc');
    const dir = agencyFolder({
      'evaluations/eval-ghost-1.json': evaluationJson({
        id: 'eval-ghost-1',
        task_id: 'ghost-task',
        agent_id: 'nonexistent_agent_id_1234567890abcdef',
        role_id: role.id,
        tradeoff_id: tradeoff.id,
        score: 0.75,
        notes: "Agent doesn't exist",
      }),
    });
    expect((await importFolder(dir)).counts.evaluations).toBe(1);
    expect((await p.json<RoleView>(['role', 'show', role.id])).performance.tasks).toBe(1);
    expect((await p.json<TradeoffView>(['tradeoff', 'show', tradeoff.id])).performance.tasks).toBe(1);
    expect(await p.json<IdentityView[]>(['agent', 'list'])).toEqual([]);
  });

  it('test_record_evaluation_empty_agent_id: an evaluation with no agent makes none', async () => {
    const role = await addRole('R', 'outcome');
    const tradeoff = await addTradeoff('M', 'desc');
    const dir = agencyFolder({
      'evaluations/eval-no-agent-1.json': evaluationJson({
        id: 'eval-no-agent-1',
        task_id: 'task-1',
        agent_id: '',
        role_id: role.id,
        tradeoff_id: tradeoff.id,
        score: 0.8,
      }),
    });
    expect((await importFolder(dir)).counts.evaluations).toBe(1);
    const [evaluation] = await p.json<EvaluationRecord[]>(['evaluate', 'show']);
    expect(evaluation).toMatchObject({ task_id: 'task-1', agent_id: null, score: 0.8 });
    expect(await p.json<IdentityView[]>(['agent', 'list'])).toEqual([]);
  });

  it('test_record_evaluation_nonexistent_role_and_motivation: the evaluation is kept with its score', async () => {
    const dir = agencyFolder({
      'evaluations/eval-orphan-1.json': evaluationJson({
        id: 'eval-orphan-1',
        task_id: 'orphan-task',
        agent_id: '',
        role_id: 'nonexistent_role_id',
        tradeoff_id: 'nonexistent_motivation_id',
        score: 0.5,
      }),
    });
    expect((await importFolder(dir)).counts.evaluations).toBe(1);
    const [evaluation] = (await p.json<{ evaluations: EvaluationRecord[] }>(['evaluate', 'show', 'orphan-task'])).evaluations;
    expect(evaluation).toMatchObject({ role_id: 'nonexistent_role_id', tradeoff_id: 'nonexistent_motivation_id', score: 0.5 });
  });

  /** An agent whose role or tradeoff file is gone from upstream's folder, given task t1, then t1 scored. */
  async function scoreAgentMissing(missing: 'role' | 'tradeoff') {
    const role = await addRole('Doomed Role', 'Outcome', [], 'Will be deleted');
    const tradeoff = await addTradeoff('Doomed Mot', 'Will be deleted');
    const other = missing === 'role' ? { role: 'aaaa'.repeat(16), tradeoff: tradeoff.id } : { role: role.id, tradeoff: 'bbbb'.repeat(16) };
    await importFolder(agencyFolder({ 'cache/agents/doomed.yaml': agentYaml('agent-with-doomed', other.role, other.tradeoff) }));
    const agentId = identityHash(other.role, other.tradeoff);
    await p.ok(['add', 'Task one', '--id', 't1']);
    await p.ok(['assign', 't1', agentId]);
    await p.ok(['evaluate', 'record', 't1', '--score', '0.85']);
    return { role, tradeoff, agentId, other };
  }

  it('test_delete_role_referenced_by_agent: the agent loads with its dangling role, and scoring it still works', async () => {
    const { tradeoff, agentId, other } = await scoreAgentMissing('role');
    expect(await p.json<IdentityView>(['agent', 'show', agentId])).toMatchObject({ role_id: other.role, role_name: null });
    expect((await p.wg(['role', 'show', other.role])).exitCode).not.toBe(0);
    expect((await p.json<IdentityView>(['agent', 'show', agentId])).performance.tasks).toBe(1);
    expect((await p.json<TradeoffView>(['tradeoff', 'show', tradeoff.id])).performance.tasks).toBe(1);
  });

  it('test_delete_motivation_referenced_by_agent: the agent loads with its dangling tradeoff, and scoring it still works', async () => {
    const { role, agentId, other } = await scoreAgentMissing('tradeoff');
    expect(await p.json<IdentityView>(['agent', 'show', agentId])).toMatchObject({ tradeoff_id: other.tradeoff, tradeoff_name: null });
    expect((await p.wg(['tradeoff', 'show', other.tradeoff])).exitCode).not.toBe(0);
    expect((await p.json<IdentityView>(['agent', 'show', agentId])).performance.tasks).toBe(1);
    expect((await p.json<RoleView>(['role', 'show', role.id])).performance.tasks).toBe(1);
  });
});

describe('scores at their extremes (upstream integration_agency_edge_cases.rs)', () => {
  let agentId: string;
  let roleId: string;
  beforeEach(async () => {
    const role = await addRole('R', 'outcome');
    const tradeoff = await addTradeoff('M', 'desc');
    roleId = role.id;
    agentId = (await p.json<IdentityView>(['agent', 'create', 'scored', '--role', role.id, '--tradeoff', tradeoff.id])).id;
  });

  /** Task ID given the agent and scored. */
  async function score(id: string, value: string) {
    await p.ok(['add', `Task ${id}`, '--id', id]);
    await p.ok(['assign', id, agentId]);
    await p.ok(['evaluate', 'record', id, '--score', value]);
  }

  it('test_recalculate_avg_score_empty: no evaluations, no average', async () => {
    expect((await p.json<RoleView>(['role', 'show', roleId])).performance).toMatchObject({ tasks: 0, avg_score: null });
  });

  it('test_performance_score_zero', async () => {
    await score('t1', '0');
    expect((await p.json<IdentityView>(['agent', 'show', agentId])).performance).toMatchObject({ tasks: 1, avg_score: 0 });
  });

  it('test_performance_score_one', async () => {
    await score('t1', '1');
    expect((await p.json<IdentityView>(['agent', 'show', agentId])).performance).toMatchObject({ tasks: 1, avg_score: 1 });
  });

  it('test_performance_mixed_extreme_scores: (0.0 + 1.0) / 2', async () => {
    await score('t1', '0');
    await score('t2', '1');
    expect((await p.json<IdentityView>(['agent', 'show', agentId])).performance).toMatchObject({ tasks: 2, avg_score: 0.5 });
  });

  it("test_performance_score_negative: an imported -0.5 is kept as it is and averaged; `wg evaluate record` refuses it, as upstream's does", async () => {
    const refused = await p.wg(['evaluate', 'record', 'ghost', '--score', '-0.5']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    await importFolder(
      agencyFolder({
        'evaluations/neg.json': evaluationJson({ id: 'neg', task_id: 't1', agent_id: agentId, role_id: roleId, score: -0.5 }),
      }),
    );
    expect((await p.json<RoleView>(['role', 'show', roleId])).performance).toMatchObject({ tasks: 1, avg_score: -0.5 });
  });

  it("test_extreme_scores_yaml_roundtrip: 0.0 and 1.0 are written to upstream's role file as they are", async () => {
    await score('zero', '0');
    await score('one', '1');
    const out = join(p.root, 'exported');
    await p.ok(['agency', 'export', out]);
    const role = parse(readFileSync(join(out, 'cache', 'roles', `${roleId}.yaml`), 'utf8')) as {
      performance: { task_count: number; avg_score: number; evaluations: Array<{ score: number; task_id: string }> };
    };
    expect(role.performance.task_count).toBe(2);
    expect(role.performance.avg_score).toBeCloseTo(0.5, 10);
    expect(role.performance.evaluations.map((e) => [e.task_id, e.score])).toEqual([
      ['zero', 0],
      ['one', 1],
    ]);
  });
});

describe('content hashes (upstream integration_agency_edge_cases.rs)', () => {
  /** `wg role add` or `wg tradeoff add` of content already there: refused, naming the id it has. */
  async function refusedAsSame(args: string[], id: string) {
    const result = await p.wg(args);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(id.slice(0, 8));
  }

  it('test_content_hash_role_different_descriptions / test_content_hash_role_different_outcomes', async () => {
    expect((await addRole('A', 'outcome-a')).id).not.toBe((await addRole('B', 'outcome-b')).id);
    expect((await addRole('C', 'outcome A')).id).not.toBe((await addRole('D', 'outcome B')).id);
  });

  it('test_content_hash_role_different_skills', async () => {
    expect((await addRole('A', 'outcome', ['rust'])).id).not.toBe((await addRole('B', 'outcome', ['python'])).id);
  });

  it('test_content_hash_role_component_order_irrelevant', async () => {
    const ab = await addRole('AB', 'outcome', ['a', 'b']);
    await refusedAsSame(['role', 'add', 'BA', '-d', 'desc', '--outcome', 'outcome', '--skill', 'b', '--skill', 'a'], ab.id);
    expect((await addRole('AC', 'outcome', ['a', 'c'])).id).not.toBe(ab.id);
  });

  it('test_content_hash_motivation_different_descriptions', async () => {
    expect((await addTradeoff('A', 'Description A')).id).not.toBe((await addTradeoff('B', 'Description B')).id);
  });

  it('test_content_hash_motivation_ignores_tradeoff_extensions / test_content_hash_motivation_swapped_tradeoff_categories_ignored', async () => {
    const speed = await addTradeoff('Speed', 'desc', ['speed']);
    expect(speed.id).toBe(descriptionHash('desc'));
    await refusedAsSame(['tradeoff', 'add', 'Quality', '-d', 'desc', '--accept', 'quality'], speed.id);
    await refusedAsSame(['tradeoff', 'add', 'Swapped', '-d', 'desc', '--accept', 'Y', '--reject', 'X'], speed.id);
  });

  it('test_content_hash_agent_different_pairings / test_content_hash_agent_swapped_ids', async () => {
    const roleA = await addRole('Role A', 'outcome-a');
    const roleB = await addRole('Role B', 'outcome-b');
    const motA = await addTradeoff('Mot A', 'mot a');
    const motB = await addTradeoff('Mot B', 'mot b');
    const create = async (name: string, role: string, tradeoff: string) =>
      (await p.json<IdentityView>(['agent', 'create', name, '--role', role, '--tradeoff', tradeoff])).id;
    const ids = [await create('aa', roleA.id, motA.id), await create('ab', roleA.id, motB.id), await create('ba', roleB.id, motA.id)];
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toBe(identityHash(roleA.id, motA.id));
    expect(identityHash('aaa', 'bbb')).not.toBe(identityHash('bbb', 'aaa'));
  });

  it('test_content_hash_determinism / test_content_hash_role_name_independent / test_content_hash_motivation_name_independent', async () => {
    const role = await addRole('Name A', 'out', ['x']);
    expect(role.id).toMatch(/^[0-9a-f]{64}$/);
    await refusedAsSame(['role', 'add', 'Name B', '-d', 'desc', '--outcome', 'out', '--skill', 'x'], role.id);
    const tradeoff = await addTradeoff('Name A', 'desc');
    await refusedAsSame(['tradeoff', 'add', 'Name B', '-d', 'desc'], tradeoff.id);
  });

  it('test_content_hash_empty_fields: 64 hex characters, all three different', () => {
    const hashes = [roleHash([], ''), descriptionHash(''), identityHash('', '')];
    for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(hashes).size).toBe(3);
  });

  it('test_content_hash_unicode / test_content_hash_yaml_special_chars', async () => {
    const accented = await addRole('A', 'Descripción con acentos');
    expect(accented.id).toMatch(/^[0-9a-f]{64}$/);
    expect(accented.id).not.toBe((await addRole('B', 'Description con acentos')).id);
    const colon = await addRole('C', 'outcome: with colon');
    expect(colon.id).toMatch(/^[0-9a-f]{64}$/);
    expect(colon.id).not.toBe((await addRole('D', 'outcome with colon')).id);
  });
});

describe('looking up by prefix (upstream integration_agency_edge_cases.rs)', () => {
  it('test_prefix_lookup_zero_matches: a prefix nothing has is refused, for a role, a tradeoff and an agent', async () => {
    const role = await addRole('R', 'outcome');
    const tradeoff = await addTradeoff('M', 'desc');
    await p.ok(['agent', 'create', 'a', '--role', role.id, '--tradeoff', tradeoff.id]);
    for (const kind of ['role', 'tradeoff', 'agent']) {
      const result = await p.wg([kind, 'show', 'zzzzzzz']);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr.trim()).toBe(`wg: ${kind} 'zzzzzzz' not found`);
    }
  });

  it('test_prefix_lookup_exact_one_match: the whole id and its first 4 characters', async () => {
    const role = await addRole('Only Role', 'outcome');
    expect((await p.json<RoleView>(['role', 'show', role.id])).id).toBe(role.id);
    expect((await p.json<RoleView>(['role', 'show', role.id.slice(0, 4)])).id).toBe(role.id);
  });

  it('test_prefix_lookup_ambiguous: a prefix two roles share is refused naming both; a longer one finds one', async () => {
    // Ids are hashes: of 17 roles, two share a first character.
    const byFirst = new Map<string, string>();
    let pair: [string, string] | null = null;
    for (let i = 0; i < 17 && !pair; i++) {
      const { id } = await addRole(`R${i}`, `o${i}`);
      const first = id.slice(0, 1);
      const before = byFirst.get(first);
      if (before) pair = [before, id];
      byFirst.set(first, id);
    }
    if (!pair) throw new Error('17 hex ids always share a first character');
    const result = await p.wg(['role', 'show', pair[0].slice(0, 1)]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('matches 2 roles');
    expect(result.stderr).toContain(pair[0].slice(0, 8));
    expect(result.stderr).toContain(pair[1].slice(0, 8));
    let longer = 2;
    while (pair[0].slice(0, longer) === pair[1].slice(0, longer)) longer++;
    expect((await p.json<RoleView>(['role', 'show', pair[0].slice(0, longer)])).id).toBe(pair[0]);
  });

  it('test_prefix_lookup_empty_directory: no roles, no match', async () => {
    const result = await p.wg(['role', 'show', 'anything']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toBe("wg: role 'anything' not found");
  });

  it('test_prefix_lookup_nonexistent_directory / test_load_nonexistent_file: a folder not there is refused in one line', async () => {
    const result = await p.wg(['agency', 'import', join(p.root, 'does-not-exist')]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('does-not-exist');
  });
});

describe('damaged files in an upstream agency folder (upstream integration_agency_edge_cases.rs)', () => {
  const goodRole = 'id: x\nname: Good Role\ndescription: desc\noutcome_id: outcome\nperformance:\n  task_count: 0\n  avg_score: null\n';

  /** Imports a folder of one good role and these files: what was skipped, and the roles there after. */
  async function importWith(files: Record<string, string>) {
    const result = await importFolder(agencyFolder({ 'cache/roles/good.yaml': goodRole, ...files }));
    const roles = await p.json<RoleView[]>(['role', 'list']);
    return { result, names: roles.map((r) => r.name) };
  }

  it('test_load_corrupted_role_yaml / test_load_all_roles_with_one_corrupted: skipped with a line, the good one taken', async () => {
    const { result, names } = await importWith({
      'cache/roles/corrupt.yaml': '{{{{not valid yaml!!!!',
      'cache/roles/bad.yaml': 'not valid yaml {{{{',
    });
    expect(result.counts.roles).toBe(1);
    expect(names).toEqual(['Good Role']);
    expect(result.skipped.map((s) => s.split(':')[0]).sort()).toEqual(['cache/roles/bad.yaml', 'cache/roles/corrupt.yaml']);
  });

  it('test_load_corrupted_motivation_yaml / test_load_corrupted_agent_yaml / test_load_corrupted_evaluation_json', async () => {
    const { result } = await importWith({
      'primitives/tradeoffs/corrupt.yaml': 'not: [valid: {yaml',
      'cache/agents/corrupt.yaml': ':::broken:::',
      'evaluations/corrupt.json': '{broken json}',
    });
    expect(result.counts).toMatchObject({ roles: 1, tradeoffs: 0, agents: 0, evaluations: 0 });
    expect(result.skipped.map((s) => s.split(':')[0]).sort()).toEqual([
      'cache/agents/corrupt.yaml',
      'evaluations/corrupt.json',
      'primitives/tradeoffs/corrupt.yaml',
    ]);
  });

  it('test_load_empty_yaml_file / test_load_wrong_schema_yaml / test_load_partial_role_yaml: a role file without what a role needs is skipped', async () => {
    const { result, names } = await importWith({
      'cache/roles/empty.yaml': '',
      'cache/roles/wrong-schema.yaml': 'foo: bar\nbaz: 42\n',
      'cache/roles/partial.yaml': 'id: partial\nname: Partial Role\n',
    });
    expect(names).toEqual(['Good Role']);
    expect(result.skipped.map((s) => s.split(':')[0]).sort()).toEqual([
      'cache/roles/empty.yaml',
      'cache/roles/partial.yaml',
      'cache/roles/wrong-schema.yaml',
    ]);
  });

  it('test_load_all_nonexistent_dirs: a folder with roles only reads no tradeoffs, agents or evaluations', async () => {
    const { result } = await importWith({});
    expect(result.counts).toMatchObject({ roles: 1, tradeoffs: 0, agents: 0, evaluations: 0 });
    expect(result.skipped).toEqual([]);
  });
});

describe('the agency folder (upstream integration_agency_edge_cases.rs)', () => {
  it("test_init_idempotent: a second `wg agency init` succeeds, and the exported folder has upstream's four folders", async () => {
    await p.ok(['agency', 'init']);
    await p.ok(['agency', 'init']);
    const out = join(p.root, 'exported');
    await p.ok(['agency', 'export', out]);
    for (const folder of ['cache/roles', 'primitives/tradeoffs', 'evaluations', 'cache/agents']) {
      expect(statSync(join(out, folder)).isDirectory()).toBe(true);
    }
  });
});
