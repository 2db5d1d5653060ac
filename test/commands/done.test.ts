import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store/store';
import type { Task } from '../../src/shared/task';
import { makeAgent } from '../fixtures/objects';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg done` against upstream's own cases (graphwork/workgraph src/commands/done.rs `mod tests`) no other file
 * ports, each named in its `it`; the blocker cases are in test/store/upstream-semantics.test.ts, the
 * pending-eval ones in test/cli/upstream-lifecycle.test.ts. `wg done` of a done task is refused (docs/upstream.md).
 *
 * Not ported:
 * - upstream's verify gate, which runs a task's `verify` at done (docs/upstream.md: here `verify` is criteria, and
 *   no gate command runs): test_done_verify_failing_blocks_transition, test_done_verify_failing_includes_output,
 *   test_done_verify_pipe_failure_propagates, test_done_skip_verify_bypasses_gate,
 *   test_done_skip_verify_blocked_for_agents, test_done_separate_verify_transitions_to_pending_validation,
 *   test_verify_circuit_breaker_increments_failures, test_verify_circuit_breaker_trips_after_threshold,
 *   test_verify_success_resets_failure_count, test_verify_failure_logs_stdout_and_stderr,
 *   test_verify_circuit_breaker_distinguishes_from_agent_failures, test_verify_circuit_breaker_configurable_threshold,
 *   test_smart_verify_routes_free_text_to_evaluation, test_term_dumb_environment_set_for_shell_commands,
 *   test_done_defers_verify_when_task_has_children, test_done_does_not_defer_verify_when_no_children,
 *   test_done_does_not_defer_verify_for_system_children_only, test_done_deferred_verify_preserves_timeout,
 *   test_done_integrated_validation_runs_commands (its validation_commands, the same gate);
 * - that gate's Rust helpers (scoped test commands, free-text detection): test_is_core_file,
 *   test_map_file_to_test_command, test_map_files_to_tests, test_is_free_text_verify_command_detects_descriptive_text,
 *   test_is_free_text_verify_command_allows_valid_commands, test_is_free_text_verify_command_allows_shell_constructs,
 *   test_is_free_text_verify_command_edge_cases;
 * - `wg done --converged` and cycle guards (docs/upstream.md: upstream's structural loops are not here):
 *   test_done_converged_log_message, test_done_converged_ignored_when_cycle_guard_set_on_self,
 *   test_done_converged_ignored_for_non_header_in_guarded_cycle, test_done_converged_accepted_when_guard_is_always,
 *   test_done_converged_accepted_when_no_guard, test_done_converged_ignored_when_no_converge_set_on_self,
 *   test_done_converged_ignored_for_non_header_in_no_converge_cycle, test_done_converged_also_runs_verify;
 * - the Rust internals of upstream's worktree merge (git's wording of "nothing to commit"; this app finds a merge
 *   already made by its commit subject, test/worktrees/merge-crash.process.test.ts): test_is_no_changes_to_commit_detects_all_variants,
 *   test_done_handles_already_merged_branch;
 * - upstream's git-hygiene warning to an agent at done (here the files a run leaves uncommitted are committed to its
 *   branch, worktrees/commit-left-files.ts): test_is_hygiene_ignored_path_recognises_workgraph_dirs,
 *   test_porcelain_path_extracts_path_from_status_line, test_filter_hygiene_porcelain_drops_workgraph_paths,
 *   test_filter_hygiene_porcelain_keeps_all_when_nothing_ignored, test_filter_hygiene_porcelain_returns_empty_when_only_ignored,
 *   test_check_agent_git_hygiene_skips_chat_loop_tag.
 *
 * Differs, not fixed:
 * - test_done_log_entry_without_assigned_has_none_actor: upstream's done line names the task's assignee as its
 *   actor (none when unassigned) and the person in `user`; this app's log names who made the change ("user" for a
 *   person), as every verb's does here;
 * - test_done_pushes_main_and_deletes_branch_on_clean_merge, test_done_succeeds_when_remote_unavailable,
 *   test_done_no_remote_returns_no_remote_outcome: upstream pushes main to `origin` after a worktree's merge and
 *   deletes the agent's branch there; this app's merge stays local (as upstream's does with no remote).
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-done-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const show = (id: string) => p.json<Task>(['show', id]);

describe('wg done (upstream done.rs)', () => {
  it('test_done_open_task_transitions_to_done / test_done_in_progress_task_transitions_to_done / test_done_sets_completed_at_timestamp', async () => {
    await p.importTasks([{ id: 't1' }, { id: 't2', status: 'in-progress' }]);
    const before = Date.now();
    for (const id of ['t1', 't2']) {
      await p.ok(['done', id]);
      const task = await show(id);
      expect(task.status).toBe('done');
      expect(Date.parse(task.completed_at as string)).toBeGreaterThanOrEqual(before - 1000);
    }
  });

  // upstream: `wg done`'s run (pick_done_target_status, then its line for a done left to its evaluation)
  it("a done left to its .evaluate-X says so in upstream's words; a plain done says \"Marked 'X' as done\"", async () => {
    await p.importTasks([{ id: 'judged' }, { id: '.evaluate-judged', title: 'Evaluate judged', after: ['judged'] }, { id: 'plain' }]);
    expect((await p.ok(['done', 'judged'])).trim()).toBe(
      "Marked 'judged' as pending-eval — awaiting `.evaluate-judged` to score before downstream tasks unblock",
    );
    expect((await show('judged')).status).toBe('pending-eval');
    expect((await p.ok(['done', 'plain'])).trim()).toBe("Marked 'plain' as done");
    await p.importTasks([{ id: 'judged-2' }, { id: '.evaluate-judged-2', title: 'Evaluate judged-2', after: ['judged-2'] }]);
    expect(await p.json(['done', 'judged-2'])).not.toHaveProperty('awaiting');
  });

  it('test_done_creates_log_entry / test_done_without_validation_log_still_succeeds', async () => {
    await p.importTasks([{ id: 't1' }]);
    await p.ok(['done', 't1']);
    const log = (await show('t1')).log;
    expect(log.at(-1)?.message).toBe('Task marked done');
    expect(log.some((e) => e.message.toLowerCase().includes('validat'))).toBe(false);
  });

  it("test_done_verified_task_succeeds / test_done_verify_passing_allows_transition / test_done_inline_verify_still_works / test_done_verify_pipe_syntax: a verify kept from upstream does not hold a person's done", async () => {
    const verifies = ['true', 'exit 0', 'echo hello | grep hello'];
    await p.importTasks(verifies.map((verify, i) => ({ id: `t${i}`, status: 'in-progress', verify })));
    for (const [i, verify] of verifies.entries()) {
      await p.ok(['done', `t${i}`]);
      expect(await show(`t${i}`)).toMatchObject({ status: 'done', verify });
    }
  });

  it('test_done_no_verify_field_works_as_before / test_done_none_validation_is_default', async () => {
    await p.importTasks([{ id: 't1', status: 'in-progress' }]);
    await p.ok(['done', 't1']);
    const task = await show('t1');
    expect(task.status).toBe('done');
    expect(task).not.toHaveProperty('verify');
    expect(task).not.toHaveProperty('validation');
  });

  it('test_done_with_validation_log_suppresses_tip: a validation noted in the log is kept, and the task is done', async () => {
    const entry = { timestamp: '2026-05-01T12:00:00+00:00', actor: null, message: 'Validated: all tests pass' };
    await p.importTasks([{ id: 't1', log: [entry] }]);
    const result = await p.wg(['done', 't1']);
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    const task = await show('t1');
    expect(task.status).toBe('done');
    expect(task.log.some((e) => e.message.toLowerCase().includes('validat'))).toBe(true);
  });

  it('test_done_external_validation_transitions_to_pending / test_done_external_validation_adds_log / test_done_llm_validation_transitions_to_pending: for a task tagged human-review', async () => {
    await p.importTasks([
      { id: 't1', status: 'in-progress', validation: 'external', tags: ['human-review'] },
      { id: 't2', status: 'in-progress', validation: 'llm', tags: ['human-review'] },
    ]);
    for (const [id, line] of [
      ['t1', 'Task pending external validation'],
      ['t2', 'Task pending LLM gate validation'],
    ] as const) {
      await p.ok(['done', id]);
      const task = await show(id);
      expect(task.status).toBe('pending-validation');
      expect(task.completed_at).not.toBeNull();
      expect(task.log.at(-1)?.message).toBe(line);
    }
    // What it waits for: a validator's approval (upstream's `wg approve`).
    await p.ok(['approve', 't1']);
    expect((await show('t1')).status).toBe('done');
  });

  it("test_no_routine_pending_validation_state (upstream's tests/integration_deprecate_pending_validation.rs): without human-review, done at once, as upstream's coordinator makes it at its next tick", async () => {
    await p.importTasks([
      { id: 't1', status: 'in-progress', validation: 'external' },
      { id: 't2', status: 'in-progress', assigned: 'agent-1', validation: 'llm' },
      { id: 't3', status: 'in-progress' },
    ]);
    await p.ok(['done', 't1']);
    await p.ok(['done', 't2', '--agent', 'agent-1']);
    await p.ok(['done', 't3']);
    for (const id of ['t1', 't2', 't3']) expect((await show(id)).status).toBe('done');
  });

  it("test_done_external_validation_transitions_to_pending: an agent's done waits for the validation too", async () => {
    await p.importTasks([{ id: 't1', status: 'in-progress', assigned: 'agent-1', validation: 'external', tags: ['human-review'] }]);
    await p.ok(['done', 't1', '--agent', 'agent-1']);
    expect((await show('t1')).status).toBe('pending-validation');
  });

  it('test_done_integrated_validation_requires_log_entry / test_done_integrated_validation_with_log_succeeds', async () => {
    const entry = { timestamp: '2026-05-01T12:00:00+00:00', actor: null, message: 'Validated: all tests pass' };
    await p.importTasks([
      { id: 't1', status: 'in-progress', validation: 'integrated' },
      { id: 't2', status: 'in-progress', validation: 'integrated', log: [entry] },
    ]);
    const refused = await p.wg(['done', 't1']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toBe(
      `wg: Cannot mark 't1' as done: integrated validation requires a validation log entry (add one with: wg log t1 "Validated: <what you checked>")`,
    );
    const t1 = await show('t1');
    expect(t1.status).toBe('in-progress');
    expect(t1.log.some((e) => e.message.includes('marked done'))).toBe(false);
    await p.ok(['done', 't2']);
    expect((await show('t2')).status).toBe('done');
  });

  it('test_done_already_done_returns_ok (refused here: README, deliberate differences)', async () => {
    await p.importTasks([{ id: 't1', status: 'done' }]);
    expect((await p.wg(['done', 't1'])).stderr).toBe("wg: task 't1' is already done");
  });

  it('test_done_nonexistent_task_fails / test_done_uninitialized_workgraph_fails', async () => {
    expect((await p.wg(['done', 'nonexistent'])).exitCode).toBe(3);
    const bare = new InProcessProject('wg-done-bare-');
    try {
      expect((await bare.wg(['done', 't1'])).stderr).toContain("run 'wg init'");
    } finally {
      bare.remove();
    }
  });

  it('test_done_updates_agent_registry: the run that held it ends, done', async () => {
    await p.importTasks([{ id: 't1', status: 'in-progress', assigned: 'agent-1' }]);
    const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
    try {
      await store.core.write(() => store.agents.insert(makeAgent({ id: 'agent-1', task_id: 't1', state: 'working' }), null));
    } finally {
      await store.close();
    }
    await p.ok(['done', 't1']);
    const agents = await p.json<Array<{ id: string; state: string }>>(['agents']);
    expect(agents.find((a) => a.id === 'agent-1')?.state).toBe('done');
  });
});
