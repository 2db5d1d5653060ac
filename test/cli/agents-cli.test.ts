import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import type { TaskTrace } from '../../src/shared/history';
import type { DeadAgentsResult } from '../../src/shared/service-types';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';
import { recordRunsIn } from '../helpers/recorded-runs';

/*
 * `wg agents` and `wg dead-agents` on the command line, against the upstream cases no other file ports, each named
 * in its `it`: tests/integration_cli_workflows.rs test_agents_json_empty, src/commands/agents.rs test_get_summary,
 * src/commands/dead_agents.rs test_cleanup_archives_dead_agent_output_for_iteration_history, and the reap cases of
 * tests/integration_reap_kill_tree.rs that `wg dead-agents --purge` answers here (upstream's `wg reap` is not built:
 * docs/upstream.md, "Not here"). The other cases of those files are in test/store/upstream-ops-flags.test.ts and
 * test/cli/kill-tree-cli.test.ts.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-agents-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

/** Pids no process has (above the kernel's pid_max): upstream's "not running" PIDs. */
const GONE_PID = 999_999_999;

/**
 * Runs as the coordinator records them (upstream's registry entries). No run id: a kill looks for processes carrying
 * a run's id in their environment, and none here may match another test's.
 */
const recordRuns = async (runs: Parameters<typeof recordRunsIn>[1]): Promise<void> => recordRunsIn(p.root, runs);

const ids = (agents: readonly Agent[]) => agents.map((a) => a.id).sort();

describe('wg agents --limit', () => {
  it('lists only the newest N runs, with or without a filter', async () => {
    await p.importTasks([{ id: 't1' }]);
    await recordRuns([
      { id: 'agent-1', task_id: 't1', pid: GONE_PID, state: 'done' },
      { id: 'agent-2', task_id: 't1', pid: GONE_PID, state: 'dead' },
      { id: 'agent-10', task_id: 't1', pid: GONE_PID, state: 'dead' },
      { id: 'agent-9', task_id: 't1', pid: GONE_PID, state: 'done' },
    ]);
    expect((await p.json<Agent[]>(['agents', '--limit', '2'])).map((a) => a.id)).toEqual(['agent-9', 'agent-10']);
    expect((await p.json<Agent[]>(['agents', '--dead', '--limit', '1'])).map((a) => a.id)).toEqual(['agent-10']);
    expect(await p.wg(['agents', '--limit', '0'])).toMatchObject({ exitCode: 1, stderr: 'wg: limit must be at least 1' });
  });
});

describe('wg agents (upstream)', () => {
  it('test_agents_json_empty: no run yet, `wg agents --json` is an empty array', async () => {
    await p.importTasks([{ id: 't1' }]);
    expect(await p.json<Agent[]>(['agents'])).toEqual([]);
  });

  it('test_get_summary: every run is counted once, as alive or as dead (a run whose process is gone is dead)', async () => {
    await p.importTasks([{ id: 'task-1' }, { id: 'task-2' }, { id: 'task-3' }]);
    // Upstream's setup_with_agents: working, idle (none here: a run works from its start to its end) and dead.
    // This test's own process stands for a live run's; it is only listed, never signalled.
    await recordRuns([
      { id: 'agent-1', task_id: 'task-1', pid: process.pid },
      { id: 'agent-2', task_id: 'task-2', pid: GONE_PID },
      { id: 'agent-3', task_id: 'task-3', state: 'dead' },
    ]);
    const total = await p.json<Agent[]>(['agents']);
    const alive = await p.json<Agent[]>(['agents', '--alive']);
    const dead = await p.json<Agent[]>(['agents', '--dead']);
    expect(total).toHaveLength(3);
    expect([ids(alive), ids(dead)]).toEqual([['agent-1'], ['agent-2', 'agent-3']]);
    expect(alive.length + dead.length).toBeLessThanOrEqual(total.length);
  });
  it('--dead lists every run the summary counts dead: a killed one too (not "8 dead" there, and none with --dead)', async () => {
    await p.importTasks([{ id: 'task-1' }, { id: 'task-2' }]);
    await recordRuns([
      { id: 'agent-1', task_id: 'task-1', state: 'killed' },
      { id: 'agent-2', task_id: 'task-2', pid: process.pid },
    ]);
    expect((await p.ok(['agents'])).trimEnd().split('\n').at(-1)).toBe('2 agent(s) total: 1 alive, 1 dead');
    expect(ids(await p.json<Agent[]>(['agents', '--dead']))).toEqual(['agent-1']);
    expect(ids(await p.json<Agent[]>(['agents', '--alive']))).toEqual(['agent-2']);
  });
  it("output_table: upstream's header and summary line; an empty list says upstream's words", async () => {
    expect((await p.ok(['agents'])).trim()).toBe('No agents registered.');
    await p.importTasks([{ id: 'task-1' }, { id: 'task-2' }]);
    await recordRuns([
      { id: 'agent-1', task_id: 'task-1', pid: process.pid },
      { id: 'agent-2', task_id: 'task-2', state: 'dead' },
    ]);
    const lines = (await p.ok(['agents'])).trimEnd().split('\n');
    expect(lines[0]?.split(/\s+/)).toEqual(['ID', 'TASK', 'EXECUTOR', 'MODEL', 'PID', 'UPTIME', 'STATUS']);
    expect(lines[1]).toMatch(new RegExp(`^agent-1 +task-1 .* ${process.pid} +\\d+[a-z]+ +working$`));
    // An ended run has no uptime (it would keep growing).
    expect(lines[2]).toMatch(/^agent-2 +task-2 .* - +dead/);
    expect(lines.slice(3)).toEqual(['', '2 agent(s) total: 1 alive, 1 dead']);
    expect((await p.ok(['agents', '--alive', '--dead'])).trim()).not.toBe('');
  });
});

describe('wg dead-agents (upstream)', () => {
  it("test_cleanup_archives_dead_agent_output_for_iteration_history: the dead run's output and prompt stay in the task's history", async () => {
    // Upstream's setup_with_agent_and_task: task-1 in progress under agent-1, whose process is gone.
    await p.importTasks([{ id: 'task-1', status: 'in-progress', assigned: 'agent-1' }]);
    await recordRuns([{ id: 'agent-1', task_id: 'task-1', pid: GONE_PID }]);
    // Upstream archives .wg/agents/<id>/ into log/agents/<task>/<time>/ so the next attempt cannot hide it; a run's
    // files here stay in its own folder, runs/<id>/ (docs/upstream.md), which no later run of the task writes to.
    const runDir = join(p.root, '.workgraph', 'runs', 'agent-1');
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'stdout'), 'claude.ai stream hung mid-response — agent killed');
    writeFileSync(join(runDir, 'stdin'), 'the original task prompt');
    const cleaned = await p.json<DeadAgentsResult>(['dead-agents', '--cleanup']);
    expect(cleaned.cleaned).toBe(1);
    expect(await p.json<Task>(['show', 'task-1'])).toMatchObject({ status: 'open', assigned: null });
    const runs = (await p.json<TaskTrace>(['trace', 'show', 'task-1'])).agent_runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ agent_id: 'agent-1', state: 'dead', prompt: 'the original task prompt' });
    expect(runs[0]?.output).toContain('stream hung');
  });
});

describe("upstream's wg reap cases, as wg dead-agents --purge (upstream integration_reap_kill_tree.rs)", () => {
  it('test_reap_after_kill_tree_cleans_dead_agents: the dead runs are forgotten, the live one stays', async () => {
    await p.importTasks([{ id: 'task-a' }, { id: 'task-b' }, { id: 'task-c' }]);
    // Upstream's live agent is a registry entry marked working; here a working run whose process is gone is dead
    // (and --purge would forget it too), so the live one's process is this test's own: never signalled by a purge.
    await recordRuns([
      { id: 'agent-1', task_id: 'task-a', state: 'dead', pid: GONE_PID },
      { id: 'agent-2', task_id: 'task-b', state: 'dead', pid: GONE_PID - 1 },
      { id: 'agent-3', task_id: 'task-c', pid: process.pid },
    ]);
    expect(await p.json<Agent[]>(['agents'])).toHaveLength(3);
    const purged = await p.json<DeadAgentsResult>(['dead-agents', '--purge']);
    expect(purged.purged).toBe(2);
    expect(ids(await p.json<Agent[]>(['agents']))).toEqual(['agent-3']);
  });

  it('test_kill_tree_then_reap_full_lifecycle: kill --tree, then the dead run of a task no longer in the graph is forgotten', async () => {
    await p.importTasks([
      { id: 'task-a', status: 'in-progress' },
      { id: 'task-b', status: 'in-progress', after: ['task-a'] },
      { id: 'task-c', after: ['task-a'] },
      { id: 'task-d', after: ['task-b'] },
    ]);
    await recordRuns([
      { id: 'agent-1', task_id: 'task-a', pid: GONE_PID },
      { id: 'agent-2', task_id: 'task-b', pid: GONE_PID },
      // A dead run from before, of a task the graph no longer has (collected by `wg gc`, say).
      { id: 'agent-3', task_id: 'some-old-task', state: 'dead', pid: GONE_PID - 10 },
    ]);
    await p.ok(['kill', '--tree', 'task-a', '--force']);
    for (const id of ['task-a', 'task-b']) expect((await p.json<Task>(['show', id])).status).toBe('abandoned');
    // Its task gone, it has nothing to requeue: --cleanup and --purge go on past it (they failed on it before).
    expect((await p.json<DeadAgentsResult>(['dead-agents', '--cleanup'])).cleaned).toBe(0);
    await p.ok(['dead-agents', '--purge']);
    expect(ids(await p.json<Agent[]>(['agents']))).not.toContain('agent-3');
  });
});
