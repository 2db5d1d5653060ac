import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry, Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg pause`, `wg resume` and `wg publish` against upstream's own cases (graphwork/workgraph
 * src/commands/pause.rs and resume.rs `mod tests`; upstream's publish is resume.rs's `publish`), each
 * named in its `it`. Run in process through the real command table.
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
  it('test_resume_paused_task_only / test_resume_only_adds_log_entry', async () => {
    await pausedGraph([{ id: 't1', title: 'Test' }]);
    expect(await p.ok(['resume', 't1', '--only'])).toBe("Resumed 't1'");
    expect(await paused('t1')).toBe(false);
    const log = await logOf('t1');
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('resumed');
  });

  it('test_resume_not_paused_fails / test_resume_nonexistent_task_fails', async () => {
    await p.importTasks([{ id: 't1', title: 'Test' }]);
    expect((await p.wg(['resume', 't1'])).stderr).toContain('not paused');
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
  it('test_propagating_resume_unpauses_chain', async () => {
    await pausedGraph([
      { id: 'research', title: 'Research X' },
      { id: 'implement', title: 'Implement X', after: ['research'] },
      { id: 'test-x', title: 'Test X', after: ['implement'] },
    ]);
    expect(await p.ok(['resume', 'research'])).toBe("Resumed 'research' and 2 downstream task(s)");
    for (const id of ['research', 'implement', 'test-x']) expect(await paused(id)).toBe(false);
  });

  it('test_propagating_resume_only_flag_unpauses_single', async () => {
    await pausedGraph([{ id: 'research' }, { id: 'implement', after: ['research'] }]);
    await p.ok(['resume', 'research', '--only']);
    expect(await paused('research')).toBe(false);
    expect(await paused('implement')).toBe(true);
  });

  it('test_propagating_resume_dangling_dep_in_subgraph_fails: names the missing task, un-pauses nothing', async () => {
    await pausedGraph([{ id: 'research' }, { id: 'implement', after: ['research', 'missing-task'] }]);
    const result = await p.wg(['resume', 'research']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('missing-task');
    expect(await paused('research')).toBe(true);
    expect(await paused('implement')).toBe(true);
  });

  it('test_propagating_resume_does_not_affect_unrelated_tasks', async () => {
    await pausedGraph([{ id: 'a' }, { id: 'b', after: ['a'] }, { id: 'unrelated' }]);
    await p.ok(['resume', 'a']);
    expect([await paused('a'), await paused('b'), await paused('unrelated')]).toEqual([false, false, true]);
  });

  it('test_propagating_resume_skips_already_unpaused: a dependent that was not paused gets no log entry', async () => {
    await pausedGraph([{ id: 'a' }]);
    await p.importTasks([{ id: 'b', after: ['a'] }]);
    await p.ok(['resume', 'a']);
    expect([await paused('a'), await paused('b')]).toEqual([false, false]);
    expect(await logOf('b')).toEqual([]);
  });

  it('test_propagating_resume_diamond_shape', async () => {
    await pausedGraph([{ id: 'root' }, { id: 'left', after: ['root'] }, { id: 'right', after: ['root'] }, { id: 'join', after: ['left', 'right'] }]);
    await p.ok(['resume', 'root']);
    for (const id of ['root', 'left', 'right', 'join']) expect(await paused(id)).toBe(false);
  });

  it('test_resume_with_multiple_dangling_deps_lists_all', async () => {
    await pausedGraph([{ id: 't1', after: ['missing-a', 'missing-b'] }]);
    const result = await p.wg(['resume', 't1']);
    expect(result.stderr).toContain('missing-a');
    expect(result.stderr).toContain('missing-b');
  });

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

describe('wg publish (upstream resume.rs publish)', () => {
  it('test_publish_with_dangling_dep_fails', async () => {
    await pausedGraph([{ id: 't1', after: ['missing-task'] }]);
    const result = await p.wg(['publish', 't1']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('structural errors');
    expect(result.stderr).toContain('dangling');
  });

  it('test_publish_with_valid_deps_succeeds / test_publish_no_deps_succeeds', async () => {
    await p.importTasks([{ id: 'dep1' }]);
    await pausedGraph([{ id: 't1', after: ['dep1'] }, { id: 't2' }]);
    await p.ok(['publish', 't1']);
    expect(await paused('t1')).toBe(false);
    expect((await logOf('t1')).at(-1)).toContain('published');
    expect(await p.ok(['publish', 't2'])).toBe("Published 't2' and 0 downstream task(s)");
  });
});
