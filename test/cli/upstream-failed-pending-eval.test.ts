import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finishPendingValidation } from '../../src/core/upstream-sync/legacy-daemon-tasks';
import type { ReadyItem, Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';
import { tempStore } from '../helpers/temp-store';

/*
 * Upstream's failed-pending-eval (an agent exited without `wg done`, and the evaluator decides) and its eval gate
 * on dependents, against tests/integration_failed_pending_eval.rs and tests/integration_deprecate_pending_validation.rs,
 * each case named in its `it`; the rescue by a score, `wg retry` and `wg approve` are in failed-pending-eval.test.ts,
 * test_no_routine_pending_validation_state in test/commands/done.test.ts, test_legacy_pending_validation_migrated in
 * test/upstream-sync/legacy-daemon-tasks.test.ts. Upstream's library-level ready_tasks is read through `wg ready --all`.
 *
 * Not ported:
 * - Rust Status predicates with no command of their own (is_terminal, is_active; the dependency half is
 *   test_failed_pending_eval_does_not_satisfy_deps): test_failed_pending_eval_is_active_not_terminal;
 * - upstream's exec_mode (docs/upstream.md "Not here": --exec-mode; a task is a shell task here by its `exec`, and
 *   every failed-pending-eval task gets an evaluator run, so its rescue resolves): test_shell_task_via_exec_mode_skips_failed_pending_eval.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-fpe-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const show = (id: string) => p.json<Task>(['show', id]);
const autoEvaluate = (on: boolean) => writeFileSync(join(p.root, '.workgraph', 'config.toml'), `[agency]\nauto_evaluate = ${on}\n`);
/** What `wg ready --all` says is ready now, system tasks included. */
const readyIds = async () => (await p.json<ReadyItem[]>(['ready', '--all'])).filter((item) => item.ready).map((item) => item.id);

describe('failed-pending-eval (upstream integration_failed_pending_eval.rs)', () => {
  it('test_failed_pending_eval_serializes_correctly / test_rescued_field_serializes_round_trips / test_rescued_false_deserializes_from_legacy_row / test_wg_show_json_includes_rescued_field', async () => {
    await p.importTasks([
      { id: 'fpe', title: 'Test', status: 'failed-pending-eval' },
      { id: 't1', title: 'Test', status: 'done', rescued: true, meta_eval_attempts: 1 },
      { id: 'legacy', title: 'Test', status: 'done' },
    ]);
    expect((await show('fpe')).status).toBe('failed-pending-eval');
    expect(await show('t1')).toMatchObject({ rescued: true, meta_eval_attempts: 1 });
    const legacy = await show('legacy');
    expect(legacy).not.toHaveProperty('rescued');
    expect(legacy).not.toHaveProperty('meta_eval_attempts');
  });

  it('test_agent_exit_nonzero_with_auto_evaluate_enters_failed_pending_eval / test_wg_show_displays_failed_pending_eval_status', async () => {
    await p.importTasks([{ id: 't1', status: 'in-progress', assigned: 'test-agent' }]);
    autoEvaluate(true);
    await p.ok(['fail', 't1', '--class', 'agent-exit-nonzero']);
    expect(await show('t1')).toMatchObject({ status: 'failed-pending-eval', failure_class: 'agent-exit-nonzero', retry_count: 0 });
    expect(await p.ok(['show', 't1'])).toMatch(/^ {2}Status +failed-pending-eval$/m);
  });

  it('test_shell_task_skips_failed_pending_eval / test_other_failure_class_skips_failed_pending_eval', async () => {
    await p.importTasks([
      { id: 'shell-1', status: 'in-progress', assigned: 'test-agent', exec: 'exit 1' },
      { id: 't1', status: 'in-progress', assigned: 'test-agent' },
    ]);
    autoEvaluate(true);
    await p.ok(['fail', 'shell-1', '--class', 'agent-exit-nonzero', '--reason', 'Agent exited with code 1']);
    await p.ok(['fail', 't1', '--class', 'api-error-429-rate-limit']);
    expect((await show('shell-1')).status).toBe('failed');
    expect((await show('t1')).status).toBe('failed');
  });

  it('test_auto_evaluate_false_skips_failed_pending_eval', async () => {
    await p.importTasks([{ id: 't1', status: 'in-progress', assigned: 'test-agent' }]);
    autoEvaluate(false);
    await p.ok(['fail', 't1', '--class', 'agent-exit-nonzero']);
    expect((await show('t1')).status).toBe('failed');
  });

  it('test_explicit_wg_fail_on_failed_pending_eval_forces_terminal_failed', async () => {
    await p.importTasks([{ id: 't1', status: 'failed-pending-eval', failure_class: 'agent-exit-nonzero' }]);
    autoEvaluate(true);
    await p.ok(['fail', 't1', '--class', 'agent-exit-nonzero', '--reason', 'operator forced terminal fail']);
    expect(await show('t1')).toMatchObject({ status: 'failed', failure_reason: 'operator forced terminal fail' });
  });

  it('test_failed_pending_eval_does_not_satisfy_deps / test_failed_pending_eval_system_bypass', async () => {
    await p.importTasks([
      { id: 't1', status: 'failed-pending-eval' },
      { id: 't2', after: ['t1'] },
      { id: '.evaluate-t1', after: ['t1'] },
    ]);
    expect(await p.ok(['ready'])).not.toContain('t2');
    expect(await p.ok(['ready', '--all'])).toContain('.evaluate-t1');
    expect(await readyIds()).toEqual(['.evaluate-t1']);
  });

  it('test_wg_list_shows_failed_pending_eval_with_indicator', async () => {
    await p.importTasks([{ id: 't1', status: 'failed-pending-eval' }]);
    expect(await p.ok(['list'])).toMatch(/^t1 +failed-pending-eval /m);
  });
});

describe('the eval gate and pending-validation (upstream integration_deprecate_pending_validation.rs)', () => {
  it('test_dependent_task_unblocks_when_eval_passes / test_dependent_unblocks_when_no_eval_task_exists', async () => {
    await p.importTasks([
      { id: 'a', status: 'done' },
      { id: '.evaluate-a', status: 'done', after: ['a'], tags: ['evaluation'] },
      { id: 'b', after: ['a'] },
      { id: 'c', status: 'done' },
      { id: 'd', after: ['c'] },
    ]);
    expect((await readyIds()).sort()).toEqual(['b', 'd']);
  });

  it('test_dependent_task_stays_blocked_when_eval_in_flight / test_dependent_task_stays_blocked_when_eval_open_not_started / test_system_dependents_skip_eval_gate', async () => {
    await p.importTasks([
      { id: 'a', status: 'done' },
      { id: '.evaluate-a', status: 'in-progress', after: ['a'], tags: ['evaluation'] },
      { id: 'b', after: ['a'] },
      { id: 'c', status: 'done' },
      { id: '.evaluate-c', after: ['c'], tags: ['evaluation'] },
      { id: 'd', after: ['c'] },
      { id: '.flip-c', after: ['c'], tags: ['flip'] },
    ]);
    expect((await readyIds()).sort()).toEqual(['.evaluate-c', '.flip-c']);
  });

  it('test_migration_idempotent / test_migration_skips_human_review_opt_in', async () => {
    const { store, dispose } = await tempStore();
    try {
      await store.importJsonl(
        [
          { id: 'stuck', title: 'stuck', status: 'pending-validation' },
          { id: 'opt-in', title: 'opt-in', status: 'pending-validation', tags: ['human-review'] },
        ]
          .map((line) => JSON.stringify({ kind: 'task', ...line }))
          .join('\n'),
      );
      expect(await finishPendingValidation(store)).toEqual(['stuck']);
      expect(await finishPendingValidation(store)).toEqual([]);
      expect((await store.get('opt-in')).status).toBe('pending-validation');
    } finally {
      await dispose();
    }
  });

  it('test_rescue_count_field_persists', async () => {
    await p.importTasks([
      {
        id: 'rescued',
        status: 'failed',
        rescue_count: 2,
        log: [{ timestamp: '2026-04-26T00:00:00+00:00', message: 'Auto-rescue cap reached (2/2); no further rescue spawned' }],
      },
    ]);
    const task = await show('rescued');
    expect(task).toMatchObject({ status: 'failed', rescue_count: 2 });
    expect(task.log.map((entry) => entry.message)).toEqual(['Auto-rescue cap reached (2/2); no further rescue spawned']);
  });

  it("test_max_eval_rescues_caps_loops: upstream's [coordinator] max_verify_failures, and its alias max_eval_rescues, set the cap", async () => {
    const cap = async (toml: string) => {
      writeFileSync(join(p.root, '.workgraph', 'config.toml'), toml);
      const entries = await p.json<Array<{ key: string; value: unknown }>>(['config', '--list']);
      return entries.find((entry) => entry.key === 'agency.max_eval_rescues')?.value;
    };
    expect(await cap('[coordinator]\nmax_verify_failures = 4\n')).toBe(4);
    expect(await cap('[coordinator]\nmax_eval_rescues = 5\n')).toBe(5);
  });
});
