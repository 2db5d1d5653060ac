import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecoverReport } from '../../src/shared/recover';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg recover` against upstream's own cases (graphwork/workgraph src/commands/recover.rs `mod tests`), each named in
 * its `it`, through the real command table on a real store; the graph made as an upstream graph.jsonl holds it.
 *
 * Not ported: test_recover_set_endpoint_edits_before_retry (a task has no endpoint here: a model's endpoint is
 * `wg model add … --endpoint`, docs/upstream.md), test_recover_invalid_model_format_errors (a model here is any name,
 * as `wg edit --model` takes it, not only upstream's strict provider:model).
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-recover-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const plan = (...args: string[]) => p.json<RecoverReport>(['recover', ...args]);
const task = (id: string) => p.json<Task>(['show', id]);
const failed = (id: string, extra: Record<string, unknown> = {}) => ({ id, status: 'failed', ...extra });

describe('wg recover (upstream recover.rs)', () => {
  it('test_recover_dry_run_lists_failures: the plan, and nothing changed', async () => {
    await p.importTasks([
      failed('user-a', { retry_count: 1 }),
      failed('.evaluate-user-a', { retry_count: 1 }),
      { id: 'user-b', status: 'done' },
    ]);
    const text = await p.ok(['recover']);
    expect(text).toContain('=== wg recover: 2 matching tasks ===');
    expect(text).toContain('User tasks (will retry): 1');
    expect(text).toMatch(/^ {2}user-a +attempt #2$/m);
    expect(text).toContain('Agency followups (will abandon, auto-recreate): 1');
    expect(text.trimEnd().endsWith('Apply with --yes')).toBe(true);
    expect((await task('user-a')).status).toBe('failed');
    expect((await task('.evaluate-user-a')).status).toBe('failed');
  });

  it('test_build_plan_separates_user_and_agency: follow-ups abandoned, other system tasks left alone', async () => {
    await p.importTasks([
      failed('user-a', { retry_count: 1 }),
      ...['.evaluate-user-a', '.flip-user-a', '.assign-user-a', '.verify-user-a', '.coordinator-0'].map((id) => failed(id)),
      { id: 'done-task', status: 'done' },
    ]);
    const report = await plan();
    expect(report.user_retries.map((e) => e.id)).toEqual(['user-a']);
    expect(report.agency_abandons.map((e) => e.id).sort()).toEqual([
      '.assign-user-a',
      '.evaluate-user-a',
      '.flip-user-a',
      '.verify-user-a',
    ]);
    expect(report.applied).toBe(false);
  });

  it('test_recover_yes_resets_user_tasks: open, failure and claim cleared, attempts kept', async () => {
    await p.importTasks([failed('user-a', { retry_count: 2, failure_reason: 'credit exhaustion', assigned: 'agent-x' })]);
    expect((await plan('--yes')).applied).toBe(true);
    const t = await task('user-a');
    expect(t).toMatchObject({ status: 'open', failure_reason: null, assigned: null, retry_count: 2 });
    expect(await p.ok(['recover', '--yes'])).toContain('Nothing to do.');
  });

  it('test_recover_yes_abandons_agency_followups', async () => {
    await p.importTasks([
      failed('user-a'),
      failed('.evaluate-user-a', { after: ['user-a'] }),
      failed('.flip-user-a', { after: ['user-a'] }),
    ]);
    expect(await p.ok(['recover', '--yes'])).toContain('Applied: 1 retried, 2 abandoned');
    expect((await task('user-a')).status).toBe('open');
    expect((await task('.evaluate-user-a')).status).toBe('abandoned');
    expect((await task('.flip-user-a')).status).toBe('abandoned');
  });

  it('test_recover_keep_agency_preserves_followups', async () => {
    await p.importTasks([failed('user-a'), failed('.evaluate-user-a')]);
    await p.ok(['recover', '--yes', '--keep-agency']);
    expect((await task('user-a')).status).toBe('open');
    expect((await task('.evaluate-user-a')).status).toBe('failed');
  });

  it('test_recover_set_model_edits_before_retry', async () => {
    await p.importTasks([failed('user-a', { model: 'claude:sonnet-4-6' })]);
    expect(await p.ok(['recover', '--set-model', 'openrouter:anthropic/claude-sonnet-4-6'])).toMatch(
      /user-a +attempt #1 {2}model→ openrouter:anthropic\/claude-sonnet-4-6/,
    );
    await p.ok(['recover', '--yes', '--set-model', 'openrouter:anthropic/claude-sonnet-4-6']);
    expect(await task('user-a')).toMatchObject({ status: 'open', model: 'openrouter:anthropic/claude-sonnet-4-6' });
  });

  it('test_recover_max_attempts_skips_exhausted', async () => {
    await p.importTasks([failed('user-a', { retry_count: 5 }), failed('user-b', { retry_count: 1 })]);
    const text = await p.ok(['recover', '--yes']);
    expect(text).toMatch(/^ {2}user-a +attempt #6 — max-attempts \(5\) exceeded$/m);
    expect((await task('user-a')).status).toBe('failed');
    expect((await task('user-b')).status).toBe('open');
  });

  it('test_recover_filter_status_open_excludes_failed: a status clause replaces the default', async () => {
    await p.importTasks([failed('user-a'), { id: 'user-b', status: 'open' }]);
    expect((await plan('--filter', 'status=open')).user_retries.map((e) => e.id)).toEqual(['user-b']);
  });

  it('test_recover_filter_id_prefix', async () => {
    await p.importTasks([failed('tui-a'), failed('tui-b'), failed('nex-c')]);
    expect((await plan('--filter', 'id-prefix=tui-')).user_retries.map((e) => e.id)).toEqual(['tui-a', 'tui-b']);
  });

  it('test_recover_filter_attempts_le, and clauses joined by commas or repeated all apply', async () => {
    await p.importTasks([
      failed('user-a', { retry_count: 1, tags: ['x'] }),
      failed('user-b', { retry_count: 4, tags: ['x'] }),
      failed('user-c', { retry_count: 0 }),
    ]);
    expect((await plan('--filter', 'attempts<=2', '--max-attempts', '99')).user_retries.map((e) => e.id)).toEqual(['user-a', 'user-c']);
    expect((await plan('--filter', 'attempts<=2,tag=x')).user_retries.map((e) => e.id)).toEqual(['user-a']);
    expect((await plan('--filter', 'attempts>2', '--filter', 'tag=x')).user_retries.map((e) => e.id)).toEqual(['user-b']);
  });

  it('test_recover_filter_error_contains', async () => {
    await p.importTasks([failed('user-a', { failure_reason: 'hit credit limit' }), failed('user-b', { failure_reason: 'compile error' })]);
    expect((await plan('--filter', 'error~credit')).user_retries.map((e) => e.id)).toEqual(['user-a']);
  });

  it('test_recover_reason_logged_on_each_retry', async () => {
    await p.importTasks([failed('user-a')]);
    await p.ok(['recover', '--yes', '--reason', 'credit-exhaustion-2026-04-26']);
    expect((await task('user-a')).log.at(-1)?.message).toBe('Reset by `wg recover` — reason: credit-exhaustion-2026-04-26');
  });

  it('test_recover_does_not_touch_non_failed_user_tasks', async () => {
    await p.importTasks([failed('user-a'), { id: 'user-b', status: 'in-progress' }, { id: 'user-c', status: 'done' }]);
    await p.ok(['recover', '--yes']);
    expect((await task('user-a')).status).toBe('open');
    expect((await task('user-b')).status).toBe('in-progress');
    expect((await task('user-c')).status).toBe('done');
  });

  it('refuses a clause that is not one in one line, and changes nothing', async () => {
    await p.importTasks([failed('user-a')]);
    for (const [clause, said] of [
      ['bogus', "unknown --filter clause 'bogus' (expected status=X, tag=X, id-prefix=X, attempts<=N, error~X)"],
      ['status=nope', "unknown status 'nope' in --filter"],
      ['attempts<=two', "'attempts<=two' in --filter needs a whole number of attempts"],
    ] as const) {
      const result = await p.wg(['recover', '--yes', '--filter', `error~x,${clause}`]);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(said);
    }
    expect((await task('user-a')).status).toBe('failed');
  });
});
