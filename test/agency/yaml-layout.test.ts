import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identityHash, roleHash } from '../../src/core/agency/hash';
import {
  ALL_STARTER_COMPONENTS,
  ALL_STARTER_OUTCOMES,
  ALL_STARTER_ROLES,
  ALL_STARTER_TRADEOFFS,
  DEFAULT_AGENT,
  STARTER_AGENTS,
} from '../../src/core/agency/starters';
import { exportAgency } from '../../src/core/agency/yaml/yaml-export';
import { importAgency } from '../../src/core/agency/yaml/yaml-import';
import { CONTENT_TAGS } from '../../src/core/agency/yaml/yaml-shapes';
import { tempStore } from '../helpers/temp-store';
import { agencyWrites } from '../../src/core/agency/agency-writes';

let from: Awaited<ReturnType<typeof tempStore>>;
let to: Awaited<ReturnType<typeof tempStore>>;
let dir: string;
beforeEach(async () => {
  from = await tempStore();
  to = await tempStore();
  dir = mkdtempSync(join(tmpdir(), 'wg-agency-'));
});
afterEach(async () => {
  await from.dispose();
  await to.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function seed(store: typeof from.store): Promise<void> {
  const agency = agencyWrites(store);
  await store.core.write(async () => {
    for (const c of ALL_STARTER_COMPONENTS) await agency.putComponent(c, 'keep');
    for (const o of ALL_STARTER_OUTCOMES) await agency.putOutcome(o, 'keep');
    for (const t of ALL_STARTER_TRADEOFFS) await agency.putTradeoff(t, 'keep');
    for (const r of ALL_STARTER_ROLES) await agency.putRole(r, 'keep');
    for (const a of STARTER_AGENTS) await agency.putIdentity({ name: a.name, role_id: a.role.id, tradeoff_id: a.tradeoff.id }, 'keep');
    await store.evaluations.insert({
      task_id: 'build',
      agent_id: DEFAULT_AGENT.id,
      role_id: DEFAULT_AGENT.role.id,
      tradeoff_id: DEFAULT_AGENT.tradeoff.id,
      score: 0.93,
      dimensions: { correctness: 0.95, completeness: 0.98 },
      notes: 'solid',
      evaluator: 'claude:haiku',
      model: 'opus',
      source: 'llm',
      timestamp: '2026-04-29T12:28:22.923Z',
    });
  });
}

const readYaml = (path: string) => parse(readFileSync(path, 'utf8'), { customTags: CONTENT_TAGS }) as Record<string, unknown>;

describe("the agency as upstream's YAML folder", () => {
  it('exports files upstream reads (its layout, names and field names) and imports them back to the same ids', async () => {
    await seed(from.store);
    const out = await exportAgency(from.store, dir);
    expect(out.counts).toEqual({ components: 21, outcomes: 6, tradeoffs: 6, roles: 6, agents: 3, evaluations: 1 });
    const agent = readYaml(join(dir, 'cache/agents', `${DEFAULT_AGENT.id}.yaml`));
    expect(Object.keys(agent)).toEqual(['id', 'role_id', 'tradeoff_id', 'name', 'performance', 'lineage', 'attractor_weight']);
    expect(agent.performance).toEqual({
      task_count: 1,
      avg_score: 0.93,
      evaluations: [{ score: 0.93, task_id: 'build', timestamp: '2026-04-29T12:28:22.923Z', context_id: DEFAULT_AGENT.role.id }],
    });
    const text = readFileSync(join(dir, 'primitives/components', `${ALL_STARTER_COMPONENTS[1]?.id}.yaml`), 'utf8');
    expect(text).toContain('category: translated\ncontent: !name testing\nperformance:');
    const evalFile = readdirSync(join(dir, 'evaluations'));
    expect(evalFile).toEqual(['eval-build-2026-04-29T12-28-22.923Z.json']);

    const back = await importAgency(to.store, dir);
    expect(back.skipped).toEqual([]);
    const named = async (s: typeof from.store) => (await s.agency.identities()).map((a) => `${a.id} ${a.name}`).sort();
    expect(await named(to.store)).toEqual(await named(from.store));
    expect((await to.store.agency.roles()).map((r) => r.id).sort()).toEqual((await from.store.agency.roles()).map((r) => r.id).sort());
    expect((await to.store.agency.tradeoffs()).map((r) => r.id).sort()).toEqual(
      (await from.store.agency.tradeoffs()).map((r) => r.id).sort(),
    );
    expect(await to.store.agency.components()).toEqual(await from.store.agency.components());
    expect((await to.store.evaluations.all()).map(({ id: _id, ...e }) => e)).toEqual(
      (await from.store.evaluations.all()).map(({ id: _id, ...e }) => e),
    );
    // Importing again doubles nothing.
    await importAgency(to.store, dir);
    expect(await to.store.evaluations.all()).toHaveLength(1);
  });

  it('keeps what upstream writes and this app does not model, reads `motivation_id`, and re-derives ids from the parts', async () => {
    const roleId = roleHash(['rust', 'testing'], 'Working code merged to main.');
    mkdirSync(join(dir, 'cache/roles'), { recursive: true });
    mkdirSync(join(dir, 'cache/agents'), { recursive: true });
    writeFileSync(
      join(dir, 'cache/roles', `${roleId}.yaml`),
      [
        `id: ${roleId}`,
        'name: Implementer',
        'description: Writes code.',
        'component_ids:',
        '- rust',
        '- testing',
        'outcome_id: Working code merged to main.',
        'performance:',
        '  task_count: 0',
        '  avg_score: null',
        'lineage:',
        '  parent_ids:',
        '  - abc',
        '  generation: 2',
        '  created_by: evolver',
        '  created_at: 2026-04-01T10:00:00Z',
        'default_exec_mode: light',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'cache/agents', 'old-name.yaml'),
      [
        'id: stale-id',
        `role_id: ${roleId}`,
        'motivation_id: feed',
        'name: Rusty',
        'performance:',
        '  task_count: 0',
        '  avg_score: null',
        'trust_level: verified',
        'contact: rusty@example.com',
        'executor: codex',
        'attractor_weight: 0.8',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'cache/agents', 'broken.yaml'), 'id: x\nname: [unclosed\n');
    writeFileSync(join(dir, 'cache/agents', 'numeric.yaml'), 'id: 1234\n');
    const result = await importAgency(to.store, dir);
    expect(result.counts).toMatchObject({ roles: 1, agents: 1 });
    // Where in the file, in words: not the YAML library's sentence.
    expect(result.skipped).toEqual([
      expect.stringMatching(/^cache\/agents\/broken\.yaml: not YAML \(line \d+, column \d+\); check its indentation, brackets and quotes$/),
      "cache/agents/numeric.yaml: id must be text (got '1234')",
    ]);
    const [agent] = await to.store.agency.identities();
    expect(agent).toMatchObject({ id: identityHash(roleId, 'feed'), name: 'Rusty', executor: 'codex', tradeoff_id: 'feed' });

    const again = join(dir, 'again');
    await exportAgency(to.store, again);
    const role = readYaml(join(again, 'cache/roles', `${roleId}.yaml`));
    expect(role).toMatchObject({ default_exec_mode: 'light', lineage: { parent_ids: ['abc'], generation: 2, created_by: 'evolver' } });
    const written = readYaml(join(again, 'cache/agents', `${agent?.id}.yaml`));
    expect(written).toMatchObject({
      tradeoff_id: 'feed',
      trust_level: 'verified',
      contact: 'rusty@example.com',
      executor: 'codex',
      attractor_weight: 0.8,
    });
    expect(written).not.toHaveProperty('motivation_id');
  });

  it("writes an imported evaluation back as upstream's file it came from: its own id and name, and its loop_iteration (test_evaluation_loop_iteration_round_trips)", async () => {
    mkdirSync(join(dir, 'evaluations'), { recursive: true });
    const upstream = {
      id: 'eval-build-iteration-3',
      task_id: 'build',
      role_id: 'r1',
      tradeoff_id: 't1',
      score: 0.7,
      notes: 'third pass',
      evaluator: 'claude:opus',
      timestamp: '2026-05-01T10:00:00Z',
      source: 'llm',
      loop_iteration: 3,
    };
    writeFileSync(join(dir, 'evaluations', 'eval-build-iteration-3.json'), JSON.stringify(upstream));
    // Upstream's `wg evaluate` names its file by task and time, whatever the id inside.
    const named = { ...upstream, id: 'e-42', timestamp: '2026-05-02T10:00:00Z', loop_iteration: 4 };
    writeFileSync(join(dir, 'evaluations', 'eval-build-2026-05-02T10-00-00Z.json'), JSON.stringify(named));
    expect((await importAgency(to.store, dir)).counts).toMatchObject({ evaluations: 2 });
    // Exported into the same folder, as beside upstream: the same files rewritten, not second ones counted twice.
    await exportAgency(to.store, dir);
    const files = ['eval-build-2026-05-02T10-00-00Z.json', 'eval-build-iteration-3.json'];
    expect(readdirSync(join(dir, 'evaluations')).sort()).toEqual(files);
    expect(JSON.parse(readFileSync(join(dir, 'evaluations', files[1] as string), 'utf8'))).toMatchObject(upstream);
    expect(JSON.parse(readFileSync(join(dir, 'evaluations', files[0] as string), 'utf8'))).toMatchObject(named);
    // This app's own evaluation outside a loop: named by task and time, with no loop_iteration (upstream's skip of 0).
    await seed(to.store);
    await exportAgency(to.store, dir);
    const own = JSON.parse(readFileSync(join(dir, 'evaluations', 'eval-build-2026-04-29T12-28-22.923Z.json'), 'utf8')) as object;
    expect(own).not.toHaveProperty('loop_iteration');
  });

  it("adds to the performance upstream's files record and keeps what upstream changed since, naming it", async () => {
    await seed(from.store);
    await exportAgency(from.store, dir);
    const agentFile = join(dir, 'cache/agents', `${DEFAULT_AGENT.id}.yaml`);
    // As upstream's `wg agency pull --no-evaluations` leaves it: a performance entry with no evaluation file.
    const entry = `  - score: 0.4\n    task_id: elsewhere\n    timestamp: 2026-04-01T00:00:00Z\n    context_id: ${DEFAULT_AGENT.role.id}\n`;
    const pulled = readFileSync(agentFile, 'utf8')
      .replace(/^ {2}task_count: 1$/m, '  task_count: 2')
      .replace(/^ {2}evaluations:\n/m, `  evaluations:\n${entry}`);
    writeFileSync(agentFile, pulled);
    const perf = () =>
      (readYaml(agentFile) as { performance: { task_count: number; evaluations: Array<{ task_id: string }> } }).performance;
    expect(perf().task_count).toBe(2);
    await importAgency(to.store, dir);
    expect((await exportAgency(to.store, dir)).skipped).toEqual([]);
    expect(perf().task_count).toBe(2);
    expect(
      perf()
        .evaluations.map((e) => e.task_id)
        .sort(),
    ).toEqual(['build', 'elsewhere']);

    // Upstream renames the agent after that: the next export keeps upstream's file and says so.
    writeFileSync(agentFile, readFileSync(agentFile, 'utf8').replace(/^name: .*$/m, 'name: Renamed upstream'));
    const result = await exportAgency(to.store, dir);
    expect(result.skipped).toEqual([
      `cache/agents/${DEFAULT_AGENT.id}.yaml: changed since this app last read or wrote it, so not overwritten ('wg agency import' takes it in)`,
    ]);
    expect(readYaml(agentFile).name).toBe('Renamed upstream');
    // Taken in, it is this app's again: written back as it now is.
    await importAgency(to.store, dir);
    expect((await exportAgency(to.store, dir)).skipped).toEqual([]);
    expect(readYaml(agentFile).name).toBe('Renamed upstream');

    // A file this app never read or wrote is upstream's too.
    const fresh = join(dir, 'fresh');
    mkdirSync(join(fresh, 'cache/agents'), { recursive: true });
    writeFileSync(join(fresh, 'cache/agents', `${DEFAULT_AGENT.id}.yaml`), 'id: upstream-only\n');
    expect((await exportAgency(to.store, fresh)).skipped).toEqual([
      `cache/agents/${DEFAULT_AGENT.id}.yaml: not read or written by this app before, so not overwritten ('wg agency import' takes it in)`,
    ]);
  });

  it('says plainly when the folder holds nothing to import', async () => {
    await expect(() => importAgency(to.store, join(dir, 'missing'))).rejects.toThrow(`no agency folder at ${join(dir, 'missing')}`);
    await expect(() => importAgency(to.store, dir)).rejects.toThrow(/holds no agency files/);
  });
});
