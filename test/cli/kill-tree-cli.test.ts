import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import type { Task, TaskStatus } from '../../src/shared/task';
import { Store } from '../../src/core/store/store';
import { InProcessProject } from '../helpers/wg-in-process';
import { recordRunsIn } from '../helpers/recorded-runs';

/*
 * `wg kill --tree` on the command line, against upstream's own cases: tests/integration_reap_kill_tree.rs (its
 * kill --tree cases; its reap cases are in test/cli/agents-cli.test.ts) and the src/commands/kill.rs `mod tests`
 * cases test/store/upstream-ops-flags.test.ts does not port, each named in its `it`. Upstream's "not found" wording
 * is this app's "task 'x' not found" (exit 3), as for every command.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-kill-tree-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

/** A pid no process has (above the kernel's pid_max): upstream's "PID 999999999 (not running)". */
const GONE_PID = 999_999_999;

/**
 * Runs as the coordinator records them (upstream's registry entries). No run id: a kill looks for processes carrying
 * a run's id in their environment, and none here may match another test's.
 */
const recordRuns = async (runs: Parameters<typeof recordRunsIn>[1]): Promise<void> => recordRunsIn(p.root, runs);

/** A run's record as the store has it (what upstream's tests read from the registry file). */
async function runOf(id: string): Promise<Agent | undefined> {
  const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
  try {
    return await store.agents.find(id);
  } finally {
    await store.close();
  }
}

/** Upstream's build_tree_tasks: task-a (in progress) → task-b (in progress) → task-d, and task-a → task-c. */
const treeTasks = () =>
  p.importTasks([
    { id: 'task-a', status: 'in-progress' },
    { id: 'task-b', status: 'in-progress', after: ['task-a'] },
    { id: 'task-c', after: ['task-a'] },
    { id: 'task-d', after: ['task-b'] },
  ]);

const statuses = async (...ids: string[]): Promise<TaskStatus[]> =>
  Promise.all(ids.map(async (id) => (await p.json<Task>(['show', id])).status));

/** Upstream's register_fake_agents: working runs whose processes are gone. */
const fakeAgents = (taskIds: string[]) =>
  recordRuns(taskIds.map((task_id, i) => ({ id: `agent-${i + 1}`, task_id, pid: GONE_PID, state: 'working' as const })));

describe('wg kill --tree (upstream integration_reap_kill_tree.rs)', () => {
  it('test_kill_tree_abandons_all_tasks_in_tree: every task of the tree abandoned, each naming the root', async () => {
    await treeTasks();
    await fakeAgents(['task-a', 'task-b']);
    const output = await p.ok(['kill', '--tree', 'task-a', '--force']);
    expect(output).toMatch(/abandoned|Abandoned|agent/);
    expect(await statuses('task-a', 'task-b', 'task-c', 'task-d')).toEqual(['abandoned', 'abandoned', 'abandoned', 'abandoned']);
    for (const id of ['task-b', 'task-c', 'task-d']) expect((await p.json<Task>(['show', id])).failure_reason).toContain('task-a');
    // Here the runs' records stay, ended as killed (upstream unregisters them).
    expect([(await runOf('agent-1'))?.state, (await runOf('agent-2'))?.state]).toEqual(['killed', 'killed']);
  });

  it('test_kill_tree_partial_only_affects_downstream: from a task mid-tree, what is upstream of it is left', async () => {
    await treeTasks();
    const output = await p.ok(['kill', '--tree', 'task-b', '--force']);
    expect(await statuses('task-a', 'task-c', 'task-b', 'task-d')).toEqual(['in-progress', 'open', 'abandoned', 'abandoned']);
    expect(output).toMatch(/abandoned|Abandoned/);
  });

  it('test_kill_tree_skips_done_tasks: a done task stays done, and what follows it is still abandoned', async () => {
    await p.importTasks([
      { id: 'task-a', status: 'in-progress' },
      { id: 'task-b', status: 'done', after: ['task-a'] },
      { id: 'task-c', after: ['task-a'] },
      { id: 'task-d', after: ['task-b'] },
    ]);
    await p.ok(['kill', '--tree', 'task-a', '--force']);
    expect(await statuses('task-b', 'task-a', 'task-c', 'task-d')).toEqual(['done', 'abandoned', 'abandoned', 'abandoned']);
  });

  it('test_kill_tree_dry_run_no_side_effects: says what it would do; no task and no run changes', async () => {
    await treeTasks();
    await fakeAgents(['task-a']);
    const output = await p.ok(['kill', '--tree', 'task-a', '--dry-run']);
    expect(output).toMatch(/Dry run|dry_run|Would/);
    expect(await statuses('task-a', 'task-b', 'task-c', 'task-d')).toEqual(['in-progress', 'in-progress', 'open', 'open']);
    expect((await runOf('agent-1'))?.state).toBe('working');
  });

  it('test_kill_tree_no_agent_still_abandons_downstream: no run to kill, the tree is still abandoned', async () => {
    await treeTasks();
    const output = await p.ok(['kill', '--tree', 'task-a', '--force']);
    expect(await statuses('task-a', 'task-b', 'task-c', 'task-d')).toEqual(['abandoned', 'abandoned', 'abandoned', 'abandoned']);
    expect(output).toMatch(/0 agent|Killed 0/);
  });

  it("test_kill_tree_json_output: upstream's root_task and abandoned_tasks", async () => {
    await treeTasks();
    const json = await p.json<Record<string, unknown>>(['kill', '--tree', 'task-a', '--force']);
    expect(json.root_task).toBe('task-a');
    expect(json.abandoned_tasks).toHaveLength(4);
  });

  it("test_kill_tree_dry_run_json_output: upstream's dry_run, root_task and total_tasks_in_tree; nothing changes", async () => {
    await treeTasks();
    const json = await p.json<Record<string, unknown>>(['kill', '--tree', 'task-a', '--dry-run']);
    expect(json).toMatchObject({ dry_run: true, root_task: 'task-a', total_tasks_in_tree: 4 });
    expect(await statuses('task-a')).toEqual(['in-progress']);
  });

  it('test_kill_tree_nonexistent_task_fails', async () => {
    await treeTasks();
    const result = await p.wg(['kill', '--tree', 'nonexistent-task']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe("wg: task 'nonexistent-task' not found");
  });

  it('test_kill_tree_diamond_from_branch: one branch and what joins it; not the root, the other branch or a task apart', async () => {
    await p.importTasks([
      { id: 'root', status: 'in-progress' },
      { id: 'left', status: 'in-progress', after: ['root'] },
      { id: 'right', after: ['root'] },
      { id: 'merge', after: ['left', 'right'] },
      { id: 'standalone' },
    ]);
    await p.ok(['kill', '--tree', 'left', '--force']);
    expect(await statuses('root', 'right', 'left', 'merge', 'standalone')).toEqual([
      'in-progress',
      'open',
      'abandoned',
      'abandoned',
      'open',
    ]);
  });
});

describe('wg kill --tree (upstream kill.rs)', () => {
  it('test_kill_tree_no_downstream_deps: a task nothing depends on is abandoned alone', async () => {
    await p.importTasks([{ id: 'solo', status: 'in-progress' }]);
    await p.ok(['kill', '--tree', 'solo']);
    expect(await statuses('solo')).toEqual(['abandoned']);
  });

  it("test_kill_tree_json_output: the dry run's JSON on upstream's setup_tree_graph", async () => {
    await p.importTasks([
      { id: 'root', status: 'in-progress' },
      { id: 'child-a', status: 'in-progress', after: ['root'] },
      { id: 'child-b', after: ['root'] },
      { id: 'grandchild', after: ['child-a'] },
    ]);
    const json = await p.json<Record<string, unknown>>(['kill', '--tree', 'root', '--dry-run']);
    expect(json).toMatchObject({ dry_run: true, root_task: 'root', total_tasks_in_tree: 4, agents_to_kill: [] });
    expect(json.tasks_to_abandon).toEqual(['child-a', 'child-b', 'grandchild', 'root']);
  });
});
