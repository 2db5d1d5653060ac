import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphCheck, WhyBlocked } from '../../src/shared/insight';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Phantom edges (a dependency on a task that does not exist) against upstream's cases
 * (graphwork/workgraph tests/integration_phantom_edge.rs), each named in its `it`. Upstream's "graph.jsonl
 * holding the task" is here `wg show --json` and `wg import` of upstream-shaped lines.
 * add_with_typo_suggests_correction, add_paused_with_nonexistent_after_succeeds,
 * add_allow_phantom_with_nonexistent_after_succeeds, edit_add_after_nonexistent_dep_fails and
 * error_message_includes_hints are in test/cli/upstream-commands.test.ts and test/store/upstream-flags.test.ts. Upstream's Rust query
 * `phantom_blockers` is asked here through `wg why-blocked --json`, which reports what it finds.
 */

let p: InProcessProject;
const show = (id: string) => p.json<Task>(['show', id]);
const afterIds = (task: Task) => (task.after as unknown as Array<{ id: string }>).map((d) => d.id);

beforeEach(async () => {
  p = new InProcessProject('wg-phantom-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

describe('wg add and wg edit check --after', () => {
  it('add_with_valid_after_succeeds', async () => {
    await p.importTasks([{ id: 'dep-task', title: 'Dependency' }]);
    expect(await p.ok(['add', 'New Task', '--after', 'dep-task', '--no-place'])).toContain('Added task');
    const added = (await p.json<Task[]>(['list'])).find((t) => t.title === 'New Task');
    expect(added).toBeDefined();
    expect(afterIds(await show(added?.id ?? ''))).toContain('dep-task');
  });

  it('add_with_nonexistent_after_fails: one line, nonzero, nothing added', async () => {
    await p.importTasks([{ id: 'existing', title: 'Existing' }]);
    const result = await p.wg(['add', 'New Task', '--after', 'nonexistent-task-id', '--no-place']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('does not exist');
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect((await p.json<Task[]>(['list'])).map((t) => t.id)).toEqual(['existing']);
  });

  it('edit_add_after_valid_dep_succeeds', async () => {
    await p.importTasks([
      { id: 'task-a', title: 'Task A' },
      { id: 'task-b', title: 'Task B' },
    ]);
    await p.ok(['edit', 'task-a', '--add-after', 'task-b']);
    expect(afterIds(await show('task-a'))).toContain('task-b');
  });

  it('edit_add_after_allow_phantom_succeeds', async () => {
    await p.importTasks([{ id: 'task-a', title: 'Task A' }]);
    await p.ok(['edit', 'task-a', '--add-after', 'ghost', '--allow-phantom']);
    expect(afterIds(await show('task-a'))).toContain('ghost');
  });
});

describe('wg publish checks the dependencies a draft named', () => {
  it('publish_batch_with_cross_refs_works', async () => {
    await p.ok(['add', 'Task A', '--id', 'batch-a', '--paused', '--after', 'batch-b']);
    await p.ok(['add', 'Task B', '--id', 'batch-b', '--paused']);
    await p.ok(['publish', 'batch-a']);
    expect((await show('batch-a')).paused).toBe(false);
  });

  it('publish_with_dangling_ref_fails', async () => {
    await p.ok(['add', 'Dangling Task', '--id', 'dangling', '--paused', '--after', 'never-created']);
    const result = await p.wg(['publish', 'dangling']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('never-created');
    expect((await show('dangling')).paused).toBe(true);
  });
});

describe('a phantom dependency made real, and reported', () => {
  it('retroactive_backlink_repair_on_task_creation', async () => {
    await p.ok(['add', 'Task A', '--id', 'task-a', '--after', 'task-b', '--allow-phantom', '--no-place']);
    await p.ok(['add', 'Task B', '--id', 'task-b', '--no-place']);
    // `wg show --json` gives upstream's `before` as [{id, status}].
    const b = await p.json<{ before: Array<{ id: string }> }>(['show', 'task-b']);
    expect(b.before.map((d) => d.id)).toContain('task-a');
  });

  it('phantom_blockers_query_detects_phantoms / phantom_blockers_query_empty_when_all_deps_exist (through why-blocked)', async () => {
    await p.importTasks([
      { id: 'blocked', title: 'Blocked Task', after: ['real-dep', 'phantom-dep'] },
      { id: 'real-dep', title: 'Real Dep' },
      { id: 'child', title: 'Child', after: ['parent'] },
      { id: 'parent', title: 'Parent' },
    ]);
    const blocked = await p.json<WhyBlocked>(['why-blocked', 'blocked']);
    const phantoms = (blocked.root_blockers as unknown as Array<{ id: string; phantom?: boolean }>).filter((r) => r.phantom);
    expect(phantoms.map((r) => r.id)).toEqual(['phantom-dep']);
    const child = await p.json<WhyBlocked>(['why-blocked', 'child']);
    expect(JSON.stringify(child)).not.toContain('"phantom"');
  });

  it('why_blocked_labels_phantom_deps / why_blocked_json_includes_phantom_field', async () => {
    await p.importTasks([{ id: 'my-task', title: 'My Task', after: ['phantom-blocker'] }]);
    expect(await p.ok(['why-blocked', 'my-task'])).toContain('phantom-blocker (DOES NOT EXIST');
    const json = await p.json<WhyBlocked>(['why-blocked', 'my-task']);
    expect(json.root_blockers).toEqual([{ id: 'phantom-blocker', phantom: true, status: 'DOES NOT EXIST' }]);
  });

  it('check_reports_phantom_edges', async () => {
    await p.importTasks([{ id: 'task-with-phantom', title: 'Task', after: ['nonexistent'] }]);
    const result = await p.wg(['check']);
    expect(result.exitCode).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('task-with-phantom --[after]--> nonexistent (not found)');
    const json = JSON.parse((await p.wg(['check', '--json'])).stdout) as GraphCheck;
    expect(json.orphan_refs).toEqual([{ from: 'task-with-phantom', to: 'nonexistent', relation: 'after' }]);
  });
});
