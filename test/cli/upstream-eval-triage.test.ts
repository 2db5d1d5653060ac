import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Upstream's tests of the pending-eval state, triage's requeue and failure classes (graphwork/workgraph
 * tests/integration_pending_eval_state.rs, integration_triage.rs, integration_failure_classification.rs), each case
 * named in its `it`. Upstream's graph states are brought in with `wg import` (upstream-shaped graph.jsonl lines),
 * and what its ready_tasks answers is `wg ready` here (`--all` with upstream's system tasks).
 *
 * not ported:
 * - Rust helpers with no command of their own: integration_pending_eval_state.rs test_dep_stays_blocked_on_eval_fail
 *   (is_eval_gate_pending; the rescue path is in test/commands/evaluate.test.ts), test_legacy_done_tasks_unchanged
 *   (migrate_pending_validation_tasks; the coordinator's migration is in test/upstream-sync/legacy-daemon-tasks.test.ts).
 * - FLIP (docs/upstream.md, "Not here": not built): test_evaluate_run_flip_accepts_pending_eval_source.
 * - upstream's structural loops (docs/upstream.md, "Not here": a cycle is refused):
 *   integration_triage.rs test_triage_count_resets_on_cycle_reactivation.
 * - `wg classify-failure` (docs/upstream.md, "Not here": the coordinator judges a run's end itself):
 *   test_classify_failure_subcommand_pdf_400, test_classify_failure_subcommand_hard_timeout.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-up-eval-triage-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const readyIds = async (all = false) => (await p.json<Array<{ id: string }>>(['ready', ...(all ? ['--all'] : [])])).map((t) => t.id);
const show = (id: string) => p.json<Task & Record<string, unknown>>(['show', id]);

describe('pending-eval (upstream integration_pending_eval_state.rs)', () => {
  it('test_dep_unblocks_after_eval_pass', async () => {
    await p.importTasks([
      { id: 'a', status: 'pending-eval' },
      { id: '.evaluate-a', status: 'done', after: ['a'], tags: ['evaluation'] },
      { id: 'b', after: ['a'] },
    ]);
    expect(await readyIds()).not.toContain('b');
    // What the gate's pass does to A, brought in as upstream's graph would hold it.
    await p.importTasks([{ id: 'a', status: 'done' }]);
    expect(await readyIds()).toContain('b');
  });

  it('test_pending_eval_blocks_downstream_directly / test_pending_eval_is_non_terminal', async () => {
    await p.importTasks([
      { id: 'a', status: 'pending-eval' },
      { id: 'b', after: ['a'] },
      { id: 'c', status: 'done' },
      { id: 'd', after: ['c'] },
    ]);
    const ready = await readyIds();
    expect(ready).not.toContain('b');
    expect(ready).toContain('d');
  });

  it('test_system_dependents_unblock_on_pending_eval_source', async () => {
    await p.importTasks([
      { id: 'a', status: 'pending-eval' },
      { id: '.evaluate-a', after: ['a'], tags: ['evaluation'] },
      { id: '.flip-a', after: ['a'], tags: ['flip'] },
      { id: 'b', after: ['a'] },
    ]);
    const ready = await readyIds(true);
    expect(ready).toContain('.evaluate-a');
    expect(ready).toContain('.flip-a');
    expect(ready).not.toContain('b');
  });

  it('test_max_eval_rescues_caps_to_failed: [coordinator] max_eval_rescues (and max_verify_failures) set the cap', async () => {
    const configFile = join(p.root, '.workgraph', 'config.toml');
    const cap = async () =>
      (await p.json<Array<{ key: string; value: unknown }>>(['config', '--show'])).find((row) => row.key === 'agency.max_eval_rescues')
        ?.value;
    expect(await cap()).toBe(3);
    writeFileSync(configFile, '[coordinator]\nmax_eval_rescues = 5\n');
    expect(await cap()).toBe(5);
    writeFileSync(configFile, '[coordinator]\nmax_verify_failures = 3\n');
    expect(await cap()).toBe(3);
  });

  it("test_pending_eval_renders_in_distinct_color: pending-eval's fill in `wg viz --dot` is neither in-progress's, open's nor done's", async () => {
    await p.importTasks([
      { id: 'pe', status: 'pending-eval' },
      { id: 'ip', status: 'in-progress' },
      { id: 'op', status: 'open' },
      { id: 'dn', status: 'done' },
    ]);
    const dot = await p.ok(['viz', '--dot']);
    // A node's label may run over lines and hold brackets: its fill is the first after its name.
    const fill = (id: string) => new RegExp(`^ *"${id}" \\[[\\s\\S]*?fillcolor="([^"]+)"`, 'm').exec(dot)?.[1];
    const pendingEval = fill('pe');
    expect(pendingEval).toBeDefined();
    for (const other of ['ip', 'op', 'dn']) expect(fill(other)).not.toBe(pendingEval);
  });

  it('test_evaluate_run_accepts_pending_eval_source: a pending-eval task is taken by `wg evaluate run`', async () => {
    await p.importTasks([{ id: 'a', status: 'pending-eval' }]);
    // --dry-run builds the evaluator's prompt without a coordinator; the real run is test/coordinator/evaluate-run.process.test.ts.
    const run = await p.wg(['evaluate', 'run', 'a', '--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('# Evaluator Instructions');
    const live = await p.wg(['evaluate', 'run', 'a']);
    expect(live.stderr).not.toMatch(/no work to evaluate|must be done or failed/);
  });
});

describe('triage and wg requeue (upstream integration_triage.rs)', () => {
  it('test_task_with_failed_dep_is_not_ready', async () => {
    await p.importTasks([
      { id: 'task-a', title: 'Build parser', status: 'failed', failure_reason: 'test assertion error' },
      { id: 'task-b', title: 'Use parser output', after: ['task-a'] },
    ]);
    expect(await readyIds()).not.toContain('task-b');
  });

  it('test_requeue_via_cli: open again, triage_count 1, claim and session cleared, agent identity kept', async () => {
    await p.importTasks([
      {
        id: 'task-b',
        title: 'Use parser output',
        status: 'in-progress',
        assigned: 'agent-42',
        started_at: '2026-01-01T00:00:00Z',
        session_id: 'sess-1',
        agent: 'agent-hash-abc',
      },
    ]);
    await p.ok(['requeue', 'task-b', '--reason', 'Triage: fix for task-a']);
    const task = await show('task-b');
    expect([task.status, task.triage_count, task.assigned, task.started_at, task.session_id, task.agent]).toEqual([
      'open',
      1,
      null,
      null,
      null,
      'agent-hash-abc',
    ]);
  });

  it('test_requeue_budget_exhaustion_via_cli', async () => {
    await p.importTasks([{ id: 'task-c', title: 'Downstream task', status: 'in-progress', triage_count: 3 }]);
    const result = await p.wg(['requeue', 'task-c', '--reason', 'Another triage attempt']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/triage budget exhausted/i);
    expect((await show('task-c')).status).toBe('in-progress');
  });

  it('test_requeue_open_task_errors_via_cli', async () => {
    await p.importTasks([{ id: 'task-d', title: 'Open task' }]);
    const result = await p.wg(['requeue', 'task-d', '--reason', 'reason']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('in-progress');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('test_triage_end_to_end_flow', async () => {
    await p.importTasks([
      {
        id: 'task-a',
        title: 'Implement config parser',
        status: 'failed',
        failure_reason: 'test_parse_config assertion error',
        log: [{ timestamp: '2026-01-01T00:00:00Z', actor: 'agent-1', message: 'Parser fails on nested keys' }],
      },
      { id: 'task-b', title: 'Use parser output', status: 'in-progress', assigned: 'agent-2', after: ['task-a'] },
    ]);
    // The triage agent's fix before task-a, and task-a open again (upstream's test writes both into the graph).
    await p.importTasks([
      { id: 'fix-parser', title: 'Fix: config parser nested keys', before: ['task-a'] },
      { id: 'task-a', title: 'Implement config parser', status: 'open', after: ['fix-parser'] },
    ]);
    await p.ok(['requeue', 'task-b', '--reason', 'Created fix for failed dep task-a']);

    const b = await show('task-b');
    expect([b.status, b.triage_count]).toEqual(['open', 1]);
    let ready = await readyIds();
    expect(ready).toContain('fix-parser');
    expect(ready).not.toContain('task-a');
    expect(ready).not.toContain('task-b');

    await p.ok(['done', 'fix-parser']);
    expect(await readyIds()).toContain('task-a');
    await p.ok(['done', 'task-a']);
    ready = await readyIds();
    expect(ready).toContain('task-b');
    expect((await show('task-b')).triage_count).toBe(1);
  });

  it('test_loop_prevention_fires_after_max_attempts', async () => {
    await p.importTasks([{ id: 'loop-task', title: 'Task with triage loop', status: 'in-progress', triage_count: 0 }]);
    for (const round of [1, 2, 3]) {
      await p.ok(['requeue', 'loop-task', '--reason', `triage round ${round}`]);
      // Dispatched again.
      await p.importTasks([
        { id: 'loop-task', title: 'Task with triage loop', status: 'in-progress', assigned: `agent-${round}`, triage_count: round },
      ]);
    }
    const fourth = await p.wg(['requeue', 'loop-task', '--reason', 'triage round 4']);
    expect(fourth.exitCode).not.toBe(0);
    expect(fourth.stderr).toMatch(/triage budget exhausted/i);
    expect((await show('loop-task')).triage_count).toBe(3);
  });
});

const CLASSES = [
  'api-error-400-document',
  'api-error-429-rate-limit',
  'api-error-5xx-transient',
  'agent-hard-timeout',
  'agent-exit-nonzero',
  'wrapper-internal',
] as const;

describe('failure classes (upstream integration_failure_classification.rs)', () => {
  const inProgress = (id: string) => ({ id, title: 'Test task', status: 'in-progress', assigned: 'agent-1' });

  it('test_failure_class_display / test_failure_class_serde_round_trip: every class, by its name, kept by `wg fail --class`', async () => {
    await p.importTasks(CLASSES.map((c) => inProgress(`t-${c}`)));
    for (const c of CLASSES) {
      await p.ok(['fail', `t-${c}`, '--class', c, '--reason', 'test failure']);
      expect((await show(`t-${c}`)).failure_class).toBe(c);
    }
  });

  it('test_legacy_row_failure_class_defaults_to_none', async () => {
    await p.importTasks([{ id: 'leg', title: 'Legacy', status: 'failed', failure_reason: 'old error' }]);
    const task = await show('leg');
    expect([task.status, task.failure_class ?? null, task.failure_reason]).toEqual(['failed', null, 'old error']);
  });

  it("a fail without --class leaves no earlier failure's class on the task (upstream's fail sets it from --class alone)", async () => {
    await p.importTasks([{ ...inProgress('stale'), failure_class: 'agent-hard-timeout' }]);
    await p.ok(['fail', 'stale', '--reason', 'oops']);
    expect((await show('stale')).failure_class ?? null).toBeNull();
  });

  it('test_wg_fail_with_class_persists', async () => {
    await p.importTasks([inProgress('t1')]);
    await p.ok(['fail', 't1', '--class', 'api-error-400-document', '--reason', 'Could not process PDF']);
    const task = await show('t1');
    expect([task.status, task.failure_class, task.failure_reason]).toEqual(['failed', 'api-error-400-document', 'Could not process PDF']);
  });

  it("test_wg_show_renders_failure_class: the class and upstream's hint for it", async () => {
    await p.importTasks([inProgress('t1')]);
    await p.ok(['fail', 't1', '--class', 'api-error-400-document', '--reason', 'PDF error']);
    const page = await p.ok(['show', 't1']);
    expect(page).toContain('api-error-400-document');
    expect(page).toContain('fix the input');
  });
});
