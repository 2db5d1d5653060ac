import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgencyStats, AgencyTransfer, IdentityView, RoleView, TradeoffView } from '../../src/shared/agency';
import type { ModelRegistry } from '../../src/shared/config-types';
import type { Task } from '../../src/shared/task';
import { TempProject } from '../helpers/wg-cli';

const p = new TempProject('wg-agency-');
beforeAll(async () => {
  await p.ok(['init']);
});
afterAll(() => p.remove());

const CAREFUL_PROGRAMMER = '02e87968';

describe('wg agency, role, tradeoff, agent, assign', () => {
  it("agency init seeds upstream's starters, turns on assignment and evaluation, and a second run changes nothing", async () => {
    const first = await p.ok(['agency', 'init']);
    expect(first).toContain('Seeded 6 roles and 6 tradeoffs.');
    expect(first).toContain('Created agent: Careful Programmer.');
    expect(first).toContain('Enabled auto_assign and auto_evaluate in config.');
    expect(await p.ok(['agency', 'init'])).toBe(`Agency already initialized (default agent ${CAREFUL_PROGRAMMER}).`);
    const roles = await p.json<RoleView[]>(['role', 'list']);
    expect(roles.filter((r) => !r.special).map((r) => r.name)).toEqual(['Programmer', 'Reviewer', 'Documenter', 'Architect']);
    expect(roles.filter((r) => r.special).map((r) => r.name)).toEqual(['Assigner', 'Evaluator']);
    const tradeoffs = await p.json<TradeoffView[]>(['tradeoff', 'list']);
    expect(tradeoffs.filter((t) => !t.special).map((t) => t.name)).toEqual(['Careful', 'Fast', 'Thorough', 'Balanced']);
    const agents = await p.json<IdentityView[]>(['agent', 'list']);
    expect(agents.map((a) => [a.id.slice(0, 8), a.name, a.special])).toEqual([
      [CAREFUL_PROGRAMMER, 'Careful Programmer', false],
      ['79ba3db9', 'Default Assigner', true],
      ['5f5f9e1a', 'Default Evaluator', true],
    ]);
    const config = readFileSync(join(p.root, '.workgraph/config.toml'), 'utf8');
    expect(config).toMatch(/\[agency\]\nauto_assign = true\nauto_evaluate = true\nassigner_agent = "79ba3db9/);
  });

  it('creates, shows, edits and removes roles, tradeoffs and agents by id prefix or name', async () => {
    const role = await p.json<RoleView>([
      'role',
      'add',
      'Tester',
      '--outcome',
      'Green tests, flaky ones named',
      '--skill',
      'testing',
      '--skill',
      'triage, bisecting',
      '-d',
      'Hunts bugs',
    ]);
    expect(role.component_ids).toEqual(['testing', 'triage, bisecting']);
    expect(await p.ok(['role', 'show', role.id.slice(0, 6)])).toContain('Desired outcome: Green tests, flaky ones named');
    const tradeoff = await p.json<TradeoffView>([
      'tradeoff',
      'add',
      'Paranoid',
      '--accept',
      'Slow, very slow',
      '--reject',
      'Flaky tests',
      '-d',
      'Trusts nothing',
    ]);
    expect(tradeoff.acceptable).toEqual(['Slow, very slow']);
    const agent = await p.json<IdentityView>([
      'agent',
      'create',
      'Paranoid Tester',
      '--role',
      'Tester',
      '--tradeoff',
      tradeoff.id.slice(0, 8),
      '--model',
      'opus',
    ]);
    expect(agent).toMatchObject({ name: 'Paranoid Tester', role_name: 'Tester', tradeoff_name: 'Paranoid', model: 'opus' });
    expect(await p.ok(['agent', 'show', 'paranoid tester'])).toContain(`Agent: Paranoid Tester (${agent.id.slice(0, 8)})`);

    const renamed = await p.json<RoleView>(['role', 'edit', 'Tester', '--name', 'QA']);
    expect(renamed.id).toBe(role.id);
    const reskilled = await p.json<RoleView>(['role', 'edit', 'QA', '--skill', 'testing']);
    expect(reskilled.id).not.toBe(role.id);
    const moved = (await p.json<IdentityView[]>(['agent', 'list'])).find((a) => a.name === 'Paranoid Tester');
    expect(moved?.role_id).toBe(reskilled.id);
    expect(moved?.id).not.toBe(agent.id);

    expect((await p.wg(['role', 'rm', 'QA'])).stderr.trim()).toMatch(
      /^wg: role 'QA' is used by Paranoid Tester \([0-9a-f]{8}\); remove those agents first$/,
    );
    await p.ok(['agent', 'rm', 'Paranoid Tester']);
    expect(await p.ok(['role', 'rm', 'QA'])).toMatch(/^Removed role 'QA'/);
    expect(await p.ok(['tradeoff', 'rm', 'Paranoid'])).toMatch(/^Removed tradeoff 'Paranoid'/);
  });

  it('assigns by hand, by rule (--auto) and clears; the identity counts in agency stats once evaluated', async () => {
    await p.ok(['add', 'Fix the login bug', '--id', 'login']);
    const byHand = await p.json<Task>(['assign', 'login', CAREFUL_PROGRAMMER]);
    expect(byHand.agent?.slice(0, 8)).toBe(CAREFUL_PROGRAMMER);
    expect(byHand.log.at(-1)?.message).toBe(`Assigned agent Careful Programmer (${CAREFUL_PROGRAMMER}) by hand`);
    const cleared = await p.json<Task>(['assign', 'login', '--clear']);
    expect(cleared.agent).toBeNull();
    const auto = await p.json<Task>(['assign', 'login', '--auto']);
    expect(auto.log.at(-1)?.message).toBe(
      `Assigned agent Careful Programmer (${CAREFUL_PROGRAMMER}): the default agent (no agent whose role fits has a score yet)`,
    );
    await p.ok(['evaluate', 'record', 'login', '--score', '0.9', '--dim', 'correctness=0.95', '--dim', 'efficiency=0.8']);
    const stats = await p.json<AgencyStats>(['agency', 'stats']);
    expect(stats).toMatchObject({ tasks: 1, evaluations: 1, avg_score: 0.9, dimensions: { correctness: 0.95, efficiency: 0.8 } });
    expect(stats.by_agent[0]).toMatchObject({ name: 'Careful Programmer', tasks: 1, avg_score: 0.9 });
    expect(stats.by_role[0]).toMatchObject({ name: 'Programmer', avg_score: 0.9 });
    expect(stats.by_tradeoff[0]).toMatchObject({ name: 'Careful', avg_score: 0.9 });
    expect(await p.ok(['agency', 'stats'])).toContain('  └ correctness: 0.95');
  });

  it("exports to the workgraph folder in upstream's layout and imports from there", async () => {
    const out = await p.json<AgencyTransfer>(['agency', 'export']);
    expect(out.path).toBe(join(p.root, '.workgraph', 'agency'));
    expect(existsSync(join(out.path, 'cache/agents'))).toBe(true);
    const back = await p.json<AgencyTransfer>(['agency', 'import']);
    expect(back.counts).toMatchObject({ roles: 6, agents: 3, evaluations: 0 });
  });

  it('routes a role to a model in both forms: model set evaluator opus, model set opus --role evaluator', async () => {
    await p.ok(['model', 'set', 'evaluator', 'opus']);
    await p.ok(['model', 'set', 'sonnet', '--role', 'assigner']);
    expect((await p.json<ModelRegistry>(['model', 'list'])).roles).toEqual({ evaluator: 'opus', assigner: 'sonnet' });
  });

  it.each([
    ['an unknown agent', ['assign', 'login', 'nobody'], /^wg: agent 'nobody' not found$/],
    [
      'an agent and --auto together',
      ['assign', 'login', CAREFUL_PROGRAMMER, '--auto'],
      /^wg: give an agent, or --auto, or --clear \(exactly one\)$/,
    ],
    ['a role without an outcome', ['role', 'add', 'Nothing'], /^wg: a role needs a desired outcome \(--outcome\)$/],
    [
      'the same role twice',
      [
        'role',
        'add',
        'Programmer 2',
        '--outcome',
        '34764379452e1434e995f0aeb7df2f1986bba40fd596b24abbf039daae19a0a3',
        '--skill',
        'ec4b9f1998702b86640614d6063d8c50eb6a573ae3973a65b15fd3f1b61de668',
        '--skill',
        '8015f245c939f4f972a3433c0dbeafb737175d66f8e7bfae154b87c293c24085',
        '--skill',
        '44bd0020aff933840a7dc7da21f3ad9f2575dcecb57bf468ff410884bfff91cb',
      ],
      /^wg: a role with identical content already exists \(b819a338\)$/,
    ],
    ['a tradeoff without a description', ['tradeoff', 'add', 'Vague'], /^wg: a tradeoff needs a description \(-d\): its id is made of it$/],
    [
      'an unknown role to route',
      ['model', 'set', 'planner', 'opus'],
      /^wg: unknown role 'planner': a role is one of default, task_agent, evaluator/,
    ],
    ['a route without a role', ['model', 'set', 'opus'], /^wg: say which role: 'wg model set evaluator opus'/],
  ])('refuses %s with one plain line', async (_what, args, message) => {
    const result = await p.wg(args as string[]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
  });
});
