import { sqlText } from '../helpers/sql-text';
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import type { ProjectPaths } from '../../src/core/project';
import type { DeadAgentsResult, KillResult } from '../../src/shared/service-types';
import type { ConfigEntry, ModelRegistry } from '../../src/shared/config-types';
import type { TaskStatus } from '../../src/shared/task';
import type { Agent } from '../../src/shared/agent';
import { makeAgent } from '../fixtures/objects';
import { tempStore } from '../helpers/temp-store';

/*
 * Upstream's flags of kill, dead-agents, config and model, through `dispatch` as every face calls them.
 * Each case names the upstream test it ports where there is one (graphwork/workgraph, the command's `mod tests`).
 */

let temp = await tempStore();
afterEach(async () => {
  await temp.dispose();
  temp = await tempStore();
});

const person = (): OpContext => ({
  store: temp.store,
  paths: {
    dir: temp.dir,
    root: temp.dir,
    config: join(temp.dir, 'config.toml'),
    globalConfig: join(temp.dir, 'global', 'config.toml'),
    serviceDir: join(temp.dir, 'service'),
    runsDir: join(temp.dir, 'runs'),
  } as ProjectPaths,
  actor: 'user',
});

const status = async (id: string): Promise<TaskStatus> => (await temp.store.get(id)).status;

/** Upstream's setup_tree_graph: root and child-a in progress, child-b and grandchild open. */
async function treeGraph(): Promise<void> {
  const add = (id: string, after: string[] = []) => temp.store.tasks.add({ title: id, id, after }, 'user');
  await add('root');
  await add('child-a', ['root']);
  await add('child-b', ['root']);
  await add('grandchild', ['child-a']);
  await temp.store.tasks.claim('root', undefined, 'user', true);
  await temp.store.tasks.claim('child-a', undefined, 'user', true);
}

const kill = (input: Record<string, unknown>) => dispatch('agent:kill', input, person()) as Promise<KillResult>;

/** Upstream's setup_with_agent_and_task: task-1 in progress under agent-1 (a run with no process here). */
async function agentAndTask(): Promise<void> {
  await temp.store.tasks.add({ title: 'Test Task', id: 'task-1' }, 'user');
  await temp.store.agents.insert(makeAgent({ id: 'agent-1', task_id: 'task-1', pid: null }), null, 'run-1');
  await temp.store.tasks.claim('task-1', 'agent-1', 'user', true);
}

const lastLog = async (id: string): Promise<string> => (await temp.store.get(id)).log.at(-1)?.message ?? '';

describe('wg kill (upstream kill.rs)', () => {
  // upstream: src/commands/kill.rs test_unclaim_task_with_pause
  it('test_unclaim_task_with_pause: by default the task is unclaimed and paused, so it is not started again at once', async () => {
    await agentAndTask();
    const result = await kill({ id: 'agent-1' });
    expect(result.paused).toBe(true);
    expect(await temp.store.get('task-1')).toMatchObject({ status: 'open', assigned: null, paused: true });
    expect(await lastLog('task-1')).toContain('auto-paused');
    expect((await temp.store.agents.get('agent-1')).state).toBe('killed');
  });

  // upstream: src/commands/kill.rs test_unclaim_task_with_redispatch
  it('test_unclaim_task_with_redispatch: the task goes back to the queue, not paused', async () => {
    await agentAndTask();
    const result = await kill({ id: 'agent-1', redispatch: true });
    expect(result.paused).toBe(false);
    expect(await temp.store.get('task-1')).toMatchObject({ status: 'open', assigned: null, paused: false });
    expect(await lastLog('task-1')).toContain('--redispatch');
  });

  it('--hold is the default said aloud (the window asks for it by name)', async () => {
    await agentAndTask();
    await kill({ id: 'agent-1', hold: true });
    expect(await temp.store.get('task-1')).toMatchObject({ status: 'open', paused: true });
  });

  // upstream: src/commands/kill.rs test_unclaim_task_not_in_progress
  it('test_unclaim_task_not_in_progress: a task already done stays done and is not paused', async () => {
    await temp.store.tasks.add({ title: 'Done Task', id: 'task-1' }, 'user');
    await temp.store.agents.insert(makeAgent({ id: 'agent-1', task_id: 'task-1', pid: null }), null, 'run-1');
    await sqlText(temp.store.core, "UPDATE tasks SET status = 'done' WHERE id = 'task-1'").run();
    await kill({ id: 'agent-1' });
    expect(await temp.store.get('task-1')).toMatchObject({ status: 'done', paused: false });
  });

  // upstream: src/commands/kill.rs test_run_all_empty
  it('test_run_all_empty: --all with no runs kills nothing and succeeds', async () => {
    expect((await kill({ all: true })).killed).toEqual([]);
  });

  // upstream: src/commands/kill.rs test_kill_agent_not_found
  it('test_kill_agent_not_found', async () => {
    await expect(kill({ id: 'agent-999' })).rejects.toThrow("agent 'agent-999' not found");
  });
});

describe('wg kill --tree (upstream kill.rs)', () => {
  // upstream: src/commands/kill.rs test_kill_tree_dry_run_shows_tree
  it('test_kill_tree_dry_run_shows_tree: says what it would do, changes nothing', async () => {
    await treeGraph();
    const result = await kill({ id: 'root', tree: true, dryRun: true });
    expect(result.tree).toMatchObject({ root: 'root', dry_run: true, tasks: ['child-a', 'child-b', 'grandchild', 'root'] });
    expect(result.tree?.abandoned.sort()).toEqual(['child-a', 'child-b', 'grandchild', 'root']);
    expect(await Promise.all(['root', 'child-a', 'child-b', 'grandchild'].map(status))).toEqual([
      'in-progress',
      'in-progress',
      'open',
      'open',
    ]);
  });

  // upstream: src/commands/kill.rs test_kill_tree_abandons_all_downstream
  it('test_kill_tree_abandons_all_downstream', async () => {
    await treeGraph();
    await kill({ id: 'root', tree: true });
    expect(await Promise.all(['root', 'child-a', 'child-b', 'grandchild'].map(status))).toEqual([
      'abandoned',
      'abandoned',
      'abandoned',
      'abandoned',
    ]);
    expect((await temp.store.get('child-a')).failure_reason).toContain('root');
  });

  // upstream: src/commands/kill.rs test_kill_tree_no_abandon_leaves_tasks_unchanged
  it('test_kill_tree_no_abandon_leaves_tasks_unchanged', async () => {
    await treeGraph();
    await kill({ id: 'root', tree: true, noAbandon: true });
    expect(await Promise.all(['root', 'child-a', 'child-b', 'grandchild'].map(status))).toEqual([
      'in-progress',
      'in-progress',
      'open',
      'open',
    ]);
  });

  // upstream: src/commands/kill.rs test_kill_tree_skips_already_terminal_tasks, test_kill_tree_diamond_dependency
  it('test_kill_tree_skips_already_terminal_tasks, test_kill_tree_diamond_dependency', async () => {
    await temp.store.tasks.add({ title: 'root', id: 'root' }, 'user');
    await temp.store.tasks.add({ title: 'a', id: 'a', after: ['root'] }, 'user');
    await temp.store.tasks.add({ title: 'b', id: 'b', after: ['root'] }, 'user');
    await temp.store.tasks.add({ title: 'merge', id: 'merge', after: ['a', 'b'] }, 'user');
    await temp.store.tasks.add({ title: 'done child', id: 'done-child', after: ['root'] }, 'user');
    await sqlText(temp.store.core, "UPDATE tasks SET status = 'done' WHERE id = 'done-child'").run();
    const result = await kill({ id: 'root', tree: true });
    expect(result.tree?.tasks).toEqual(['a', 'b', 'done-child', 'merge', 'root']);
    expect(await Promise.all(['root', 'a', 'b', 'merge', 'done-child'].map(status))).toEqual([
      'abandoned',
      'abandoned',
      'abandoned',
      'abandoned',
      'done',
    ]);
  });

  // upstream: src/commands/kill.rs test_kill_tree_task_not_found
  it('test_kill_tree_task_not_found; --dry-run and --no-abandon without --tree, --hold with --redispatch: refused', async () => {
    await expect(kill({ id: 'nonexistent', tree: true })).rejects.toThrow("task 'nonexistent' not found");
    await expect(kill({ id: 'agent-1', dryRun: true })).rejects.toThrow('--dry-run and --no-abandon go with --tree TASK');
    await expect(kill({ id: 'agent-1', hold: true, redispatch: true })).rejects.toThrow('not both');
  });

  it("kills the runs in the tree: their rows end as killed, in the same write as the tasks' abandonment", async () => {
    await treeGraph();
    await temp.store.agents.insert(makeAgent({ id: 'agent-1', task_id: 'child-a', pid: null }), null, 'run-1');
    const result = await kill({ id: 'root', tree: true });
    expect(result.killed.map((a) => [a.id, a.state])).toEqual([['agent-1', 'killed']]);
    expect(await status('child-a')).toBe('abandoned');
  });
});

const dead = (input: Record<string, unknown>) => dispatch('agent:dead', input, person()) as Promise<DeadAgentsResult>;

describe('wg dead-agents (upstream dead_agents.rs)', () => {
  // upstream: src/commands/dead_agents.rs test_check_processes
  it("test_check_processes: each working local run's process, running or gone", async () => {
    await temp.store.tasks.add({ title: 't', id: 't' }, 'user');
    await temp.store.tasks.add({ title: 'u', id: 'u' }, 'user');
    await temp.store.agents.insert(makeAgent({ id: 'agent-1', task_id: 't', pid: process.pid }), null, 'run-1');
    // A pid no process has (above the kernel's pid_max).
    await temp.store.agents.insert(makeAgent({ id: 'agent-2', task_id: 'u' }), null, 'run-2');
    await temp.store.core.write((rev) =>
      temp.store.agents.setPids(
        [
          ['agent-1', process.pid],
          ['agent-2', 99_999_999],
        ],
        rev,
      ),
    );
    const result = await dead({ processes: true });
    expect(result.processes?.dead_process.map((a) => a.id)).toEqual(['agent-2']);
    expect((await temp.store.agents.get('agent-2')).state).toBe('working');
  });

  /**
   * Upstream's setup_with_agent_and_task: task-1 in progress under agent-1, which is dead. Upstream judges it by an
   * old heartbeat; here a local run is dead when its process is gone (a pid no process has, above pid_max).
   */
  async function deadAgentAndTask(): Promise<void> {
    await temp.store.tasks.add({ title: 'Test Task', id: 'task-1' }, 'user');
    await temp.store.agents.insert(makeAgent({ id: 'agent-1', task_id: 'task-1', pid: null }), null, 'run-1');
    await temp.store.core.write((rev) => temp.store.agents.setPids([['agent-1', 99_999_999]], rev));
    await temp.store.tasks.claim('task-1', 'agent-1', 'user', true);
  }

  /** Upstream's live agent: a run whose process runs (this test's own). */
  async function liveAgent(): Promise<void> {
    await temp.store.tasks.add({ title: 'Live', id: 'live' }, 'user');
    await temp.store.agents.insert(makeAgent({ id: 'agent-2', task_id: 'live', pid: null }), null, 'run-2');
    await temp.store.core.write((rev) => temp.store.agents.setPids([['agent-2', process.pid]], rev));
  }

  // upstream: src/commands/dead_agents.rs test_check_finds_dead_agents
  it('test_check_finds_dead_agents: lists the dead run and changes nothing', async () => {
    await deadAgentAndTask();
    const result = await dead({});
    expect(result.dead.map((a) => a.id)).toEqual(['agent-1']);
    expect(result.cleaned).toBe(0);
    expect(await temp.store.get('task-1')).toMatchObject({ status: 'in-progress', assigned: 'agent-1' });
  });

  // upstream: src/commands/dead_agents.rs test_cleanup_marks_dead_and_unclaims, test_cleanup_json_output
  it('test_cleanup_marks_dead_and_unclaims: --cleanup marks the run dead and requeues its task', async () => {
    await deadAgentAndTask();
    const result = await dead({ cleanup: true });
    expect(result.dead.map((a) => a.id)).toEqual(['agent-1']);
    expect(result.cleaned).toBe(1);
    expect((await temp.store.agents.get('agent-1')).state).toBe('dead');
    expect(await temp.store.get('task-1')).toMatchObject({ status: 'open', assigned: null });
    // What --json prints is this result as it is.
    expect(JSON.parse(JSON.stringify(result)).dead[0].id).toBe('agent-1');
  });

  // upstream: src/commands/dead_agents.rs test_task_log_entry_on_unclaim
  it('test_task_log_entry_on_unclaim: the task log says the run was dead and names it', async () => {
    await deadAgentAndTask();
    await dead({ cleanup: true });
    const last = (await temp.store.get('task-1')).log.at(-1)?.message ?? '';
    expect(last).toMatch(/dead/i);
    expect(last).toContain('agent-1');
  });

  // upstream: src/commands/dead_agents.rs test_no_dead_agents, test_cleanup_no_dead_agents
  it('test_no_dead_agents, test_cleanup_no_dead_agents: a live run is not listed, and --cleanup leaves it', async () => {
    await liveAgent();
    expect((await dead({})).dead).toEqual([]);
    const cleaned = await dead({ cleanup: true });
    expect(cleaned).toMatchObject({ dead: [], cleaned: 0 });
    expect((await temp.store.agents.get('agent-2')).state).toBe('working');
  });

  // upstream: src/commands/dead_agents.rs test_purge_removes_dead_from_registry, test_purge_no_dead_agents
  it('test_purge_removes_dead_from_registry, test_purge_no_dead_agents: --purge forgets the dead, not the live', async () => {
    await liveAgent();
    expect((await dead({ purge: true })).purged).toBe(0);
    await deadAgentAndTask();
    await dead({ cleanup: true });
    const purged = await dead({ purge: true });
    expect(purged.purged).toBe(1);
    expect(purged.dirs_deleted ?? []).toEqual([]);
    expect(await temp.store.agents.find('agent-1')).toBeUndefined();
    expect((await temp.store.agents.get('agent-2')).state).toBe('working');
  });

  // upstream: src/commands/dead_agents.rs test_purge_with_delete_dirs, test_remove_dead
  it('test_purge_with_delete_dirs, test_remove_dead: --remove forgets the dead runs, --delete-dirs their folders too', async () => {
    await temp.store.tasks.add({ title: 't', id: 't' }, 'user');
    await temp.store.agents.insert(
      makeAgent({ id: 'agent-1', task_id: 't', state: 'dead', ended_at: '2026-01-01T00:02:00.000Z' }),
      null,
      'run-1',
    );
    mkdirSync(join(temp.dir, 'runs', 'agent-1'), { recursive: true });
    writeFileSync(join(temp.dir, 'runs', 'agent-1', 'output.log'), 'x');
    await expect(dead({ deleteDirs: true })).rejects.toThrow('--delete-dirs needs --purge');
    const result = await dead({ purge: true, deleteDirs: true });
    expect(result).toMatchObject({ purged: 1, dirs_deleted: ['agent-1'] });
    expect(existsSync(join(temp.dir, 'runs', 'agent-1'))).toBe(false);
    await temp.store.agents.insert(
      makeAgent({ id: 'agent-2', task_id: 't', state: 'dead', ended_at: '2026-01-01T00:02:00.000Z' }),
      null,
      'run-2',
    );
    expect((await dead({ remove: true })).purged).toBe(1);
    expect(await temp.store.agents.find('agent-2')).toBeUndefined();
  });
});

const agents = (input: Record<string, unknown>) => dispatch('agent:list', input, person()) as Promise<Agent[]>;

describe('wg agents (upstream agents.rs)', () => {
  /**
   * Upstream's setup_with_agents, in this store's states (no idle run here: a run works from its start to its end):
   * agent-1 working with a live process, agent-3 marked dead, agent-4 called working but its process gone.
   */
  async function withAgents(): Promise<void> {
    for (const id of ['task-1', 'task-3', 'task-4']) await temp.store.tasks.add({ title: id, id }, 'user');
    await temp.store.agents.insert(makeAgent({ id: 'agent-1', task_id: 'task-1', pid: null }), null, 'run-1');
    await temp.store.agents.insert(
      makeAgent({ id: 'agent-3', task_id: 'task-3', state: 'dead', ended_at: '2026-01-01T00:02:00.000Z' }),
      null,
      'run-3',
    );
    await temp.store.agents.insert(makeAgent({ id: 'agent-4', task_id: 'task-4', pid: null }), null, 'run-4');
    await temp.store.core.write((rev) =>
      temp.store.agents.setPids(
        [
          ['agent-1', process.pid],
          ['agent-4', 99_999_999],
        ],
        rev,
      ),
    );
  }
  const ids = (list: Agent[]) => list.map((a) => a.id).sort();

  // upstream: src/commands/agents.rs test_list_agents, test_list_agents_json, test_empty_registry
  it('test_list_agents, test_list_agents_json, test_empty_registry: every run, or none', async () => {
    expect(await agents({})).toEqual([]);
    await withAgents();
    expect(ids(await agents({}))).toEqual(['agent-1', 'agent-3', 'agent-4']);
  });

  // upstream: src/commands/agents.rs test_list_alive_only, test_effective_status_alive_process
  it('test_list_alive_only, test_effective_status_alive_process: a run whose process is gone is not alive', async () => {
    await withAgents();
    expect(ids(await agents({ alive: true }))).toEqual(['agent-1']);
  });

  // upstream: src/commands/agents.rs test_list_dead_only, test_effective_status_dead_process, test_effective_status_registry_dead
  it('test_list_dead_only, test_effective_status_dead_process, test_effective_status_registry_dead', async () => {
    await withAgents();
    const list = await agents({ dead: true });
    expect(ids(list)).toEqual(['agent-3', 'agent-4']);
    // Found dead by its process, said so, and nothing written: the store still calls it working.
    expect(list.find((a) => a.id === 'agent-4')?.reason).toContain('is gone');
    expect((await temp.store.agents.get('agent-4')).state).toBe('working');
  });

  // upstream: src/commands/agents.rs test_list_working_only
  it('test_list_working_only', async () => {
    await withAgents();
    expect(ids(await agents({ working: true }))).toEqual(['agent-1']);
  });
});

const config = (input: Record<string, unknown>) => dispatch('config:update', input, person()) as Promise<ConfigEntry[]>;
const model = <T>(name: string, input: Record<string, unknown>) => dispatch(name as 'model:add', input, person()) as Promise<T>;

describe('wg config and wg model (upstream config_cmd.rs, model_cmd.rs)', () => {
  it('--role-model ROLE=MODEL routes a role; a model not registered is refused and nothing is written', async () => {
    await expect(config({ roleModel: { evaluator: 'no-such-model' } })).rejects.toThrow("model 'no-such-model'");
    expect(existsSync(person().paths.config)).toBe(false);
    await config({ roleModel: { evaluator: 'haiku' } });
    expect(readFileSync(person().paths.config, 'utf8')).toMatch(/\[roles\][^[]*evaluator = "haiku"/);
  });

  it('--global with --local is refused; --install-global copies the project config, replacing one only with --force', async () => {
    await expect(config({ global: true, local: true, maxAgents: 3 })).rejects.toThrow('not both');
    await expect(config({ installGlobal: true })).rejects.toThrow('no project config');
    await config({ maxAgents: 3 });
    await config({ installGlobal: true });
    expect(readFileSync(person().paths.globalConfig, 'utf8')).toContain('max_agents = 3');
    await config({ maxAgents: 5 });
    await expect(config({ installGlobal: true })).rejects.toThrow('--force replaces it');
    await config({ installGlobal: true, force: true });
    expect(readFileSync(person().paths.globalConfig, 'utf8')).toContain('max_agents = 5');
  });

  it("model add without --model-id uses the name (upstream's default); --global writes the user's config", async () => {
    const added = await model<{ model_id: string }>('model:add', { name: 'my-gpt', provider: 'openai' });
    expect(added.model_id).toBe('my-gpt');
    await model('model:add', { name: 'shared', provider: 'openai', modelId: 'gpt-x', global: true });
    expect(readFileSync(person().paths.globalConfig, 'utf8')).toContain('[models.shared]');
    expect(readFileSync(person().paths.config, 'utf8')).not.toContain('[models.shared]');
  });

  // upstream: src/commands/models.rs remove_registry_entry (refuses a model still referenced unless --force)
  it('model remove refuses a model the default or a role still names, unless --force', async () => {
    // Anthropic's: the evaluator runs with Claude Code here, so an openai model is refused as its route.
    await model('model:add', { name: 'mine', provider: 'anthropic' });
    await model('model:setRole', { role: 'evaluator', name: 'mine' });
    await expect(model('model:remove', { name: 'mine' })).rejects.toThrow("Cannot remove 'mine': referenced by role evaluator");
    expect((await model<ModelRegistry>('model:list', {})).models.some((m) => m.name === 'mine')).toBe(true);
    await model('model:remove', { name: 'mine', force: true });
    expect((await model<ModelRegistry>('model:list', {})).models.some((m) => m.name === 'mine')).toBe(false);
  });

  it('model list --tier keeps the models of that tier', async () => {
    const registry = await model<ModelRegistry>('model:list', { tier: 'fast' });
    expect(registry.models.length).toBeGreaterThan(0);
    expect(registry.models.every((m) => m.tier === 'fast')).toBe(true);
  });
});

describe('wg worktree gc --older', () => {
  it('refuses a span that is not one, in one line', async () => {
    await expect(dispatch('worktree:gc', { older: 'soon' }, person())).rejects.toThrow('older must be a duration like 7d');
  });
});
