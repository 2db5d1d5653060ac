import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InProcessProject } from '../helpers/wg-in-process';
import { recordRunsIn } from '../helpers/recorded-runs';

/*
 * Upstream's `--json` fields of `wg agents`, `wg kill AGENT`, `wg kill --all` and `wg dead-agents` (each mode), and
 * `wg agents`' summary line, on the command line: what upstream's scripts read (src/commands/agents.rs output_json and
 * output_table, kill.rs run and run_all, dead_agents.rs run_check, run_cleanup, run_remove_dead, run_purge,
 * run_check_processes). Upstream's own cases are named in their `it` (agents.rs test_list_agents_json, dead_agents.rs
 * test_cleanup_json_output, test_check_finds_dead_agents, test_remove_dead, test_purge_removes_dead_from_registry,
 * test_check_processes, kill.rs test_run_all_empty); upstream's tests only check those calls succeed, so these check
 * the fields they print. This app's own fields (`state`, `killed`'s records, `dead`, `cleaned`, `purged`) stay beside.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-agent-json-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

/** A pid no process has (above the kernel's pid_max): upstream's "not running" PIDs. */
const GONE_PID = 999_999_999;

/**
 * Runs as the coordinator records them (upstream's registry entries). No run id: a kill looks for processes carrying
 * a run's id in their environment, and none here may match another test's.
 */
const recordRuns = async (runs: Parameters<typeof recordRunsIn>[1]): Promise<void> => recordRunsIn(p.root, runs);

type Json = Record<string, unknown>;
const byId = (list: Json[], id: string): Json | undefined => list.find((entry) => entry.id === id);

/** Upstream's uptime_human: the largest unit only (format_duration(secs, true)). */
const UPTIME = /^\d+(s|m|h|d|mo|y)$/;

/** Upstream's setup_with_agents: a working run (this test's own process stands for it), one whose process is gone, one dead. */
async function setupWithAgents(): Promise<void> {
  await p.importTasks([{ id: 'task-1' }, { id: 'task-2' }, { id: 'task-3' }]);
  await recordRuns([
    { id: 'agent-1', task_id: 'task-1', pid: process.pid },
    { id: 'agent-2', task_id: 'task-2', pid: GONE_PID },
    { id: 'agent-3', task_id: 'task-3', state: 'dead', pid: GONE_PID - 1 },
  ]);
}

describe('wg agents --json (upstream agents.rs output_json)', () => {
  it("test_list_agents_json: each run has upstream's status, process_alive, uptime, uptime_secs and output_file", async () => {
    await setupWithAgents();
    const list = await p.json<Json[]>(['agents']);
    expect(Array.isArray(list)).toBe(true);
    for (const run of list) {
      for (const field of ['id', 'task_id', 'executor', 'pid', 'started_at', 'last_heartbeat', 'uptime_secs', 'output_file'])
        expect(run).toHaveProperty(field);
      expect(run.uptime).toMatch(UPTIME);
      expect(typeof run.uptime_secs).toBe('number');
      expect(run.output_file).toBe(join(p.root, '.workgraph', 'runs', run.id as string, 'stdout'));
    }
    // Upstream's effective_status: a working run whose process is gone is "dead (process exited)".
    expect(list.map((run) => [run.id, run.status, run.process_alive])).toEqual([
      ['agent-1', 'working', true],
      ['agent-2', 'dead (process exited)', false],
      ['agent-3', 'dead', false],
    ]);
    // This app's own field stays beside upstream's.
    expect(list.map((run) => run.state)).toEqual(['working', 'dead', 'dead']);
  });

  it('a killed run is "dead" (upstream\'s `wg agents kill` marks it Dead; it has no killed status); a done run is "done"', async () => {
    await p.importTasks([{ id: 'task-1' }, { id: 'task-2' }]);
    await recordRuns([
      { id: 'agent-1', task_id: 'task-1', state: 'killed', pid: GONE_PID },
      { id: 'agent-2', task_id: 'task-2', state: 'done', pid: GONE_PID },
    ]);
    const list = await p.json<Json[]>(['agents']);
    expect(list.map((run) => [run.id, run.state, run.status, run.process_alive])).toEqual([
      ['agent-1', 'killed', 'dead', false],
      ['agent-2', 'done', 'done', false],
    ]);
  });

  it("upstream's summary line: 'N agent(s) total: X alive, Y dead' after the table, or 'N agent(s)' when none is dead", async () => {
    await setupWithAgents();
    expect((await p.ok(['agents'])).trimEnd()).toMatch(/\n\n3 agent\(s\) total: 1 alive, 2 dead$/);
    expect((await p.ok(['agents', '--alive'])).trimEnd()).toMatch(/^ID .*\nagent-1 .*\n\n1 agent\(s\)$/);
  });
});

describe('wg kill --json (upstream kill.rs run, run_all)', () => {
  it("wg kill AGENT: upstream's killed (the agent's id), pid, task_id, force and paused; the run's record as killed_runs", async () => {
    await p.importTasks([{ id: 'task-1', status: 'in-progress', assigned: 'agent-1' }]);
    await recordRuns([{ id: 'agent-1', task_id: 'task-1', pid: GONE_PID }]);
    const json = await p.json<Json>(['kill', 'agent-1']);
    expect(json).toMatchObject({ killed: 'agent-1', pid: GONE_PID, task_id: 'task-1', force: false, paused: true });
    expect((json.killed_runs as Json[]).map((run) => [run.id, run.state])).toEqual([['agent-1', 'killed']]);
  });

  it('wg kill AGENT --force --redispatch: force true, paused false', async () => {
    await p.importTasks([{ id: 'task-1', status: 'in-progress', assigned: 'agent-1' }]);
    await recordRuns([{ id: 'agent-1', task_id: 'task-1', pid: GONE_PID }]);
    const json = await p.json<Json>(['kill', 'agent-1', '--force', '--redispatch']);
    expect(json).toMatchObject({ killed: 'agent-1', pid: GONE_PID, task_id: 'task-1', force: true, paused: false });
  });

  it("wg kill --all: upstream's killed (each run's id, pid, task_id), count, paused and errors", async () => {
    await p.importTasks([
      { id: 'task-1', status: 'in-progress', assigned: 'agent-1' },
      { id: 'task-2', status: 'in-progress', assigned: 'agent-2' },
    ]);
    await recordRuns([
      { id: 'agent-1', task_id: 'task-1', pid: GONE_PID },
      { id: 'agent-2', task_id: 'task-2', pid: GONE_PID - 1 },
    ]);
    const json = await p.json<Json>(['kill', '--all']);
    expect(json).toMatchObject({
      killed: [
        { id: 'agent-1', pid: GONE_PID, task_id: 'task-1' },
        { id: 'agent-2', pid: GONE_PID - 1, task_id: 'task-2' },
      ],
      count: 2,
      paused: true,
      errors: [],
    });
  });

  it("wg kill --tree --json: upstream's errors beside killed_agents (run_tree prints both)", async () => {
    await p.importTasks([{ id: 'task-a', status: 'in-progress', assigned: 'agent-1' }]);
    await recordRuns([{ id: 'agent-1', task_id: 'task-a', pid: GONE_PID }]);
    const json = await p.json<Json>(['kill', '--tree', 'task-a', '--force']);
    expect(json).toMatchObject({ killed_agents: [{ id: 'agent-1', pid: GONE_PID, task_id: 'task-a' }], errors: [] });
  });

  it('test_run_all_empty: --all with no runs prints upstream\'s {"killed": [], "count": 0}', async () => {
    expect(await p.json<Json>(['kill', '--all'])).toMatchObject({ killed: [], count: 0 });
  });
});

describe('wg dead-agents --json (upstream dead_agents.rs)', () => {
  /** Upstream's setup_with_agent_and_task: task-1 in progress under agent-1, whose process is gone (here: how a local run is dead). */
  async function setupWithAgentAndTask(): Promise<void> {
    await p.importTasks([{ id: 'task-1', status: 'in-progress', assigned: 'agent-1' }]);
    await recordRuns([{ id: 'agent-1', task_id: 'task-1', pid: GONE_PID }]);
  }

  const deadAgent = (id: string, task: string) => ({
    id,
    task_id: task,
    pid: GONE_PID,
    last_heartbeat: expect.any(String),
    seconds_since_heartbeat: expect.any(Number),
  });

  it("test_check_finds_dead_agents: the check's threshold_minutes, dead_count and dead_agents; 0 once cleaned up", async () => {
    await setupWithAgentAndTask();
    const json = await p.json<Json>(['dead-agents']);
    // The project's heartbeat_timeout (5 minutes by default), as upstream's check prints it.
    expect(json).toMatchObject({ threshold_minutes: 5, dead_count: 1, dead_agents: [deadAgent('agent-1', 'task-1')] });
    expect(await p.json<Json>(['dead-agents', '--threshold', '30'])).toMatchObject({ threshold_minutes: 30, dead_count: 1 });
    await p.ok(['dead-agents', '--cleanup']);
    // Marked dead now: upstream's check looks only at runs still called alive, as its --cleanup would mark them.
    expect(await p.json<Json>(['dead-agents'])).toMatchObject({ dead_count: 0, dead_agents: [] });
  });

  it("test_cleanup_json_output: upstream's threshold_minutes, dead_agents_marked, tasks_unclaimed, dead_agents and errors", async () => {
    await setupWithAgentAndTask();
    const json = await p.json<Json>(['dead-agents', '--cleanup', '--threshold', '1']);
    expect(json).toMatchObject({
      threshold_minutes: 1,
      dead_agents_marked: 1,
      tasks_unclaimed: ['task-1'],
      dead_agents: [deadAgent('agent-1', 'task-1')],
      errors: [],
    });
    // This app's own fields stay beside them.
    expect(json).toMatchObject({ cleaned: 1, purged: 0 });
  });

  it("--cleanup of a dead run whose task is gone: upstream's error line, and it goes on", async () => {
    await p.importTasks([{ id: 'task-1', status: 'in-progress', assigned: 'agent-1' }]);
    await recordRuns([
      { id: 'agent-1', task_id: 'task-1', pid: GONE_PID },
      { id: 'agent-2', task_id: 'gone-task', pid: GONE_PID - 1 },
    ]);
    const json = await p.json<Json>(['dead-agents', '--cleanup']);
    expect(json).toMatchObject({
      dead_agents_marked: 2,
      tasks_unclaimed: ['task-1'],
      errors: ["Task 'gone-task' not found for dead agent 'agent-2'"],
    });
  });

  it("test_remove_dead: --remove prints upstream's removed", async () => {
    await setupWithAgentAndTask();
    await p.ok(['dead-agents', '--cleanup']);
    expect(await p.json<Json>(['dead-agents', '--remove'])).toMatchObject({ removed: ['agent-1'] });
  });

  it("test_purge_removes_dead_from_registry: --purge prints upstream's purged_from_registry, dirs_deleted and errors", async () => {
    await setupWithAgentAndTask();
    await p.ok(['dead-agents', '--cleanup']);
    expect(await p.json<Json>(['dead-agents', '--purge'])).toMatchObject({
      purged_from_registry: ['agent-1'],
      dirs_deleted: [],
      errors: [],
    });
  });

  it("test_check_processes: --processes prints upstream's alive and dead_process at the top level", async () => {
    await p.importTasks([{ id: 'task-1' }, { id: 'task-2' }]);
    await recordRuns([
      { id: 'agent-1', task_id: 'task-1', pid: process.pid },
      { id: 'agent-2', task_id: 'task-2', pid: GONE_PID },
    ]);
    const json = await p.json<Json>(['dead-agents', '--processes']);
    expect(json).toMatchObject({
      alive: [{ id: 'agent-1', task_id: 'task-1', pid: process.pid }],
      dead_process: [{ id: 'agent-2', task_id: 'task-2', pid: GONE_PID }],
    });
    expect(byId(json.dead_process as Json[], 'agent-1')).toBeUndefined();
  });
});
