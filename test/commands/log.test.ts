import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store/store';
import type { RunArchive } from '../../src/shared/agent';
import type { LogEntry } from '../../src/shared/task';
import { makeAgent } from '../fixtures/objects';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg log` against upstream's own cases (graphwork/workgraph src/commands/log.rs `mod tests`), each named
 * in its `it`; the message cases and test_log_list_empty_log are in test/cli/upstream-commands.test.ts. Run in
 * process through the real command table.
 *
 * `wg log --agent` lists a task's runs from their own folders (a run's stdin is its prompt, its stdout its output),
 * where upstream copies each agent's prompt.txt and output.log into `log/agents/<task>/<time>/` at done and fail.
 * Not ported: test_archive_agent_missing_agent_dir_fails (that copy step's error, which upstream's done and fail
 * only warn of; nothing is copied here).
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

  it('test_run_agent_json_output / test_run_agent_no_archives_json / test_archive_agent_copies_prompt_and_output / test_archive_agent_without_prompt / test_archive_agent_multiple_retries_get_separate_dirs', async () => {
    expect(await p.json<RunArchive[]>(['log', 't1', '--agent'])).toEqual([]);
    expect(await p.ok(['log', 't1', '--agent'])).toBe("No agent archives for task 't1'");
    const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
    try {
      await store.core.write(async () => {
        await store.agents.insert(
          makeAgent({ id: 'agent-1', task_id: 't1', state: 'failed', started_at: '2026-01-01T00:01:00.000Z' }),
          null,
        );
        await store.agents.insert(makeAgent({ id: 'agent-2', task_id: 't1', state: 'done', started_at: '2026-01-01T00:02:00.000Z' }), null);
      });
    } finally {
      await store.close();
    }
    const runFolder = (agent: string, files: Record<string, string>) => {
      const folder = join(p.root, '.workgraph', 'runs', agent);
      mkdirSync(folder, { recursive: true });
      for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
    };
    runFolder('agent-1', { stdin: 'Attempt 1 prompt', stdout: 'Attempt 1 output' });
    // A shell task's run is given no prompt.
    runFolder('agent-2', { stdout: 'Shell output' });
    expect(await p.json<RunArchive[]>(['log', 't1', '--agent'])).toEqual([
      { timestamp: '2026-01-01T00:01:00.000Z', agent: 'agent-1', prompt: 'Attempt 1 prompt', output: 'Attempt 1 output' },
      { timestamp: '2026-01-01T00:02:00.000Z', agent: 'agent-2', prompt: null, output: 'Shell output' },
    ]);
    const text = await p.ok(['log', 't1', '--agent']);
    expect(text).toMatch(/^Agent archives for 't1' \(2 attempts\):\n/);
    expect(text).toContain('--- Attempt 2 [2026-01-01T00:02:00.000Z] agent-2 ---\n  Prompt: (none)\n');
  });
});
