import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdentityView, RoleView, TradeoffView } from '../../src/shared/agency';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg agent` (agent identities) against upstream's own cases (graphwork/workgraph src/commands/agent_crud.rs
 * `mod tests`, and the claim and done helpers of src/commands/agent.rs), each named in its `it`; the refusals in
 * one line and `wg agency init`'s agents are in test/cli/agency-cli.test.ts.
 *
 * not ported:
 * - agent.rs test_agent_once_with_exec, test_agent_once_no_tasks, test_agent_max_tasks, test_agent_handles_failure,
 *   test_agent_state_new, test_agent_state_save_and_load, test_agent_state_load_creates_new_if_missing,
 *   test_agent_state_delete, test_agent_state_record_completed, test_agent_state_record_failed,
 *   test_agent_state_persists_across_runs, test_agent_reset_state_clears_history: upstream's `wg agent run --actor`
 *   loop (--once, --max-tasks, --reset-state) and its state file `.wg/agents/<actor>.json` are not here: the
 *   coordinator or an agent daemon runs the ready tasks, and a run's record is `wg agents`.
 * - test_create_human_agent_without_role, and the rate, capacity, trust level and contact of
 *   test_create_with_operational_fields: upstream's human agents and their fields (README "Not here"); every
 *   identity here is a role and a tradeoff.
 * - test_lineage and the `wg agent performance` of test_performance_empty: `wg agent lineage` and
 *   `wg agent performance` are not here (README "Not here"); an identity's scores are `performance` in
 *   `wg agent show --json`, `wg agency stats` and `wg evaluate show`.
 */

let p: InProcessProject;
let roleId: string;
let tradeoffId: string;
beforeEach(async () => {
  p = new InProcessProject('wg-agent-');
  await p.ok(['init']);
  roleId = (await p.json<RoleView>(['role', 'add', 'Test Role', '-d', 'A test role', '--outcome', 'Good output'])).id;
  tradeoffId = (
    await p.json<TradeoffView>([
      'tradeoff',
      'add',
      'Test Tradeoff',
      '-d',
      'A test tradeoff',
      '--accept',
      'Slower delivery',
      '--reject',
      'Skipping tests',
    ])
  ).id;
});
afterEach(() => p.remove());

const agents = () => p.json<IdentityView[]>(['agent', 'list']);
const create = (name: string, ...more: string[]) =>
  p.json<IdentityView>(['agent', 'create', name, '--role', roleId, '--tradeoff', tradeoffId, ...more]);

describe('wg agent (upstream agent_crud.rs)', () => {
  it('test_create_and_list', async () => {
    await create('Test Agent');
    const all = await agents();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ name: 'Test Agent', role_id: roleId, tradeoff_id: tradeoffId });
  });

  it('test_create_with_operational_fields: capabilities and the executor', async () => {
    await create('Ops Agent', '--capabilities', 'rust', '--capabilities', 'python', '--executor', 'claude');
    expect(await agents()).toMatchObject([{ capabilities: ['rust', 'python'], executor: 'claude' }]);
  });

  it('test_create_ai_agent_requires_role_and_tradeoff', async () => {
    const result = await p.wg(['agent', 'create', 'Bad AI']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toBe('wg: --role is required');
    expect(await agents()).toEqual([]);
  });

  it('test_create_duplicate_fails: the same role and tradeoff are the same agent', async () => {
    const first = await create('Agent 1');
    const again = await p.wg(['agent', 'create', 'Agent 2', '--role', roleId, '--tradeoff', tradeoffId]);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr.trim()).toBe(`wg: an agent with identical content already exists (${first.id.slice(0, 8)})`);
    expect((await agents()).map((a) => a.name)).toEqual(['Agent 1']);
  });

  it('test_create_with_bad_role', async () => {
    const result = await p.wg(['agent', 'create', 'Bad Agent', '--role', 'nonexistent', '--tradeoff', tradeoffId]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toBe("wg: role 'nonexistent' not found");
    expect(await agents()).toEqual([]);
  });

  it('test_show_and_rm', async () => {
    const agent = await create('Show Agent');
    expect(await p.ok(['agent', 'show', agent.id])).toContain('Show Agent');
    const byPrefix = await p.json<IdentityView>(['agent', 'show', agent.id.slice(0, 8)]);
    expect(byPrefix).toMatchObject({ id: agent.id, role_id: roleId, tradeoff_id: tradeoffId });
    await p.ok(['agent', 'rm', agent.id]);
    expect(await agents()).toEqual([]);
  });

  it('test_rm_not_found', async () => {
    const result = await p.wg(['agent', 'rm', 'nonexistent']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toBe("wg: agent 'nonexistent' not found");
  });

  it("test_performance_empty: a new agent has no tasks and no score (upstream's task_count beside this app's counts)", async () => {
    const agent = await create('Perf Agent');
    expect((await p.json<IdentityView>(['agent', 'show', agent.id])).performance).toEqual({
      task_count: 0,
      tasks: 0,
      evaluations: 0,
      avg_score: null,
      dimensions: {},
    });
    expect(await p.json<unknown[]>(['evaluate', 'show'])).toEqual([]);
  });
});

describe("an agent's claim and done (upstream agent.rs helpers)", () => {
  it('test_claim_task / test_complete_task', async () => {
    await p.importTasks([{ id: 't1', title: 'Test Task', exec: 'echo hello' }]);
    await p.ok(['claim', 't1', '--actor', 'test-agent']);
    const claimed = await p.json<Task>(['show', 't1']);
    expect(claimed).toMatchObject({ status: 'in-progress', assigned: 'test-agent' });
    await p.ok(['done', 't1']);
    const done = await p.json<Task>(['show', 't1']);
    expect(done.status).toBe('done');
    expect(done.completed_at).not.toBeNull();
  });
});
