import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry, Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg log` against upstream's own cases (graphwork/workgraph src/commands/log.rs `mod tests`), each named
 * in its `it`. Run in process through the real command table.
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
    for (const args of [['log', 'nonexistent', 'message'], ['log', 'nonexistent', '--list']]) {
      const result = await p.wg(args);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/^wg: .*'nonexistent'/);
    }
  });

  it('test_log_list_shows_entries / test_log_list_empty_log', async () => {
    await p.ok(['add', 'Quiet', '--id', 'quiet']);
    await p.ok(['log', 't1', 'Entry one']);
    await p.ok(['log', 't1', 'Entry two', '--actor', 'bob']);
    const text = await p.ok(['log', 't1']);
    expect(text).toMatch(/^Log entries for 't1' \(Task 1\):\n/);
    expect(text).toMatch(/ \[bob\]\n {4}Entry two$/);
    // This app's `wg add` logs "Task created"; a task without entries says so as upstream's does.
    const { Store } = await import('../../src/core/store/store');
    const store = new Store(`${p.root}/.workgraph/graph.db`);
    store.core.write(() => store.core.sql("DELETE FROM task_log WHERE task_id = 'quiet'").run());
    store.close();
    expect(await p.ok(['log', 'quiet'])).toBe("No log entries for task 'quiet'");
  });

  it('test_log_list_json_output / test_log_list_json_format_is_valid: the entries alone, as upstream serializes them', async () => {
    await p.ok(['log', 't1', 'Check JSON', '--actor', 'tester']);
    const entries = await added();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ message: 'Check JSON', actor: 'tester' });
  });

  it('test_log_add_surfaces_unread_messages / test_log_add_no_repeat_messages: an agent\'s log hands over its unread messages once', async () => {
    await p.ok(['msg', 'send', 't1', 'Please handle edge case X']);
    await p.ok(['msg', 'send', 't1', 'Urgent fix needed', '--from', 'coordinator', '--priority', 'urgent']);
    const agent = { WG_AGENT_ID: 'agent-1' };
    const first = await p.json<Task & { new_messages?: Array<{ body: string }> }>(['log', 't1', 'Working on it'], agent);
    expect(first.new_messages?.map((m) => m.body)).toEqual(['Please handle edge case X', 'Urgent fix needed']);
    expect(await p.ok(['log', 't1', 'Progress 1'], agent)).toBe("Added log entry to 't1'");
    await p.ok(['msg', 'send', 't1', 'Second msg', '--from', 'coordinator']);
    const second = await p.ok(['log', 't1', 'Progress 2'], agent);
    expect(second).toContain('Second msg');
    expect(second).not.toContain('edge case X');
    // Nothing new for the agent: upstream's poll exits 1.
    expect((await p.wg(['msg', 'poll', 't1', '--agent', 'agent-1'])).exitCode).toBe(1);
  });

  it('test_log_add_no_messages_when_no_agent_id: a person\'s log reads nobody\'s messages', async () => {
    await p.ok(['msg', 'send', 't1', 'Hello']);
    await p.ok(['log', 't1', 'Working']);
    const unread = await p.json<Array<{ body: string }>>(['msg', 'poll', 't1', '--agent', 'agent-1']);
    expect(unread.map((m) => m.body)).toEqual(['Hello']);
  });

  it('test_log_fails_when_not_initialized', async () => {
    const bare = new InProcessProject('wg-log-bare-');
    try {
      for (const args of [['log', 't1', 'message'], ['log', 't1', '--list']]) {
        const result = await bare.wg(args);
        expect(result.exitCode).not.toBe(0);
        expect(result.stderr).toMatch(/^wg: no workgraph at .*\(run 'wg init'\)$/);
      }
    } finally {
      bare.remove();
    }
  });
});
