import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphCheck } from '../../src/shared/insight';
import { projectState } from '../helpers/project-state';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Upstream's cycle cases (graphwork/workgraph tests/integration_cycle_detection.rs), each named in its `it`.
 * This app never makes a cycle: `wg add --after`, `wg edit --add-after` and `wg add-dep` refuse one in one line.
 * A loop comes from an imported upstream graph. `wg check` names it (`structural_cycles`: members, header,
 * reducibility, upstream's CycleAnalysis), and the edge that closes it is kept as a back edge that does not hold its
 * task (`wg import --json`'s `loops`, "task -> dependency"), chosen as upstream's `wg ready`
 * (ready_tasks_cycle_aware) chooses it: by a depth-first walk from the loop's header, the member a task outside the
 * loop leads to (else the first by id). So only the header starts, and each member after it in turn. Upstream's
 * CycleAnalysis is read here through `wg check --json` and its ready_tasks_cycle_aware through `wg ready`; a task's
 * `cycle_config` and `loop_iteration` are kept from the import, and change nothing here.
 *
 * not ported:
 * - upstream's structural loops, which this app does not run (docs/upstream.md, "Not here": a cycle is refused and
 *   named, a repeating task is a `--schedule`/`--cron`): the next round re-opened by `wg done` or the coordinator's
 *   sweep, its counter, max_iterations, guards, delay, convergence (`--converged`, `--no-converge`), restarts after a
 *   failure, implicit loops of a `cycle_config` without a back edge, abandoned and archived members, chat loops:
 *   test_completion_all_done_triggers_iteration, test_completion_partial_no_iteration,
 *   test_completion_converged_stops_iteration, test_completion_max_iterations_respected,
 *   test_completion_max_iterations_allows_under_limit, test_completion_guard_prevents_iteration,
 *   test_completion_guard_allows_iteration, test_completion_guard_always_allows, test_completion_delay_applied,
 *   test_completion_iteration_counter_increments, test_completion_clears_assignment_and_timestamps,
 *   test_completion_adds_log_entry, test_completion_failed_member_prevents_iteration,
 *   test_completion_three_node_cycle_iteration, test_completion_multiple_independent_cycles,
 *   test_completion_iteration_less_than_guard, test_cli_done_triggers_cycle_iteration,
 *   test_cli_done_converged_stops_cycle, test_cli_done_cycle_three_nodes, test_cli_done_max_iterations_stops_cli,
 *   test_convergence_on_non_cycle_task, test_cycle_with_mixed_statuses_no_iteration,
 *   test_implicit_cycle_fires_on_done, test_implicit_cycle_respects_max_iterations,
 *   test_implicit_cycle_respects_converged, test_implicit_cycle_partial_done_no_fire, test_implicit_cycle_multiple_deps,
 *   test_implicit_cycle_non_config_task_no_fire, test_self_convergence_blocked_by_guard,
 *   test_self_convergence_works_without_guard, test_self_convergence_guard_always_treated_as_no_guard,
 *   test_unit_guard_authority_ignores_converged_tag, test_guard_stops_cycle_when_condition_not_met,
 *   test_guard_allows_cycle_when_condition_met, test_mixed_deps_setup_not_reopened,
 *   test_deep_basic_cycle_done_a_done_b_reopens, test_deep_multi_iteration_stops_at_max,
 *   test_deep_convergence_stops_cycle, test_deep_guard_authority_blocks_self_convergence, test_deep_reiteration_ordering,
 *   test_deep_three_task_cycle_unit, test_deep_no_max_iterations_no_auto_iteration, test_deep_converged_first_iteration,
 *   test_deep_converged_first_iteration_unit, test_deep_parallel_cycles_no_interference,
 *   test_reactivate_ignores_converged_tag_when_guard_is_set, test_reactivate_respects_converged_tag_when_no_guard,
 *   test_evaluate_all_cycles_reactivates_completed_cycle, test_evaluate_all_cycles_skips_incomplete_cycle,
 *   test_evaluate_all_cycles_respects_max_iterations, test_cycle_reactivates_indefinitely_with_max_iterations_zero,
 *   test_evaluate_all_cycles_three_node_cycle, test_evaluate_all_cycles_multi_iteration_sweep,
 *   test_evaluate_all_cycles_respects_convergence, test_evaluate_all_cycles_no_config_no_reactivation,
 *   test_no_converge_ignores_converged_tag_in_reactivate, test_no_converge_respects_max_iterations,
 *   test_cli_done_converged_ignored_for_no_converge_cycle, test_no_converge_without_converged_tag_iterates_normally,
 *   test_failure_restart_reactivates_cycle, test_failure_restart_disabled, test_failure_restart_max_exceeded,
 *   test_failure_restart_preserves_iteration, test_failure_restart_then_successful_iteration,
 *   test_failure_restart_logs_failure_info, test_failure_restart_coordinator_sweep, test_failure_restart_default_is_true,
 *   test_failure_restart_not_triggered_for_non_cycle_task, test_cycle_iterates_when_one_member_done_one_abandoned,
 *   test_cycle_does_not_iterate_when_all_members_abandoned, test_cycle_abandoned_member_stays_abandoned_after_reset,
 *   test_converged_non_header_member_stops_cycle, test_converged_current_iteration_completes_before_stopping,
 *   test_converged_last_member_in_iteration_no_hang, test_converged_multiple_members_same_iteration,
 *   test_converged_non_header_with_evaluate_all, test_deadlock_breaker_e2e_two_task_cycle,
 *   test_deadlock_breaker_e2e_three_task_cycle, test_archived_cycle_header_suppresses_reset,
 *   test_archived_cycle_header_suppresses_evaluate_all, test_non_archived_cycle_still_resets_normally,
 *   test_shell_checker_cycle_iteration, test_shell_checker_cycle_converged_stops,
 *   test_shell_checker_cycle_max_iterations_honored, test_shell_checker_cycle_logs_preserved,
 *   test_shell_checker_cycle_failure_restarts, test_chat_loop_task_not_reactivated_by_evaluate_cycle_iteration,
 *   test_legacy_coordinator_loop_tag_also_skipped, test_chat_loop_skipped_by_evaluate_all_cycle_iterations,
 *   test_non_chat_cycle_still_reactivates;
 * - `wg add/edit --max-iterations`, `--cycle-guard`, `--cycle-delay`, `wg edit --allow-cycle` (not here, docs/upstream.md:
 *   they make a loop, which is refused here), and the loops they make: test_cli_add_with_max_iterations,
 *   test_cli_add_with_cycle_guard, test_cli_add_with_cycle_delay, test_cli_add_cycle_guard_requires_max_iterations,
 *   test_cli_add_cycle_delay_requires_max_iterations, test_cli_add_with_always_guard,
 *   test_cli_implicit_cycle_via_max_iterations, test_max_iterations_creates_back_edge,
 *   test_max_iterations_back_edge_detected_by_scc, test_mixed_deps_cli_setup_not_reopened,
 *   test_e2e_cycle_via_max_iterations_complete_flow, test_e2e_guarded_cycle_guard_stops_loop,
 *   test_e2e_auto_back_edge_creates_structural_cycle, test_deep_first_iteration_ordering_b_waits_for_a,
 *   test_deep_reiteration_ordering_e2e, test_deep_three_task_cycle_reopen_and_ordering,
 *   test_deep_mixed_deps_setup_included_behavior, test_deep_diamond_into_cycle,
 *   test_deep_nested_structure_inner_non_cycle, test_e2e_three_task_cycle_via_edit_multi_iteration,
 *   test_deep_cli_add_back_edge_visible_in_show, test_deep_cli_cycles_detects_auto_cycle,
 *   test_deep_cli_full_workflow_dispatch_cycle, test_deep_cli_viz_back_edge_annotation,
 *   test_deep_cli_viz_no_duplicate_nodes;
 * - Rust-internal: the analysis cache and the library ready_tasks that exempts no back edge (`wg ready` is upstream's
 *   cycle-aware one, ported here): test_cycle_analysis_cache_invalidation, test_normal_ready_tasks_no_cycle_exemption.
 *
 * Its cases are ported as `wg check` names the loops; its test_cli_cycles_* are in test/commands/planning.test.ts
 * with `wg cycles` itself. Upstream's
 * `exec_mode` (`--exec-mode`, not here) is left out of the `wg add --exec` cases.
 */

interface Line {
  id: string;
  after?: string[];
  status?: string;
  [field: string]: unknown;
}

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-cycle-detection-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

/** `wg import --json` of upstream-shaped task lines: its `loops` are the back edges kept, "task -> dependency". */
async function load(lines: Line[]): Promise<{ imported: number; loops: string[] }> {
  const file = join(p.root, 'graph.jsonl.in');
  writeFileSync(file, lines.map((line) => JSON.stringify({ kind: 'task', title: `Task ${line.id}`, ...line })).join('\n'));
  return p.json(['import', file]);
}
const check = async () => JSON.parse((await p.wg(['check', '--json'])).stdout) as GraphCheck;
const readyIds = async () =>
  (await p.json<Array<{ id: string; ready: boolean }>>(['ready']))
    .filter((t) => t.ready)
    .map((t) => t.id)
    .sort();
const cycleOf = (result: GraphCheck, id: string) => result.structural_cycles.findIndex((c) => c.members.includes(id));
const CONFIG = { max_iterations: 3 };

describe('naming the loops of an imported graph (upstream: CycleAnalysis, through wg check)', () => {
  it('test_cycle_analysis_empty_graph / test_cycle_analysis_single_task_no_cycle', async () => {
    expect((await check()).structural_cycles).toEqual([]);
    await load([{ id: 'a' }]);
    const result = await check();
    expect(result.structural_cycles).toEqual([]);
    expect(result.cycles).toEqual([]);
  });

  it('test_cycle_analysis_linear_chain_no_cycles / test_cycle_analysis_dag_no_cycles', async () => {
    const chain = await load([{ id: 't1' }, { id: 't2', after: ['t1'] }, { id: 't3', after: ['t2'] }]);
    expect(chain.loops).toEqual([]);
    expect((await check()).structural_cycles).toEqual([]);
    await load([{ id: 'a' }, { id: 'b', after: ['a'] }, { id: 'c', after: ['a'] }, { id: 'd', after: ['b', 'c'] }]);
    expect((await check()).structural_cycles).toEqual([]);
  });

  it('test_cycle_analysis_simple_two_node_cycle / test_cycle_analysis_three_node_cycle', async () => {
    await load([
      { id: 'a', after: ['b'] },
      { id: 'b', after: ['a'] },
    ]);
    expect((await check()).structural_cycles.map((c) => c.members)).toEqual([['a', 'b']]);
    await load([
      { id: 'spec', after: ['review'] },
      { id: 'impl', after: ['spec'] },
      { id: 'review', after: ['impl'] },
    ]);
    const members = (await check()).structural_cycles.map((c) => c.members);
    expect(members).toHaveLength(2);
    expect(members).toContainEqual(['impl', 'review', 'spec']);
  });

  it('test_cycle_analysis_nested_cycles', async () => {
    await load([
      { id: 'a', after: ['c'] },
      { id: 'b', after: ['a', 'd'] },
      { id: 'c', after: ['b'] },
      { id: 'd', after: ['b'] },
    ]);
    const result = await check();
    expect(result.structural_cycles.length).toBeGreaterThan(0);
    for (const id of ['a', 'b', 'c', 'd']) expect(cycleOf(result, id)).not.toBe(-1);
  });

  it('test_cycle_analysis_multiple_independent_cycles', async () => {
    await load([{ id: 'a', after: ['b'] }, { id: 'b', after: ['a'] }, { id: 'c', after: ['d'] }, { id: 'd', after: ['c'] }, { id: 'e' }]);
    const result = await check();
    expect(result.structural_cycles).toHaveLength(2);
    expect(cycleOf(result, 'e')).toBe(-1);
    expect(cycleOf(result, 'a')).toBe(cycleOf(result, 'b'));
    expect(cycleOf(result, 'c')).toBe(cycleOf(result, 'd'));
    expect(cycleOf(result, 'a')).not.toBe(cycleOf(result, 'c'));
  });

  it('test_cycle_analysis_irreducible_cycle_detection', async () => {
    await load([
      { id: 'x', status: 'done' },
      { id: 'y', status: 'done' },
      { id: 'a', after: ['b', 'x'] },
      { id: 'b', after: ['a', 'y'] },
    ]);
    const result = await check();
    expect(result.structural_cycles).toHaveLength(1);
    expect(result.structural_cycles[0]?.members).toEqual(['a', 'b']);
    expect(result.structural_cycles[0]?.reducible).toBe(false);
    // An irreducible loop is a warning, as upstream's check counts it.
    expect(result.warnings).toBeGreaterThanOrEqual(2);
    expect(await p.ok(['check'])).toContain('a (2 members, IRREDUCIBLE)');
  });

  it('test_cycle_analysis_reducible_with_external_entry / test_cycle_analysis_back_edges_identified', async () => {
    const imported = await load([
      { id: 'x', status: 'done' },
      { id: 'a', after: ['c', 'x'] },
      { id: 'b', after: ['a'] },
      { id: 'c', after: ['b'] },
    ]);
    const [cycle] = (await check()).structural_cycles;
    expect(cycle).toEqual({ header: 'a', members: ['a', 'b', 'c'], reducible: true });
    // Upstream's back edge (c, a): the header's wait on c closes the loop.
    expect(imported.loops).toEqual(['a -> c']);
  });

  it('test_cycle_analysis_isolated_cycle_picks_header / test_cycle_analysis_deterministic', async () => {
    await load([
      { id: 'a', after: ['b'] },
      { id: 'b', after: ['a'] },
    ]);
    expect((await check()).structural_cycles[0]?.header).toBe('a');
    p.remove();
    p = new InProcessProject('wg-cycle-detection-');
    await p.ok(['init']);
    await load([
      { id: 'a', after: ['c'] },
      { id: 'b', after: ['a'] },
      { id: 'c', after: ['b'] },
    ]);
    const runs = [await check(), await check(), await check()].map((r) => r.structural_cycles);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    expect(runs[0]).toHaveLength(1);
  });

  it('test_cli_check_reports_cycles', async () => {
    await load([
      { id: 'a', after: ['b'] },
      { id: 'b', after: ['a'] },
    ]);
    const result = await check();
    expect(result.structural_cycles).not.toEqual([]);
    expect(result.warnings).toBeGreaterThan(0);
    // A loop is a warning, not an error: the check passes.
    expect(result.ok).toBe(true);
    expect((await p.wg(['check'])).exitCode).toBe(0);
  });

  it('test_cli_cycles_no_cycles / test_cli_cycles_shows_cycle / test_cli_cycles_json_output (as wg check names them)', async () => {
    await load([{ id: 't2', after: ['t1'] }, { id: 't1' }]);
    expect(await p.ok(['check'])).not.toContain('Structural cycles');
    expect((await check()).structural_cycles).toEqual([]);
    const imported = await load([
      { id: 'a', after: ['b'] },
      { id: 'b', after: ['a'] },
    ]);
    const text = await p.ok(['check']);
    expect(text).toContain('Structural cycles: 1 detected');
    expect(text).toContain('a (2 members, reducible)');
    // Upstream's cycle_count, cycles and back_edges: structural_cycles, and the back edges the import kept.
    expect((await check()).structural_cycles).toEqual([{ header: 'a', members: ['a', 'b'], reducible: true }]);
    expect(imported.loops).toEqual(['a -> b']);
  });

  it('test_cycle_header_removed_breaks_cycle (the loop broken by removing its closing edge)', async () => {
    await load([
      { id: 'a', after: ['b'] },
      { id: 'b', after: ['a'] },
    ]);
    expect((await check()).structural_cycles).toHaveLength(1);
    await p.ok(['rm-dep', 'a', 'b']);
    expect((await check()).structural_cycles).toEqual([]);
    expect(await readyIds()).toEqual(['a']);
  });

  it('test_backward_compat_old_loops_to_loads / test_backward_compat_old_loops_to_cli_works', async () => {
    await load([
      { id: 't1', title: 'Old task with loop', loops_to: [{ target: 't1', max_iterations: 3, guard: null, delay: null }] },
      { id: 't2', after: ['t1'] },
    ]);
    expect(await p.ok(['list'])).toContain('t1');
    expect(await p.ok(['show', 't1'])).toContain('Old task with loop');
    expect((await p.json<{ id: string }>(['show', 't2'])).id).toBe('t2');
    // The old field names no dependency: no loop.
    expect((await check()).structural_cycles).toEqual([]);
  });
});

describe('refusing to make a loop (upstream: a loop made by hand is detected)', () => {
  it('test_add_task_creates_cycle: the closing edge is refused in one line, nothing changed', async () => {
    await p.ok(['add', 'Task 1', '--id', 't1']);
    await p.ok(['add', 'Task 2', '--id', 't2', '--after', 't1']);
    const before = projectState(join(p.root, '.workgraph'));
    for (const args of [
      ['edit', 't1', '--add-after', 't2'],
      ['add-dep', 't1', 't2'],
    ]) {
      const refused = await p.wg(args);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr.trim().split('\n')).toEqual(['wg: dependency would create a cycle: t1 -> t2 -> t1']);
    }
    const self = await p.wg(['edit', 't1', '--add-after', 't1']);
    expect(self.exitCode).not.toBe(0);
    expect(self.stderr.trim()).toBe("wg: Task 't1' cannot block itself");
    expect(projectState(join(p.root, '.workgraph'))).toBe(before);
    expect((await check()).structural_cycles).toEqual([]);
  });

  it('test_deep_cli_loops_to_removed: wg add --loops-to is an unknown option', async () => {
    const refused = await p.wg(['add', 'Bad Task', '--id', 'bad', '--loops-to', 'something']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('unknown option');
    expect(await p.ok(['list'])).not.toContain('bad');
  });
});

describe('wg add --exec (upstream: shell checker tasks)', () => {
  it('test_cli_add_with_exec_flag / test_cli_add_with_exec_and_timeout', async () => {
    expect(await p.ok(['add', 'Run batch script', '--exec', 'python3 run_batch.py --quality high', '--no-place'])).toContain(
      'run-batch-script',
    );
    await p.ok(['add', 'Long render', '--exec', 'render.sh', '--timeout', '6h', '--no-place']);
    expect((await p.json<{ exec: string }>(['show', 'run-batch-script'])).exec).toBe('python3 run_batch.py --quality high');
    const render = await p.json<{ exec: string; timeout: string }>(['show', 'long-render']);
    expect([render.exec, render.timeout]).toEqual(['render.sh', '6h']);
  });
});

describe("an imported loop's readiness (upstream: ready_tasks_cycle_aware, through wg ready)", () => {
  it('test_dispatch_header_ready_when_external_deps_done', async () => {
    await load([
      { id: 'x', status: 'done' },
      { id: 'worker', after: ['validator', 'x'] },
      { id: 'validator', after: ['worker'], cycle_config: CONFIG },
    ]);
    expect(await readyIds()).toEqual(['worker']);
  });

  it('test_dispatch_header_not_ready_when_external_deps_open', async () => {
    await load([{ id: 'x' }, { id: 'a', after: ['b', 'x'], cycle_config: CONFIG }, { id: 'b', after: ['a'] }]);
    expect(await readyIds()).toEqual(['x']);
  });

  it('test_dispatch_non_header_waits_for_predecessor', async () => {
    await load([
      { id: 'a', status: 'done', after: ['b'], cycle_config: CONFIG },
      { id: 'b', after: ['a'] },
    ]);
    expect(await readyIds()).toEqual(['b']);
  });

  it('test_dispatch_non_iterator_not_ready_when_pred_open', async () => {
    await load([
      { id: 'b', status: 'done' },
      { id: 'c', after: ['b', 'a'] },
      { id: 'a', after: ['c'], cycle_config: CONFIG },
    ]);
    expect((await check()).structural_cycles[0]?.header).toBe('c');
    expect(await readyIds()).toEqual(['c']);
  });

  it('test_dispatch_no_config_header_still_ready / test_deep_first_iteration_ordering_unit_test', async () => {
    await load([
      { id: 'a', after: ['b'] },
      { id: 'b', after: ['a'] },
    ]);
    expect(await readyIds()).toEqual([(await check()).structural_cycles[0]?.header]);
    expect(await readyIds()).toEqual(['a']);
  });

  it('test_dispatch_back_edge_exemption_only_for_iterator_blocker', async () => {
    await load([{ id: 'b' }, { id: 'c', after: ['b', 'a'] }, { id: 'a', after: ['c'], cycle_config: CONFIG }]);
    expect(await readyIds()).toEqual(['b']);
  });

  it('test_dispatch_non_cycle_tasks_unaffected', async () => {
    await load([{ id: 'x', status: 'done' }, { id: 'y', after: ['x'] }, { id: 'z' }]);
    expect(await readyIds()).toEqual(['y', 'z']);
  });

  it('test_dispatch_reiteration_header_ready_after_reopen / test_deadlock_breaker_two_task_symmetric_cycle / test_deadlock_breaker_asymmetric_config_not_triggered', async () => {
    await load([
      { id: 'worker', after: ['validator'], loop_iteration: 1 },
      { id: 'validator', after: ['worker'], cycle_config: { max_iterations: 5 }, loop_iteration: 1 },
    ]);
    expect(await readyIds()).toEqual([(await check()).structural_cycles[0]?.header]);
    p.remove();
    p = new InProcessProject('wg-cycle-detection-');
    await p.ok(['init']);
    await load([
      { id: 'a', after: ['b'], cycle_config: CONFIG, loop_iteration: 1 },
      { id: 'b', after: ['a'], cycle_config: CONFIG, loop_iteration: 1 },
    ]);
    expect((await check()).structural_cycles[0]?.header).toBe('a');
    expect(await readyIds()).toEqual(['a']);
  });

  it('test_deadlock_breaker_three_task_symmetric_cycle', async () => {
    await load([
      { id: 'a', after: ['c'], cycle_config: CONFIG, loop_iteration: 1 },
      { id: 'b', after: ['a'], cycle_config: CONFIG, loop_iteration: 1 },
      { id: 'c', after: ['b'], cycle_config: CONFIG, loop_iteration: 1 },
    ]);
    expect(await readyIds()).toEqual([(await check()).structural_cycles[0]?.header]);
  });

  it('test_deadlock_breaker_does_not_fire_when_member_in_progress', async () => {
    await load([
      { id: 'a', after: ['b'], cycle_config: CONFIG, loop_iteration: 1 },
      { id: 'b', after: ['a'], status: 'in-progress', cycle_config: CONFIG, loop_iteration: 1 },
    ]);
    expect(await readyIds()).toEqual(['a']);
  });

  it('test_dispatch_cycle_header_not_exempt_from_forward_deps', async () => {
    await load([
      { id: 'x', status: 'done' },
      { id: 'design', status: 'done', after: ['verify', 'x'] },
      { id: 'integrate', after: ['design', 'verify'] },
      { id: 'verify', after: ['integrate', 'design'], cycle_config: CONFIG },
    ]);
    expect((await check()).structural_cycles[0]?.header).toBe('design');
    expect(await readyIds()).toEqual(['integrate']);
  });

  it('test_dispatch_cycle_header_ready_when_all_forward_deps_done', async () => {
    await load([
      { id: 'design', status: 'done', after: ['verify'] },
      { id: 'integrate', status: 'done', after: ['design', 'verify'] },
      { id: 'verify', after: ['integrate', 'design'], cycle_config: CONFIG },
    ]);
    expect(await readyIds()).toEqual(['verify']);
  });

  it('test_dispatch_two_task_cycle_sequential_order (its first round: the next rounds are not run here)', async () => {
    await load([
      { id: 'x', status: 'done' },
      { id: 'a', after: ['b', 'x'], cycle_config: { max_iterations: 2 } },
      { id: 'b', after: ['a'] },
    ]);
    expect((await check()).structural_cycles[0]?.header).toBe('a');
    expect(await readyIds()).toEqual(['a']);
    await p.ok(['done', 'a']);
    expect(await readyIds()).toEqual(['b']);
    await p.ok(['done', 'b']);
    expect(await readyIds()).toEqual([]);
  });

  it('test_dispatch_three_task_cycle_sequential_order (its first round) / test_completion_no_config_no_iteration', async () => {
    await load([
      { id: 'x', status: 'done' },
      { id: 'a', after: ['c', 'x'], cycle_config: { max_iterations: 2 } },
      { id: 'b', after: ['a'] },
      { id: 'c', after: ['b'] },
    ]);
    expect((await check()).structural_cycles[0]?.header).toBe('a');
    for (const [done, next] of [
      ['a', 'b'],
      ['b', 'c'],
    ] as const) {
      expect(await readyIds()).not.toContain(next);
      await p.ok(['done', done]);
      expect(await readyIds()).toEqual([next]);
    }
    await p.ok(['done', 'c']);
    // The last member's done re-opens nothing here.
    expect(await readyIds()).toEqual([]);
    const list = await p.json<Array<{ id: string; status: string }>>(['list', '--all']);
    expect(list.filter((t) => ['a', 'b', 'c'].includes(t.id)).map((t) => t.status)).toEqual(['done', 'done', 'done']);
  });

  it('test_dispatch_self_loop_ready_on_all_iterations (its first round) / test_deadlock_breaker_self_loop_iteration_1', async () => {
    const imported = await load([{ id: 'a', after: ['a'], cycle_config: CONFIG, loop_iteration: 1 }]);
    expect(imported.loops).toEqual(['a -> a']);
    expect((await check()).structural_cycles).toEqual([{ header: 'a', members: ['a'], reducible: true }]);
    expect(await readyIds()).toEqual(['a']);
  });

  it('test_completion_non_cycle_task_no_effect', async () => {
    await load([{ id: 't' }, { id: 'other', status: 'done' }]);
    await p.ok(['done', 't']);
    expect(await readyIds()).toEqual([]);
  });

  it('test_first_iteration_exemption_header_ready / test_first_iteration_exemption_implicit_cycle', async () => {
    await load([
      { id: 'x', status: 'done' },
      { id: 'a', after: ['x', 'b'] },
      { id: 'b', after: ['a'], cycle_config: CONFIG },
    ]);
    expect(await readyIds()).toEqual(['a']);
    p.remove();
    p = new InProcessProject('wg-cycle-detection-');
    await p.ok(['init']);
    // A cycle_config with no edge back is no loop: the task waits for its dependency as any other.
    await load([{ id: 'a' }, { id: 'b', after: ['a'], cycle_config: CONFIG }]);
    expect((await check()).structural_cycles).toEqual([]);
    expect(await readyIds()).toEqual(['a']);
  });

  it('test_deep_parallel_cycles_dispatch_independence', async () => {
    await load([
      { id: 'a', after: ['b'] },
      { id: 'b', after: ['a'], cycle_config: CONFIG },
      { id: 'c', after: ['d'] },
      { id: 'd', after: ['c'], cycle_config: { max_iterations: 2 } },
    ]);
    const result = await check();
    expect(result.structural_cycles).toHaveLength(2);
    expect(await readyIds()).toEqual(result.structural_cycles.map((c) => c.header).sort());
    expect(await readyIds()).toEqual(['a', 'c']);
  });

  it('test_deep_nested_structure_dependent_non_cycle', async () => {
    await load([
      { id: 'worker', after: ['validator'] },
      { id: 'validator', after: ['worker'], cycle_config: CONFIG },
      { id: 'reporter', after: ['validator'] },
    ]);
    const ready = await readyIds();
    expect(ready).not.toContain('reporter');
    expect(ready).toContain((await check()).structural_cycles[0]?.header);
  });
});

describe('wg viz of an imported loop', () => {
  const nodeLines = (text: string, id: string) => text.split('\n').filter((l) => l.replace(/^[\s│├└→]*/, '').startsWith(`${id}  (`));

  it('test_viz_cycle_back_reference_annotation / test_viz_cycle_back_edge_no_duplicate_node_rendering', async () => {
    await load([
      { id: 'a', after: ['c'] },
      { id: 'b', after: ['a'] },
      { id: 'c', after: ['b'], cycle_config: CONFIG },
    ]);
    const text = await p.ok(['viz', '--all']);
    // The edge back is named after ← (upstream draws an arc or ↺), and no task is drawn twice.
    expect(text).toContain('←');
    for (const id of ['a', 'b', 'c']) expect(nodeLines(text, id)).toHaveLength(1);
  });

  it('test_viz_fan_in_still_shows_dots', async () => {
    await load([{ id: 'a' }, { id: 'b', after: ['a'] }, { id: 'c', after: ['a'] }, { id: 'd', after: ['b', 'c'] }]);
    const text = await p.ok(['viz', '--all']);
    expect(text).not.toContain('↺');
    expect(nodeLines(text, 'd')).toHaveLength(1);
  });

  it('test_viz_implicit_cycle_annotation', async () => {
    await load([{ id: 'a' }, { id: 'b', after: ['a'], cycle_config: CONFIG }]);
    const text = await p.ok(['viz', '--all']);
    expect(nodeLines(text, 'a')).toHaveLength(1);
    expect(nodeLines(text, 'b')).toHaveLength(1);
  });

  it('test_viz_cycle_members_shown_without_all_flag', async () => {
    await load([
      { id: 'a', status: 'done', after: ['b'] },
      { id: 'b', after: ['a'], cycle_config: CONFIG },
    ]);
    const text = await p.ok(['viz']);
    expect(nodeLines(text, 'a')).toHaveLength(1);
    expect(nodeLines(text, 'b')).toHaveLength(1);
  });
});
