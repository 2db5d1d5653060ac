import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/*
 * Upstream's tests/integration_task_lifecycle.rs and tests/integration_error_paths.rs (graphwork/workgraph),
 * run against this `wg` in a folder upstream uses: the graph is written to .wg/graph.jsonl as upstream's
 * `setup_workgraph` saves it, the commands are this app's, and each assertion reads graph.jsonl back as
 * upstream's `graph(wg_dir)` does (what this app changes reaches it through the sync).
 */

const WRITER = join(import.meta.dirname, '../upstream-sync/upstream-writer.py');

type Line = {
  id: string;
  status?: string;
  after?: string[];
  tags?: string[];
  assigned?: string | null;
  failure_reason?: string | null;
  retry_count?: number;
  log?: Array<{ message: string }>;
};

let projects: TempProject[] = [];
afterEach(() => {
  for (const p of projects) p.remove();
  projects = [];
});

/** Upstream's `make_task` + `setup_workgraph`: the tasks saved to .wg/graph.jsonl. */
function setupWorkgraph(tasks: Array<Line & { title?: string }>): TempProject {
  const p = new TempProject('wg-lifecycle-');
  projects.push(p);
  mkdirSync(join(p.root, '.wg'));
  const lines = tasks.map((t) => JSON.stringify({ kind: 'task', title: t.id, status: 'open', ...t }));
  writeFileSync(join(p.root, '.wg', 'graph.jsonl'), lines.map((l) => `${l}\n`).join(''));
  return p;
}

/** Upstream's `graph(wg_dir)`: graph.jsonl as it is now. */
function graph(p: TempProject): Map<string, Line> {
  const text = readFileSync(join(p.root, '.wg', 'graph.jsonl'), 'utf8');
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
  return new Map(lines.map((l) => [l.id, l]));
}

const task = (p: TempProject, id: string): Line => {
  const found = graph(p).get(id);
  if (!found) throw new Error(`no task '${id}' in graph.jsonl`);
  return found;
};

/** A change upstream's coordinator makes to graph.jsonl (as its `save_graph`: under graph.lock, a temp file, a rename). */
async function upstreamAdds(p: TempProject, line: Line & { title: string }): Promise<void> {
  await execa('python3', [WRITER, 'edit', join(p.root, '.wg'), JSON.stringify({ add: [{ kind: 'task', status: 'open', ...line }] })]);
}

describe('tests/integration_task_lifecycle.rs: retry and re-eval', () => {
  // upstream: tests/integration_task_lifecycle.rs test_retry_after_failure_with_eval_task
  it('test_retry_after_failure_with_eval_task: done after a retry is pending-eval while .evaluate-X is open', async () => {
    const p = setupWorkgraph([]);
    await p.ok(['add', 'Flaky feature', '--id', 'flaky']);
    // Upstream's claim may name no one; this app's names the agent.
    await p.ok(['claim', 'flaky', '--agent', 'agent-1']);
    // Simulate an eval task being created (as coordinator would).
    await upstreamAdds(p, { id: '.evaluate-flaky', title: 'Eval flaky', after: ['flaky'] });
    await p.ok(['fail', 'flaky', '--reason', 'tests broke']);
    expect(task(p, 'flaky').status).toBe('failed');
    // Not cascade-abandoned on fail, only on an explicit abandon.
    expect(task(p, '.evaluate-flaky').status).toBe('open');
    await p.ok(['retry', 'flaky']);
    expect(task(p, 'flaky')).toMatchObject({ status: 'open', retry_count: 1 });
    expect(task(p, 'flaky').assigned ?? null).toBeNull();
    await p.ok(['claim', 'flaky', '--agent', 'agent-1']);
    await p.ok(['done', 'flaky']);
    expect(task(p, 'flaky').status).toBe('pending-eval');
    // Its dependents wait for the score; the evaluation itself may run.
    expect((await p.json<Array<{ id: string }>>(['ready', '--all'])).map((t) => t.id)).toEqual(['.evaluate-flaky']);
  });
});

describe('tests/integration_pending_eval_state.rs: wg done and .evaluate-X (done.rs pick_done_target_status)', () => {
  // upstream: tests/integration_pending_eval_state.rs test_wg_done_transitions_to_pending_eval
  it('test_wg_done_transitions_to_pending_eval', async () => {
    const p = setupWorkgraph([
      { id: 'a', status: 'in-progress', assigned: 'test-agent' },
      { id: '.evaluate-a', after: ['a'], tags: ['evaluation'] },
    ]);
    await p.ok(['done', 'a', '--ignore-unmerged-worktree']);
    expect(task(p, 'a').status).toBe('pending-eval');
    // The evaluation has not run yet.
    expect(task(p, '.evaluate-a').status).toBe('open');
  });

  // upstream: tests/integration_pending_eval_state.rs test_wg_done_without_eval_scheduled_lands_in_done
  it('test_wg_done_without_eval_scheduled_lands_in_done', async () => {
    const p = setupWorkgraph([{ id: 'a', status: 'in-progress', assigned: 'test-agent' }]);
    await p.ok(['done', 'a', '--ignore-unmerged-worktree']);
    expect(task(p, 'a').status).toBe('done');
  });

  // upstream: tests/integration_pending_eval_state.rs test_system_task_done_skips_pending_eval
  it('test_system_task_done_skips_pending_eval', async () => {
    const p = setupWorkgraph([{ id: '.evaluate-a', status: 'in-progress', assigned: 'test-agent', tags: ['evaluation'] }]);
    await p.ok(['done', '.evaluate-a', '--ignore-unmerged-worktree']);
    expect(task(p, '.evaluate-a').status).toBe('done');
  });
});

describe("src/commands/incomplete.rs: the retry delay is upstream's ready_after", () => {
  // upstream: src/commands/incomplete.rs test_incomplete_cooldown_sets_ready_after
  it('test_incomplete_cooldown_sets_ready_after: graph.jsonl gets ready_after, wg ready lists it as waiting on delay', async () => {
    const p = setupWorkgraph([{ id: 't1', title: 'Test task', status: 'in-progress' }]);
    await p.ok(['incomplete', 't1']);
    const line = task(p, 't1') as Line & { ready_after?: string; not_before?: string };
    expect(line.status).toBe('incomplete');
    expect(Date.parse(line.ready_after ?? '')).toBeGreaterThan(Date.now());
    expect(line.not_before).toBeUndefined();
    expect(await p.ok(['ready'])).toMatch(/Waiting on delay:\n {2}t1 - Test task \(ready in /);
    // Upstream's retry clears it (test_retry_incomplete_clears_ready_after): here too, and in graph.jsonl.
    await p.ok(['retry', 't1']);
    expect((task(p, 't1') as { ready_after?: string }).ready_after).toBeUndefined();
  });
});

describe('tests/integration_task_lifecycle.rs: cascade abandon of system tasks', () => {
  // upstream: tests/integration_task_lifecycle.rs test_abandon_cascades_to_evaluate_and_verify_children
  it('test_abandon_cascades_to_evaluate_and_verify_children', async () => {
    const p = setupWorkgraph([
      { id: 'feature-x', title: 'Implement feature X', status: 'in-progress', assigned: 'agent-1' },
      { id: '.evaluate-feature-x', title: 'Eval feature X', after: ['feature-x'] },
      { id: '.verify-feature-x', title: 'Verify feature X', after: ['feature-x'] },
      // A normal dependent is not cascade-abandoned.
      { id: 'deploy-x', title: 'Deploy feature X', after: ['feature-x'] },
    ]);
    // What upstream's abandon.rs prints: the task, then each system task that went with it; a repeat says so.
    expect(await p.ok(['abandon', 'feature-x', '--reason', 'no longer needed'])).toBe(
      [
        "Marked 'feature-x' as abandoned (no longer needed)",
        '  Auto-abandoned: .evaluate-feature-x',
        '  Auto-abandoned: .verify-feature-x',
      ].join('\n'),
    );
    expect(await p.ok(['abandon', 'feature-x'])).toBe("Task 'feature-x' is already abandoned");
    expect(task(p, 'feature-x').status).toBe('abandoned');
    expect(task(p, '.evaluate-feature-x').status).toBe('abandoned');
    expect(task(p, '.verify-feature-x').status).toBe('abandoned');
    expect(task(p, 'deploy-x').status).toBe('open');
  });

  // upstream: tests/integration_task_lifecycle.rs test_abandon_does_not_touch_terminal_system_tasks
  it('test_abandon_does_not_touch_terminal_system_tasks', async () => {
    const p = setupWorkgraph([
      { id: 't1', title: 'Task 1', status: 'in-progress' },
      { id: '.evaluate-t1', title: 'Eval t1', status: 'done', after: ['t1'] },
      { id: '.verify-t1', title: 'Verify t1', status: 'abandoned', after: ['t1'] },
    ]);
    await p.ok(['abandon', 't1']);
    expect(task(p, 't1').status).toBe('abandoned');
    expect(task(p, '.evaluate-t1').status).toBe('done');
    // Already abandoned: left as it was (no cascade reason, no log line added).
    expect(task(p, '.verify-t1')).toMatchObject({ status: 'abandoned' });
    expect(task(p, '.verify-t1').failure_reason ?? null).toBeNull();
    expect(task(p, '.verify-t1').log ?? []).toEqual([]);
  });

  // upstream: tests/integration_task_lifecycle.rs test_abandon_cascades_to_in_progress_system_tasks
  it('test_abandon_cascades_to_in_progress_system_tasks', async () => {
    const p = setupWorkgraph([
      { id: 't1', title: 'Task 1', status: 'in-progress' },
      { id: '.evaluate-t1', title: 'Eval t1', status: 'in-progress', after: ['t1'], assigned: 'eval-agent' },
    ]);
    await p.ok(['abandon', 't1']);
    const evaluation = task(p, '.evaluate-t1');
    expect(evaluation.status).toBe('abandoned');
    expect(evaluation.log?.some((l) => l.message.includes('Auto-abandoned'))).toBe(true);
  });
});

describe('tests/integration_task_lifecycle.rs: no zombie eval/verify tasks', () => {
  const zombies = (p: TempProject, parent?: string) =>
    [...graph(p).values()]
      .filter((t) => t.id.startsWith('.') && (parent === undefined || (t.after ?? []).includes(parent)))
      .filter((t) => !['done', 'failed', 'abandoned'].includes(t.status ?? 'open'))
      .map((t) => t.id);

  // upstream: tests/integration_task_lifecycle.rs test_no_zombie_system_tasks_after_abandon
  it('test_no_zombie_system_tasks_after_abandon', async () => {
    const p = setupWorkgraph([
      { id: 'main-task', title: 'Main task', status: 'in-progress' },
      { id: '.evaluate-main-task', title: 'Eval main', after: ['main-task'] },
      { id: '.verify-main-task', title: 'Verify main', after: ['main-task'] },
      { id: '.assign-main-task', title: 'Assign main', status: 'done', after: ['main-task'] },
    ]);
    await p.ok(['abandon', 'main-task']);
    expect(zombies(p, 'main-task')).toEqual([]);
  });

  // upstream: tests/integration_task_lifecycle.rs test_no_zombie_accumulation_across_multiple_abandons
  it('test_no_zombie_accumulation_across_multiple_abandons', async () => {
    const p = setupWorkgraph([]);
    for (const i of [1, 2, 3]) {
      const id = `task-${i}`;
      await p.ok(['add', `Task ${i}`, '--id', id]);
      // Simulate eval + verify system tasks (as upstream's coordinator makes them).
      await upstreamAdds(p, { id: `.evaluate-${id}`, title: `Eval ${id}`, after: [id] });
      await upstreamAdds(p, { id: `.verify-${id}`, title: `Verify ${id}`, after: [id] });
    }
    for (const i of [1, 2, 3]) await p.ok(['abandon', `task-${i}`]);
    expect(zombies(p)).toEqual([]);
  });
});

describe('tests/integration_task_lifecycle.rs: retry', () => {
  // upstream: tests/integration_task_lifecycle.rs test_retry_resets_state_for_redispatch
  it('test_retry_resets_state_for_redispatch', async () => {
    const p = setupWorkgraph([
      { id: 't1', title: 'Task', status: 'failed', assigned: 'agent-old', failure_reason: 'OOM', retry_count: 2, tags: ['converged'] },
    ]);
    await p.ok(['retry', 't1']);
    const t1 = task(p, 't1');
    expect(t1.status).toBe('open');
    expect(t1.assigned ?? null).toBeNull();
    expect(t1.failure_reason ?? null).toBeNull();
    expect(t1.retry_count).toBe(2);
    expect(t1.tags ?? []).not.toContain('converged');
  });

  // upstream: tests/integration_task_lifecycle.rs test_abandoned_task_cannot_be_retried. A deliberate
  // difference (README): this app's wg retry reopens an abandoned task.
  it('test_abandoned_task_cannot_be_retried: here an abandoned task is reopened (a deliberate difference)', async () => {
    const p = setupWorkgraph([{ id: 'old', title: 'Old task', status: 'abandoned', failure_reason: 'superseded' }]);
    await p.ok(['retry', 'old']);
    expect(task(p, 'old').status).toBe('open');
  });
});

describe('tests/integration_error_paths.rs', () => {
  // upstream: tests/integration_error_paths.rs test_abandoned_task_unblocks_dependents
  it('test_abandoned_task_unblocks_dependents', async () => {
    const p = setupWorkgraph([
      { id: 't1', title: 'Task t1', status: 'abandoned' },
      { id: 't2', title: 'Task t2', after: ['t1'] },
    ]);
    expect((await p.json<Array<{ id: string }>>(['ready'])).map((t) => t.id)).toContain('t2');
    expect(await p.json<unknown[]>(['blocked', 't2'])).toEqual([]);
  });

  // upstream: tests/integration_error_paths.rs test_failed_task_unblocks_dependents (it does not: failed is no valid output)
  it('test_failed_task_unblocks_dependents', async () => {
    const p = setupWorkgraph([
      { id: 't1', title: 'Task t1', status: 'failed', failure_reason: 'Test failure' },
      { id: 't2', title: 'Task t2', after: ['t1'] },
    ]);
    expect((await p.json<Array<{ id: string }>>(['ready'])).map((t) => t.id)).not.toContain('t2');
    expect(await p.json<Array<{ id: string }>>(['blocked', 't2'])).toMatchObject([{ id: 't1', status: 'failed' }]);
  });
});
