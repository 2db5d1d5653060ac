import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store/store';
import type { Agent } from '../../src/shared/agent';
import { makeAgent } from '../fixtures/objects';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg heartbeat` against upstream's own cases (graphwork/workgraph src/commands/heartbeat.rs `mod tests`), each
 * named in its `it`; test_check_agents_empty, test_check_agents_with_active and test_check_agents_json are in
 * test/store/upstream-flags.test.ts. Run in process through the real command table.
 *
 * Not ported: test_is_agent_id, a Rust helper; what it decides (only a run is given a heartbeat) is
 * test_heartbeat_non_agent_fails here.
 */

let p: InProcessProject;
const RUN_ID = 'run-of-agent-1';
/** What an agent's tool calls carry (the coordinator sets it for its run). */
const RUN_ENV = { WG_AGENT_ID: 'agent-1', WG_RUN_ID: RUN_ID, WG_TASK_ID: 'test-task' };
beforeEach(async () => {
  p = new InProcessProject('wg-heartbeat-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

/** A working run of this project, as upstream's setup_with_agent registers agent-1 on test-task (its run id RUN_ID). */
async function registerAgent(): Promise<void> {
  await p.importTasks([{ id: 'test-task', status: 'in-progress', assigned: 'agent-1' }]);
  const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
  try {
    await store.core.write(() =>
      store.agents.insert(makeAgent({ id: 'agent-1', task_id: 'test-task', last_heartbeat: '2026-01-01T00:01:00.000Z' }), null, RUN_ID),
    );
  } finally {
    await store.close();
  }
}

const lastHeartbeat = async (id: string) => (await p.json<Agent[]>(['agents'])).find((agent) => agent.id === id)?.last_heartbeat;

describe('wg heartbeat (upstream heartbeat.rs)', () => {
  it("test_agent_heartbeat / test_run_auto_with_agent: the run's last_heartbeat moves to now", async () => {
    await registerAgent();
    const before = Date.now();
    expect(await p.ok(['heartbeat', 'agent-1'])).toMatch(/^Agent heartbeat recorded for 'agent-1' at \S+$/);
    const recorded = Date.parse((await lastHeartbeat('agent-1')) ?? '');
    expect(recorded).toBeGreaterThanOrEqual(before - 1000);
  });

  it('test_agent_heartbeat_unknown: one line, nonzero, nothing changed', async () => {
    await registerAgent();
    const result = await p.wg(['heartbeat', 'agent-999']);
    expect([result.exitCode, result.stderr]).toEqual([3, "wg: agent 'agent-999' not found"]);
    expect(await lastHeartbeat('agent-1')).toBe('2026-01-01T00:01:00.000Z');
  });

  it('test_heartbeat_non_agent_fails / test_run_auto_with_non_agent_fails: a name that is no run is refused', async () => {
    for (const id of ['test-agent', 'erik']) {
      const result = await p.wg(['heartbeat', id]);
      expect(result.exitCode, id).not.toBe(0);
      expect(result.stderr, id).toBe(`wg: agent '${id}' not found`);
    }
  });

  it('from inside a run, without an argument: the run\'s own heartbeat (it said "not for undefined")', async () => {
    await registerAgent();
    const before = Date.now();
    const result = await p.wg(['heartbeat'], RUN_ENV);
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^Agent heartbeat recorded for 'agent-1' at \S+$/);
    expect(Date.parse((await lastHeartbeat('agent-1')) ?? '')).toBeGreaterThanOrEqual(before - 1000);
  });

  it("from inside a run, --check or another run's id is refused in one line, and nothing changes", async () => {
    await registerAgent();
    expect(await p.wg(['heartbeat', '--check'], RUN_ENV)).toMatchObject({
      exitCode: 1,
      stderr: "wg: a run sends heartbeats for itself (agent-1); checking every run's is for people",
    });
    expect(await p.wg(['heartbeat', 'agent-2'], RUN_ENV)).toMatchObject({
      exitCode: 1,
      stderr: 'wg: a run may send heartbeats only for itself (agent-1), not for agent-2',
    });
    expect(await lastHeartbeat('agent-1')).toBe('2026-01-01T00:01:00.000Z');
  });

  it('from the environment of a run the graph does not have, one line saying so', async () => {
    const result = await p.wg(['heartbeat'], { ...RUN_ENV, WG_AGENT_ID: 'agent-7' });
    expect([result.exitCode, result.stderr]).toEqual([3, "wg: agent 'agent-7' not found"]);
  });

  it('test_check_agents_no_agents', async () => {
    expect(await p.ok(['heartbeat', '--check'])).toBe('Agent heartbeat status (threshold: 5 minutes):\n\nNo agents registered.');
  });
});
