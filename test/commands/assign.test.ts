import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgencyStats, EvaluationRecord, IdentityView, RoleView, TradeoffView } from '../../src/shared/agency';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg assign` against upstream's own cases (graphwork/workgraph src/commands/assign.rs `mod tests`), each named in
 * its `it`; `--auto` and the refusal of an agent beside --auto are in test/cli/agency-cli.test.ts.
 *
 * differs, not fixed:
 * - test_assign_records_assigner_evaluation, test_evaluation_recorded_against_assigner_not_actor,
 *   test_assigner_task_count_increments, test_score_propagates_through_cascade_to_components,
 *   test_multiple_assignments_cascade_accumulates: upstream records a placeholder evaluation (0.5, source
 *   `system`, task `.assign-T`) against the configured assigner agent at every `wg assign`, and carries it on to
 *   the assigner's role, tradeoff, role components and outcome. Here a person's assignment scores nobody, and
 *   role components and outcomes keep no performance; recording it would put a made-up 0.5 into `wg agency
 *   stats` (which test/cli/agency-cli.test.ts checks), so it is left for a decision.
 */

let p: InProcessProject;
let agentId: string;
beforeEach(async () => {
  p = new InProcessProject('wg-assign-');
  await p.ok(['init']);
  const role = await p.json<RoleView>(['role', 'add', 'Implementer', '-d', 'Writes code', '--skill', 'rust', '--outcome', 'Working code']);
  const tradeoff = await p.json<TradeoffView>([
    'tradeoff',
    'add',
    'Quality First',
    '-d',
    'Prioritise correctness',
    '--accept',
    'Slower delivery',
    '--reject',
    'Skipping tests',
  ]);
  agentId = (await p.json<IdentityView>(['agent', 'create', 'test-agent', '--role', role.id, '--tradeoff', tradeoff.id])).id;
});
afterEach(() => p.remove());

const show = (id: string) => p.json<Task>(['show', id]);

describe('wg assign (upstream assign.rs)', () => {
  it('test_assign_explicit_agent_hash / test_assign_by_prefix', async () => {
    await p.importTasks([
      { id: 't1', title: 'Test task' },
      { id: 't2', title: 'Test task' },
    ]);
    await p.ok(['assign', 't1', agentId]);
    expect((await show('t1')).agent).toBe(agentId);
    await p.ok(['assign', 't2', agentId.slice(0, 8)]);
    expect((await show('t2')).agent).toBe(agentId);
  });

  it('test_assign_clear', async () => {
    await p.importTasks([{ id: 't1', title: 'Test task', agent: 'some-agent-hash' }]);
    await p.ok(['assign', 't1', '--clear']);
    expect((await show('t1')).agent).toBeNull();
  });

  it('test_clear_no_agent_is_noop', async () => {
    await p.importTasks([{ id: 't1', title: 'Test task' }]);
    const before = await show('t1');
    expect(await p.ok(['assign', 't1', '--clear'])).toBe('t1: had no agent identity (no change)');
    const after = await show('t1');
    expect(after.agent).toBeNull();
    expect(after.log).toEqual(before.log);
  });

  it.each([
    ['test_assign_nonexistent_task', () => ['assign', 'nonexistent', agentId], "wg: task 'nonexistent' not found"],
    ['test_assign_nonexistent_agent', () => ['assign', 't1', 'nonexistent'], "wg: agent 'nonexistent' not found"],
    ['test_assign_no_args_fails', () => ['assign', 't1'], 'wg: give an agent, or --auto, or --clear (exactly one)'],
  ])('%s', async (_name, args, message) => {
    await p.importTasks([{ id: 't1', title: 'Test task' }]);
    const before = await show('t1');
    const result = await p.wg(args());
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toBe(message);
    expect(await show('t1')).toEqual(before);
  });

  it('test_no_evaluation_when_auto_evaluate_disabled / test_no_evaluation_when_no_assigner_configured', async () => {
    await p.importTasks([
      { id: 't1', title: 'Test task' },
      { id: 't2', title: 'Test task' },
    ]);
    await p.ok(['config', '--auto-evaluate', 'true']);
    await p.ok(['assign', 't1', agentId]);
    // `agency init` configures the assigner agent and turns auto_evaluate on.
    await p.ok(['agency', 'init']);
    await p.ok(['config', '--auto-evaluate', 'false']);
    await p.ok(['assign', 't2', agentId]);
    expect(await p.json<EvaluationRecord[]>(['evaluate', 'show'])).toEqual([]);
    const stats = await p.json<AgencyStats>(['agency', 'stats']);
    expect(stats.evaluations).toBe(0);
    expect(stats.by_agent.find((a) => a.name === 'Default Assigner')).toMatchObject({ tasks: 0, avg_score: null });
  });
});
