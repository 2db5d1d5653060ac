import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg edit` against upstream's own cases (graphwork/workgraph src/commands/edit.rs `mod tests`), each named
 * in its `it`; test_add_after, test_remove_after, test_add_tag and test_cycle_detection_blocks_unconfigured_cycle
 * are in test/cli/upstream-commands.test.ts, with --cron. Run in process through the real command table.
 * Not ported: test_cycle_detection_allows_with_flag (`wg edit --allow-cycle`: a cycle is refused here, docs/upstream.md
 * "Not here").
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-edit-');
  await p.ok(['init']);
  await p.importTasks([
    { id: 'dep1', title: 'Dependency' },
    { id: 'test-task', title: 'Test Task', description: 'Original description', after: ['dep1'], tags: ['tag1'], model: 'claude:sonnet' },
    { id: 'blocker-task', title: 'Blocker Task' },
  ]);
});
afterEach(() => p.remove());

const show = (id: string) => p.json<Task>(['show', id]);
/** Its dependencies' ids (`wg show --json` gives them as upstream's `[{id, status}]`). */
const afterOf = async (id: string) => (await p.json<{ after: Array<{ id: string }> }>(['show', id])).after.map((dep) => dep.id);

describe('wg edit (upstream edit.rs)', () => {
  it('test_edit_title / test_edit_description / test_edit_model', async () => {
    await p.ok(['edit', 'test-task', '--title', 'New Title', '-d', 'New description', '--model', 'claude:opus']);
    expect(await show('test-task')).toMatchObject({ title: 'New Title', description: 'New description', model: 'claude:opus' });
  });

  it('test_remove_tag', async () => {
    await p.ok(['edit', 'test-task', '--remove-tag', 'tag1']);
    expect((await show('test-task')).tags).toEqual([]);
  });

  it('test_task_not_found', async () => {
    const result = await p.wg(['edit', 'nonexistent-task', '--title', 'New Title']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('nonexistent-task');
  });

  it('test_no_changes: an edit that changes nothing is no error', async () => {
    await p.ok(['edit', 'test-task']);
    expect((await show('test-task')).title).toBe('Test Task');
    expect(await afterOf('test-task')).toEqual(['dep1']);
  });

  it('test_self_blocking_rejected', async () => {
    const result = await p.wg(['edit', 'test-task', '--add-after', 'test-task']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('cannot block itself');
    expect(await afterOf('test-task')).toEqual(['dep1']);
  });

  it('test_add_after_clears_agent_assignment: a new dependency clears the identity chosen for the task', async () => {
    await p.importTasks([{ id: 'test-task', agent: 'some-agent-hash' }]);
    await p.ok(['edit', 'test-task', '--add-after', 'blocker-task']);
    const task = await show('test-task');
    expect(task.agent).toBeNull();
    expect(await afterOf('test-task')).toContain('blocker-task');
    expect(task.log.at(-1)?.message).toBe('Agent identity cleared');
  });

  it('test_add_after_abandons_assign_task: its unfinished assignment task is abandoned (the older assign-X too)', async () => {
    await p.importTasks([
      { id: 'assign-test-task', title: 'Assign agent for: Test Task', tags: ['assignment'], before: ['test-task'] },
      { id: 'blocker-2', title: 'Blocker 2' },
      { id: 'other', title: 'Other' },
      { id: '.assign-other', title: 'Assign agent for: Other', status: 'in-progress' },
      { id: '.assign-blocker-2', title: 'Assign agent for: Blocker 2', status: 'done' },
    ]);
    await p.ok(['edit', 'test-task', '--add-after', 'blocker-task']);
    expect((await show('assign-test-task')).status).toBe('abandoned');
    await p.ok(['edit', 'other', '--add-after', 'blocker-2']);
    expect((await show('.assign-other')).status).toBe('abandoned');
    // A finished one is left as it is.
    await p.ok(['edit', 'blocker-2', '--add-after', 'blocker-task']);
    expect((await show('.assign-blocker-2')).status).toBe('done');
  });

  it('test_add_duplicate_dep_does_not_clear_agent', async () => {
    await p.ok(['edit', 'test-task', '--add-after', 'blocker-task']);
    await p.importTasks([{ id: 'test-task', agent: 'some-agent-hash' }]);
    await p.ok(['edit', 'test-task', '--add-after', 'blocker-task']);
    expect((await show('test-task')).agent).toBe('some-agent-hash');
    // Nor does taking one away, or changing anything else.
    await p.ok(['edit', 'test-task', '--remove-after', 'blocker-task', '--title', 'Renamed']);
    expect((await show('test-task')).agent).toBe('some-agent-hash');
  });

  // upstream: `wg edit`'s run prints a line for each change and each list item that changes nothing (its println
  // of each), then "\nTask 'X' updated successfully", or the notes and "No changes made to task 'X'"; all on stdout.
  it("says each change in upstream's words and order, then a blank line and \"Task 'X' updated successfully\"", async () => {
    await p.importTasks([
      { id: 'test-task', agent: 'some-agent-hash' },
      { id: '.assign-test-task', title: 'Assign agent for: Test Task', status: 'open' },
    ]);
    const edit = await p.wg([
      'edit',
      'test-task',
      '--title',
      'New Title',
      '-d',
      'New description',
      '--add-after',
      'blocker-task,dep1',
      '--remove-after',
      'nope',
      '--add-tag',
      'tag1',
      '--add-tag',
      'tag2',
      '--remove-tag',
      'gone',
      '--model',
      'claude:opus',
      '--add-skill',
      'rust',
      '--visibility',
      'public',
      '--not-before',
      '2030-01-01T00:00:00Z',
    ]);
    expect([edit.exitCode, edit.stderr]).toEqual([0, '']);
    expect(edit.stdout.trimEnd().split('\n')).toEqual([
      'Updated title: New Title',
      'Updated description',
      'Added after: blocker-task',
      'Already blocked by: dep1',
      'Not blocked by: nope',
      'Already has tag: tag1',
      'Added tag: tag2',
      'Does not have tag: gone',
      'Updated model: claude:opus',
      'Added skill: rust',
      'Updated visibility: public',
      'Set not_before: 2030-01-01T00:00:00.000Z',
      "Abandoned assignment task '.assign-test-task' (dependencies changed)",
      'Cleared agent assignment (dependencies changed, will re-assign when ready)',
      '',
      "Task 'test-task' updated successfully",
    ]);
    const nothing = await p.wg(['edit', 'test-task', '--add-tag', 'tag2', '--remove-after', 'nope']);
    expect([nothing.stdout.trimEnd().split('\n'), nothing.stderr]).toEqual([
      ['Not blocked by: nope', 'Already has tag: tag2', "No changes made to task 'test-task'"],
      '',
    ]);
    // A delay says the time it sets; --json is the task alone.
    const delayed = await p.ok(['edit', 'test-task', '--delay', '1h']);
    expect(delayed.trimEnd()).toMatch(/^Set not_before: \S+ \(delay 1h\)\n\nTask 'test-task' updated successfully$/);
    expect(await p.json(['edit', 'test-task', '--add-tag', 'tag3'])).not.toHaveProperty('lines');
  });

  // upstream: `wg edit`'s run resets its spawn circuit breaker (`spawn_failures`) on any change, and says so.
  it('an edit resets the spawn failure counter upstream keeps on a task: "Reset spawn failure counter"', async () => {
    await p.importTasks([{ id: 'tripped', title: 'Tripped', spawn_failures: 3 }]);
    const out = await p.ok(['edit', 'tripped', '--title', 'Fixed']);
    expect(out.trimEnd().split('\n')).toEqual([
      'Updated title: Fixed',
      'Reset spawn failure counter',
      '',
      "Task 'tripped' updated successfully",
    ]);
    expect(await show('tripped')).not.toHaveProperty('spawn_failures');
    const line = (await p.ok(['export', '--upstream'])).split('\n').find((l) => l.includes('"id":"tripped"')) as string;
    expect(JSON.parse(line)).not.toHaveProperty('spawn_failures');
    // Nothing to reset: no line.
    expect((await p.ok(['edit', 'tripped', '--title', 'Again'])).trimEnd()).toBe(
      "Updated title: Again\n\nTask 'tripped' updated successfully",
    );
  });

  it("--after that brings a dependency in clears it too (this app's whole-list form of --add-after)", async () => {
    await p.importTasks([{ id: 'test-task', agent: 'some-agent-hash' }]);
    await p.ok(['edit', 'test-task', '--after', 'dep1,blocker-task']);
    expect((await show('test-task')).agent).toBeNull();
  });
});
