import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/shared/insight';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg status` against upstream's own cases (graphwork/workgraph src/commands/status.rs `mod tests`), each
 * named in its `it`; test_gather_status_empty and test_display_status_unicode_truncation are in
 * test/cli/upstream-commands.test.ts. Run in process through the real command table.
 *
 * Not ported: the verify widget (test_gather_verify_failing_none, test_gather_verify_failing_found,
 * test_gather_verify_failing_excludes_failed_tasks, test_gather_verify_failing_no_graph): `wg status` has no
 * verify widget here, nor upstream's count of verify failures (docs/upstream.md, "Not here").
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-status-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
const status = () => p.json<StatusReport>(['status']);

describe('wg status (upstream status.rs)', () => {
  it('test_gather_task_summary_empty_graph / test_gather_recent_activity_empty', async () => {
    const report = await status();
    expect(report.service.running).toBe(false);
    expect(report.tasks).toEqual({ in_progress: 0, ready: 0, blocked: 0, delayed: 0, done_today: 0, done_total: 0, needs_you: 0 });
    expect(report.recent).toEqual([]);
  });

  it('test_gather_task_summary: one each of ready, in-progress, done today and blocked', async () => {
    await p.importTasks([
      { id: 't1', title: 'Ready Task' },
      { id: 't2', title: 'In Progress', status: 'in-progress' },
      { id: 't3', title: 'Done Task', status: 'done', completed_at: new Date().toISOString() },
      { id: 't4', title: 'Blocked', after: ['t1'] },
    ]);
    expect((await status()).tasks).toMatchObject({ ready: 1, in_progress: 1, done_total: 1, done_today: 1, blocked: 1 });
  });

  it('test_gather_task_summary_delayed_vs_blocked: a future ready_after alone is delayed, an open blocker is blocked', async () => {
    await p.importTasks([
      { id: 'delayed', title: 'Delayed task', ready_after: hoursFromNow(1) },
      { id: 'blocked', title: 'Blocked task', after: ['blocker'] },
      { id: 'blocker', title: 'Blocker' },
    ]);
    expect((await status()).tasks).toMatchObject({ delayed: 1, blocked: 1, ready: 1 });
    expect(await p.ok(['status'])).toContain('Tasks: 0 in-progress, 1 ready, 1 blocked, 1 delayed, 0 done (today: 0)');
  });

  it('a future ready_after behind an unfinished dependency is blocked, as upstream counts it', async () => {
    await p.importTasks([
      { id: 'dep', title: 'Dep' },
      { id: 'held', title: 'Held', after: ['dep'], ready_after: hoursFromNow(1) },
    ]);
    expect((await status()).tasks).toMatchObject({ delayed: 0, blocked: 1, ready: 1 });
  });

  it('test_gather_recent_activity: the five most recent completions, newest first', async () => {
    await p.importTasks(
      [1, 2, 3, 4, 5, 6, 7].map((i) => ({
        id: `t${i}`,
        title: `Task ${i}`,
        status: 'done',
        completed_at: hoursFromNow(-i),
      })),
    );
    const recent = (await status()).recent;
    expect(recent.map((r) => r.task_id)).toEqual(['t1', 't2', 't3', 't4', 't5']);
  });

  it('failed tasks, which upstream counts nowhere, are named by their reason, the latest first; none, none said', async () => {
    expect((await status()).failed).toBeUndefined();
    expect(await p.ok(['status'])).not.toContain('Failed');
    const failedAt = (hours: number) => ({ status: 'failed', completed_at: hoursFromNow(-hours) });
    const missing = 'the claude CLI is not installed (or not on PATH): install Claude Code (npm install -g @anthropic-ai/claude-code)';
    await p.importTasks([
      ...[1, 2, 3, 4, 5, 6].map((i) => ({ id: `c${i}`, title: `Needs claude ${i}`, ...failedAt(i), failure_reason: missing })),
      { id: 'tests', title: 'Run the tests', ...failedAt(0.5), failure_reason: 'npm test exited with code 1' },
      { id: 'quiet', title: 'Failed without a word', ...failedAt(10) },
      { id: 'open', title: 'Not failed' },
    ]);
    const report = await status();
    expect(report.failed?.map((f) => f.task_id)).toEqual(['tests', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'quiet']);
    expect(report.failed?.[0]).toEqual({ task_id: 'tests', title: 'Run the tests', reason: 'npm test exited with code 1' });
    expect(report.tasks).toMatchObject({ ready: 1, in_progress: 0, done_total: 0 });
    const text = await p.ok(['status']);
    expect(text).toContain(
      [
        'Failed: 8 task(s), stopped until retried (wg retry ID, or all at once: wg recover):',
        '  tests  Run the tests: npm test exited with code 1',
        `  c1, c2, c3, c4, c5 and 1 more: ${missing}`,
        '  quiet  Failed without a word: no reason given',
      ].join('\n'),
    );
  });

  it('test_gather_dangling_deps_none / test_gather_dangling_deps_found / test_gather_dangling_deps_resolves_when_created', async () => {
    await p.importTasks([{ id: 't1' }, { id: 't2', after: ['t1'] }]);
    expect((await status()).dangling_deps ?? []).toEqual([]);
    await p.importTasks([{ id: 't3', after: ['nonexistent'] }]);
    expect((await status()).dangling_deps).toEqual([{ task_id: 't3', missing_dep: 'nonexistent', relation: 'after' }]);
    expect(await p.ok(['status'])).toContain('⚠ Attention: 1 task(s) have unresolved dependencies:\n  t3 → nonexistent (missing)');
    await p.ok(['add', 'Now it exists', '--id', 'nonexistent']);
    expect((await status()).dangling_deps ?? []).toEqual([]);
  });

  it('test_gather_dangling_deps_no_graph: a project with no graph.jsonl has none', async () => {
    expect(existsSync(join(p.root, '.workgraph', 'graph.jsonl'))).toBe(false);
    expect((await status()).dangling_deps ?? []).toEqual([]);
    expect(await p.ok(['status'])).not.toContain('unresolved dependencies');
  });

  it('test_gather_task_summary_hides_dot_prefixed / test_gather_recent_activity_hides_dot_prefixed: system tasks count only with --all', async () => {
    const now = new Date().toISOString();
    await p.importTasks([
      { id: 'real-task', title: 'Real task' },
      { id: '.assign-real-task', status: 'in-progress' },
      { id: '.flip-real-task', status: 'done', completed_at: now },
      { id: 'real-done', status: 'done', completed_at: now },
    ]);
    const shown = await status();
    expect(shown.tasks).toMatchObject({ ready: 1, in_progress: 0, done_total: 1 });
    expect(shown.recent.map((r) => r.task_id)).toEqual(['real-done']);
    const all = await p.json<StatusReport>(['status', '--all']);
    expect(all.tasks).toMatchObject({ ready: 1, in_progress: 1, done_total: 2 });
    expect(all.recent).toHaveLength(2);
  });
});
