import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg incomplete` against upstream's own cases (graphwork/workgraph src/commands/incomplete.rs `mod tests`),
 * each named in its `it`, with upstream's `[coordinator] max_incomplete_retries` and
 * `incomplete_retry_delay` read from config.toml as its setup_config writes them.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-incomplete-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

function setupConfig(maxRetries: number, delay: string): void {
  writeFileSync(
    join(p.root, '.workgraph', 'config.toml'),
    `[coordinator]\nmax_incomplete_retries = ${maxRetries}\nincomplete_retry_delay = "${delay}"\n`,
  );
}
/** `wg show --json`: upstream's fields this app keeps unread (checkpoint, ready_after) are at the top level. */
const show = (id: string) => p.json<Task & Record<string, unknown>>(['show', id]);
const inProgress = (fields: Record<string, unknown> = {}) =>
  p.importTasks([{ id: 't1', title: 'Test task', status: 'in-progress', ...fields }]);

describe('wg incomplete (upstream incomplete.rs)', () => {
  it('test_incomplete_increments_retry_count', async () => {
    await inProgress();
    setupConfig(3, '0s');
    await p.ok(['incomplete', 't1', '--reason', 'needs more work']);
    expect(await show('t1')).toMatchObject({ status: 'incomplete', retry_count: 1 });
  });

  it('test_incomplete_exhaustion_transitions_to_failed', async () => {
    await inProgress({ retry_count: 2 });
    setupConfig(3, '0s');
    expect(await p.ok(['incomplete', 't1', '--reason', 'still broken'])).toBe(
      "Task 't1' failed — retry exhausted after 3 attempts (still broken)",
    );
    const task = await show('t1');
    expect(task).toMatchObject({ status: 'failed', retry_count: 3 });
    expect(task.failure_reason).toContain('Retry exhausted');
  });

  it('config.toml decides the budget: at 5, a third attempt is only incomplete', async () => {
    await inProgress({ retry_count: 2 });
    setupConfig(5, '0s');
    expect(await p.ok(['incomplete', 't1'])).toContain('(attempt 3/5)');
    expect(await show('t1')).toMatchObject({ status: 'incomplete', retry_count: 3 });
  });

  it('test_incomplete_task_level_max_retries_overrides_config', async () => {
    await inProgress({ retry_count: 4, max_retries: 5 });
    setupConfig(3, '0s');
    await p.ok(['incomplete', 't1']);
    expect(await show('t1')).toMatchObject({ status: 'failed', retry_count: 5 });
  });

  it('test_incomplete_clears_assigned_and_session: and the checkpoint, and stamps completed_at', async () => {
    await inProgress({ assigned: 'agent-42', session_id: 'sess-123', checkpoint: 'checkpoint data' });
    setupConfig(3, '0s');
    await p.ok(['incomplete', 't1']);
    const task = await show('t1');
    expect(task).toMatchObject({ assigned: null, session_id: null });
    expect(task.checkpoint).toBeUndefined();
    expect(Number.isNaN(Date.parse(task.completed_at ?? ''))).toBe(false);
  });

  it('exhausted, it is cleared the same way', async () => {
    await inProgress({ retry_count: 2, assigned: 'agent-42', session_id: 'sess-123', checkpoint: 'checkpoint data' });
    setupConfig(3, '0s');
    await p.ok(['incomplete', 't1']);
    const task = await show('t1');
    expect(task).toMatchObject({ status: 'failed', assigned: null, session_id: null });
    expect(task.checkpoint).toBeUndefined();
  });

  it('test_incomplete_cooldown_sets_ready_after: the configured delay', async () => {
    await inProgress();
    setupConfig(3, '2m');
    const before = Date.now();
    const text = await p.ok(['incomplete', 't1']);
    const readyAfter = (await show('t1')).ready_after;
    expect(typeof readyAfter).toBe('string');
    expect(Date.parse(readyAfter as string) - before).toBeGreaterThanOrEqual(119_000);
    expect(Date.parse(readyAfter as string) - before).toBeLessThan(180_000);
    expect(text).toContain(`  Cooldown active — dispatchable after ${readyAfter as string}`);
  });

  it("without config.toml, the delay is upstream's default 30s", async () => {
    await inProgress();
    const before = Date.now();
    await p.ok(['incomplete', 't1']);
    const readyAfter = Date.parse((await show('t1')).ready_after as string);
    expect(readyAfter - before).toBeGreaterThanOrEqual(29_000);
    expect(readyAfter - before).toBeLessThan(90_000);
  });

  it('test_incomplete_zero_delay_no_ready_after', async () => {
    await inProgress();
    setupConfig(3, '0s');
    await p.ok(['incomplete', 't1']);
    expect((await show('t1')).ready_after).toBeUndefined();
  });

  it('test_incomplete_zero_max_retries_means_unlimited', async () => {
    await inProgress({ retry_count: 100 });
    setupConfig(0, '0s');
    expect(await p.ok(['incomplete', 't1'])).toContain('(attempt 101/∞)');
    expect(await show('t1')).toMatchObject({ status: 'incomplete', retry_count: 101 });
  });

  it('test_incomplete_log_entry_includes_attempt_number', async () => {
    await inProgress({ retry_count: 1 });
    setupConfig(5, '0s');
    await p.ok(['incomplete', 't1', '--reason', 'missing tests']);
    const last = (await show('t1')).log.at(-1)?.message ?? '';
    expect(last).toContain('attempt #2');
    expect(last).toContain('missing tests');
  });

  it('test_incomplete_already_incomplete_is_noop', async () => {
    await p.importTasks([{ id: 't1', status: 'incomplete' }]);
    expect(await p.ok(['incomplete', 't1'])).toBe("Task 't1' is already incomplete");
  });

  it('test_incomplete_terminal_task_errors', async () => {
    await p.importTasks([{ id: 't1', status: 'done' }]);
    const result = await p.wg(['incomplete', 't1']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('cannot be marked as incomplete');
  });
});
