import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countdownAfter } from '../../src/cli/task-markers';
import { BUILTIN_MODELS } from '../../src/core/config/models';
import { TASK_STATUSES, type TaskDetail } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg show` against upstream's own cases (graphwork/workgraph src/commands/show.rs `mod tests`), each named
 * in its `it`; the JSON shape cases (test_task_details_serialization) are in test/cli/upstream-folder.test.ts.
 * This app lays the page out as seed 004's task page (a label, then its value); the times seed 004's page
 * does not have come after it in upstream's own lines ("Not before: …", "Last interaction: …").
 *
 * Not ported:
 * - test_format_evaluations_labels_each_iteration, test_format_evaluations_labels_zero_iteration: upstream's
 *   `[iter N]` line per evaluation of a loop's iterations (its structural loops are not here, docs/upstream.md; a
 *   task's evaluation is on its page);
 * - test_gather_task_runtime_info_detects_native_compaction: upstream's in-process `native` executor's journal.
 *
 * Differs, not fixed:
 * - test_show_displays_worktree_state_for_retried_tasks: upstream finds a task's worktree on disk
 *   (`.wg-worktrees/<agent>/` on a `wg/<agent>/<task>` branch) and shows its commits ahead and uncommitted files;
 *   `wg show` here shows the worktree this app recorded for the task, so one upstream's own service made is not shown.
 */

describe("wg show's countdown (upstream show.rs format_countdown)", () => {
  it('test_format_countdown_invalid_timestamp / test_format_countdown_past_timestamp', () => {
    expect(countdownAfter('not-a-timestamp', Date.now())).toBe('');
    expect(countdownAfter('2020-01-01T00:00:00+00:00', Date.now())).toBe(' (elapsed)');
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(countdownAfter('2026-03-01T12:05:00Z', now)).toBe(' (in 5m 0s)');
    expect(countdownAfter('2026-03-03T13:00:00Z', now)).toBe(' (in 2d 1h)');
  });

  it('test_show_no_dated_id_in_config_constants: the built-in models are the bare aliases', () => {
    expect(BUILTIN_MODELS.map((m) => m.model_id)).toEqual(['haiku', 'sonnet', 'opus']);
  });
});

describe('wg show (upstream show.rs, tests/integration_cli_workflows.rs)', () => {
  let p: InProcessProject;
  beforeEach(async () => {
    p = new InProcessProject('wg-show-');
    await p.ok(['init']);
  });
  afterEach(() => p.remove());
  const show = (id: string) => p.json<TaskDetail & Record<string, unknown>>(['show', id]);

  it('test_build_reverse_index: what depends on a task is listed under it', async () => {
    await p.importTasks([{ id: 't1' }, { id: 't2', after: ['t1'] }, { id: 't3', after: ['t1'] }]);
    expect((await show('t1')).required_by.map((l) => l.id)).toEqual(['t2', 't3']);
    expect(await p.ok(['show', 't1'])).toContain('Required by\n  - t2 (open)\n  - t3 (open)');
  });

  // upstream: `wg show`'s estimate section ("Estimate: 8.25h, $5"), in this page's label-and-value layout
  it("an estimate is its own line, in upstream's words: 8.25h, $5", async () => {
    await p.ok(['add', 'Both', '--id', 'both', '--hours', '8.25', '--cost', '5']);
    await p.ok(['add', 'Hours', '--id', 'hours', '--hours', '8']);
    await p.ok(['add', 'None', '--id', 'none']);
    expect(await p.ok(['show', 'both'])).toMatch(/^ {2}Estimate +8\.25h, \$5$/m);
    expect(await p.ok(['show', 'hours'])).toMatch(/^ {2}Estimate +8h$/m);
    for (const id of ['both', 'hours', 'none']) expect(await p.ok(['show', id])).not.toMatch(/estimate|\{"hours"/);
    expect(await p.ok(['show', 'none'])).not.toContain('Estimate');
  });

  it('test_status_display / test_status_display_all_variants: kebab-case, as graph.jsonl writes them', async () => {
    await p.importTasks(TASK_STATUSES.map((status) => ({ id: `t-${status}`, status })));
    for (const status of TASK_STATUSES) expect((await show(`t-${status}`)).status).toBe(status);
    expect(await p.ok(['show', 't-in-progress'])).toMatch(/^ {2}Status +in-progress$/m);
  });

  it('test_run_nonexistent_task / test_run_no_graph_file', async () => {
    const missing = await p.wg(['show', 'no-such-task']);
    expect(missing).toMatchObject({ exitCode: 3, stderr: "wg: task 'no-such-task' not found" });
    const bare = new InProcessProject('wg-show-bare-');
    try {
      expect((await bare.wg(['show', 't1'])).exitCode).not.toBe(0);
    } finally {
      bare.remove();
    }
  });

  it('test_run_basic_task / test_run_json_output', async () => {
    await p.importTasks([{ id: 't1', title: 'Test task' }]);
    expect(await p.ok(['show', 't1'])).toMatch(/^t1: Test task\n/);
    expect(await show('t1')).toMatchObject({ id: 't1', title: 'Test task', status: 'open' });
  });

  it("test_run_task_with_orphan_blocker / test_run_task_with_orphan_blocker_json: shown, counted open in upstream's after", async () => {
    await p.importTasks([{ id: 't1', title: 'Task with ghost blocker', after: ['ghost'] }]);
    expect(await p.ok(['show', 't1'])).toContain('Depends on\n  - ghost (not in this graph)');
    expect((await show('t1')).after).toEqual([{ id: 'ghost', status: 'open' }]);
  });

  it('test_show_displays_user_input_not_dated_id / test_show_model_field_preserves_user_spec', async () => {
    await p.importTasks([
      { id: 't-opus', model: 'claude:opus' },
      { id: 't-pinned', model: 'claude:opus-4-6' },
    ]);
    expect((await show('t-opus')).model).toBe('claude:opus');
    expect((await show('t-pinned')).model).toBe('claude:opus-4-6');
    expect(await p.ok(['show', 't-opus'])).toMatch(/^ {2}Model +claude:opus$/m);
  });

  it("Not before, Ready after and Last interaction, in upstream's words with their countdowns (print_human_readable)", async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    await p.importTasks([
      { id: 't1', not_before: inAnHour, ready_after: inAnHour, last_interaction_at: '2026-05-01T12:00:00+00:00' },
      { id: 'old', created_at: '2026-04-30T00:00:00+00:00' },
    ]);
    const page = await p.ok(['show', 't1']);
    expect(page).toMatch(/^Not before: \S+ \(in (59m \d+s|1h 0m)\)$/m);
    expect(page).toMatch(/^Ready after: \S+ \(in (59m \d+s|1h 0m)\)$/m);
    // upstream: tests/integration_cli_workflows.rs test_show_text_includes_last_interaction
    expect(page).toContain('Last interaction: 2026-05-01T12:00:00+00:00');
    // Listed once, under upstream's word, not again under its field name.
    expect(page).not.toContain('ready_after');
    expect(page).not.toContain('last_interaction_at');
    // A task from before upstream kept the field: its creation, as upstream reads it.
    expect(await p.ok(['show', 'old'])).toContain('Last interaction: 2026-04-30T00:00:00+00:00');
  });

  it('test_show_verify_status_in_json / test_show_verify_failures_display / test_show_verify_circuit_breaker_tripped / test_show_no_verify_section_when_no_verify', async () => {
    const failedAt = (actor: string, message: string) => [{ timestamp: '2026-01-01T00:00:00+00:00', actor, message }];
    await p.importTasks([
      {
        id: 't1',
        status: 'in-progress',
        verify: 'cargo test',
        verify_failures: 2,
        log: failedAt('verify', 'Verify FAILED (exit code 1, attempt 2/3). Command: cargo test\nstderr: test failed'),
      },
      {
        id: 't2',
        status: 'failed',
        verify: 'cargo test',
        verify_failures: 3,
        failure_reason: 'Circuit breaker tripped',
        log: failedAt('verify-circuit-breaker', 'Circuit breaker tripped: verify command failed 3 times'),
      },
      { id: 't3' },
    ]);
    expect(await show('t1')).toMatchObject({ verify: 'cargo test', verify_failures: 2, status: 'in-progress' });
    const page = await p.ok(['show', 't1']);
    expect(page).toMatch(/^ {2}Verify +cargo test$/m);
    expect(page).toMatch(/^ {2}verify_failures +2$/m);
    expect(page).toContain('[verify] Verify FAILED (exit code 1, attempt 2/3)');
    expect(await show('t2')).toMatchObject({ status: 'failed', failure_reason: 'Circuit breaker tripped', verify_failures: 3 });
    expect(await p.ok(['show', 't2'])).toMatch(/^ {2}Failure +Circuit breaker tripped$/m);
    expect(await show('t3')).not.toHaveProperty('verify');
    expect(await p.ok(['show', 't3'])).not.toMatch(/verify/i);
  });
});
