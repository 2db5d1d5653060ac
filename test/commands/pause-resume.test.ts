import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry, Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg pause`, `wg resume` and `wg publish` against upstream's own cases (graphwork/workgraph
 * src/commands/pause.rs and resume.rs `mod tests`; upstream's publish is resume.rs's `publish`), each
 * named in its `it`; the rest of resume.rs's are in test/cli/upstream-commands.test.ts. Run in process
 * through the real command table.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-pause-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const task = (id: string) => p.json<Task>(['show', id]);
const paused = async (id: string) => (await task(id)).paused;
const logOf = async (id: string) => (await p.json<LogEntry[]>(['log', id, '--list'])).map((e) => e.message);
/** Paused tasks as upstream's tests make them: `after` lists, no log of their own. */
const pausedGraph = (rows: Array<Record<string, unknown>>) => p.importTasks(rows.map((row) => ({ paused: true, ...row })));

describe('wg pause (upstream pause.rs)', () => {
  it('test_pause_open_task', async () => {
    await p.importTasks([{ id: 't1', title: 'Test' }]);
    await p.ok(['pause', 't1']);
    expect(await task('t1')).toMatchObject({ paused: true, status: 'open' });
  });

  it('test_pause_already_paused_fails: refused, nothing logged', async () => {
    await pausedGraph([{ id: 't1', title: 'Test' }]);
    const result = await p.wg(['pause', 't1']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toBe("wg: Task 't1' is already paused");
    expect(await logOf('t1')).toEqual([]);
  });

  it('test_pause_nonexistent_task_fails', async () => {
    const result = await p.wg(['pause', 'nonexistent']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/nonexistent/);
  });

  it('test_pause_adds_log_entry', async () => {
    await p.importTasks([{ id: 't1', title: 'Test' }]);
    await p.ok(['pause', 't1']);
    const log = await logOf('t1');
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('paused');
  });
});

describe('wg resume --only (upstream resume.rs)', () => {
  it('test_resume_paused_task_only', async () => {
    await pausedGraph([{ id: 't1', title: 'Test' }]);
    expect(await p.ok(['resume', 't1', '--only'])).toBe("Resumed 't1'");
    expect(await paused('t1')).toBe(false);
    const log = await logOf('t1');
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('resumed');
  });

  it('test_resume_nonexistent_task_fails', async () => {
    const missing = await p.wg(['resume', 'nonexistent']);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain('nonexistent');
  });

  it('test_resume_only_with_valid_deps_succeeds', async () => {
    await p.importTasks([{ id: 'dep1', title: 'Dependency' }]);
    await pausedGraph([{ id: 't1', after: ['dep1'] }]);
    await p.ok(['resume', 't1', '--only']);
    expect(await paused('t1')).toBe(false);
  });
});

describe('wg resume, propagating (upstream resume.rs)', () => {
  it("test_propagating_resume_with_before_edges: upstream's `before` names a task downstream", async () => {
    await pausedGraph([{ id: 'seed', before: ['downstream'] }, { id: 'downstream' }]);
    await p.ok(['resume', 'seed']);
    expect([await paused('seed'), await paused('downstream')]).toEqual([false, false]);
  });

  it('test_propagating_resume_cycle_without_max_iterations_fails: refused, nothing un-paused', async () => {
    await pausedGraph([
      { id: 'a', title: 'Task A', after: ['b'] },
      { id: 'b', title: 'Task B', after: ['a'] },
    ]);
    for (const verb of ['resume', 'publish']) {
      const result = await p.wg([verb, 'a']);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain('Cycle without --max-iterations: [a, b]');
      expect([await paused('a'), await paused('b')]).toEqual([true, true]);
    }
  });

  it('test_propagating_resume_cycle_with_max_iterations_succeeds', async () => {
    await pausedGraph([
      { id: 'a', after: ['b'], cycle_config: { max_iterations: 3, restart_on_failure: true } },
      { id: 'b', after: ['a'] },
    ]);
    await p.ok(['resume', 'a']);
    expect([await paused('a'), await paused('b')]).toEqual([false, false]);
  });
});
