import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg log` against upstream's own cases (graphwork/workgraph src/commands/log.rs `mod tests`), each named
 * in its `it`; the message cases and test_log_list_empty_log are in test/cli/upstream-commands.test.ts. Run in
 * process through the real command table.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-log-');
  await p.ok(['init']);
  await p.ok(['add', 'Task 1', '--id', 't1']);
});
afterEach(() => p.remove());

/** The entries added by `wg log` (this app's own "Task created" line comes first). */
const added = async (id = 't1') => (await p.json<LogEntry[]>(['log', id, '--list'])).slice(1);

describe('wg log (upstream log.rs)', () => {
  it('test_log_add_creates_entry_with_timestamp_and_message', async () => {
    expect(await p.ok(['log', 't1', 'Started working on this'])).toBe("Added log entry to 't1'");
    const [entry] = await added();
    expect(entry?.message).toBe('Started working on this');
    expect(Number.isNaN(Date.parse(entry?.timestamp ?? ''))).toBe(false);
  });

  it('test_log_add_with_actor', async () => {
    expect(await p.ok(['log', 't1', 'Reviewed the PR', '--actor', 'alice'])).toBe("Added log entry to 't1' (alice)");
    expect(await added()).toMatchObject([{ actor: 'alice', message: 'Reviewed the PR' }]);
  });

  it('test_log_add_multiple_entries', async () => {
    await p.ok(['log', 't1', 'First entry']);
    await p.ok(['log', 't1', 'Second entry', '--actor', 'bot']);
    expect(await added()).toMatchObject([{ message: 'First entry' }, { message: 'Second entry', actor: 'bot' }]);
  });

  it('test_log_add_empty_message: an empty message is an entry, as upstream adds it', async () => {
    expect(await p.ok(['log', 't1', ''])).toBe("Added log entry to 't1'");
    expect(await added()).toMatchObject([{ message: '' }]);
  });

  it('test_log_add_task_not_found / test_log_list_task_not_found', async () => {
    for (const args of [
      ['log', 'nonexistent', 'message'],
      ['log', 'nonexistent', '--list'],
    ]) {
      const result = await p.wg(args);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/^wg: .*'nonexistent'/);
    }
  });

  it('test_log_list_shows_entries', async () => {
    await p.ok(['log', 't1', 'Entry one']);
    await p.ok(['log', 't1', 'Entry two', '--actor', 'bob']);
    const text = await p.ok(['log', 't1']);
    expect(text).toMatch(/^Log entries for 't1' \(Task 1\):\n/);
    expect(text).toMatch(/ \[bob\]\n {4}Entry two$/);
  });

  it('test_log_list_json_output / test_log_list_json_format_is_valid: the entries alone, as upstream serializes them', async () => {
    await p.ok(['log', 't1', 'Check JSON', '--actor', 'tester']);
    const entries = await added();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ message: 'Check JSON', actor: 'tester' });
  });

  it('test_log_fails_when_not_initialized', async () => {
    const bare = new InProcessProject('wg-log-bare-');
    try {
      for (const args of [
        ['log', 't1', 'message'],
        ['log', 't1', '--list'],
      ]) {
        const result = await bare.wg(args);
        expect(result.exitCode).not.toBe(0);
        expect(result.stderr).toMatch(/^wg: no workgraph at .*\(run 'wg init'\)$/);
      }
    } finally {
      bare.remove();
    }
  });
});
