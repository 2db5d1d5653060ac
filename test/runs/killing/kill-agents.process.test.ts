import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../src/shared/agent';
import { groupAlive } from '../../../src/core/runs/killing/process-group';
import { DaemonProject, exists, isZombieOrGone, sleep, waitFor } from '../../service/helpers/daemon-project';

/**
 * Agents that fork grandchildren: `wg kill` and `wg service stop --kill-agents` must leave no
 * process behind, and the coordinator must not judge the killed run a second time.
 */
const p = new DaemonProject('wg-kill-');
const pidsFile = (agentId: string) => join(p.root, `${agentId}.pids`);
const forker = `sh -c 'sleep 300 & echo $! >> ${p.root}/$WG_AGENT_ID.pids; sleep 300 & echo $! >> ${p.root}/$WG_AGENT_ID.pids; wait'`;

beforeAll(async () => {
  await p.init();
  await p.ok(['add', 'Forker', '--id', 'forker', '--exec', forker]);
});
afterAll(() => p.remove());

async function runningForker(): Promise<{ agent: Agent; pids: number[] }> {
  const agent = await waitFor('a working agent with a pid', () =>
    p.agentsOf('forker').find((a) => a.state === 'working' && a.pid !== null),
  );
  const pids = await waitFor('two grandchildren', () => {
    if (!existsSync(pidsFile(agent.id))) return null;
    const list = readFileSync(pidsFile(agent.id), 'utf8').trim().split('\n').filter(Boolean).map(Number);
    return list.length >= 2 ? list : null;
  });
  return { agent, pids };
}

/** Nothing of the group runs any more (zombies have exited; a non-reaping init may leave them). */
function allGone(agent: Agent, pids: number[]): boolean {
  return !groupAlive(agent.pid as number) && pids.every(isZombieOrGone);
}

describe('killing agents', () => {
  it('wg kill takes the whole process group down and unclaims the task exactly once', async () => {
    await p.start();
    const { agent, pids } = await runningForker();
    expect(pids.every(exists)).toBe(true);
    await p.ok(['service', 'pause']); // so the unclaimed task is not started again right away

    await p.ok(['kill', agent.id]);
    expect(allGone(agent, pids)).toBe(true);
    // Past the coordinator's grace for signal deaths: it must have stood down, not failed or retried the task.
    await sleep(1500);
    const task = p.task('forker');
    expect(task).toMatchObject({ status: 'open', assigned: null, retry_count: 0, failure_reason: null });
    expect(task.log.filter((l) => l.message.includes('killed; task unclaimed'))).toHaveLength(1);
    expect(task.log.some((l) => l.message.startsWith('Task failed') || l.message.includes('stopped:'))).toBe(false);
    expect(p.agentsOf('forker').map((a) => a.state)).toEqual(['killed']);
  });

  it('wg kill --hold stops the run and pauses the task, so the coordinator does not start it again', async () => {
    await p.ok(['service', 'resume']);
    const { agent, pids } = await runningForker();
    await p.ok(['kill', agent.id, '--hold']);
    expect(allGone(agent, pids)).toBe(true);
    // The coordinator is running and not paused: a requeued task would be started again at once.
    await sleep(1500);
    expect(p.task('forker')).toMatchObject({ status: 'open', paused: true, assigned: null });
    expect(p.agentsOf('forker').filter((a) => a.state === 'working')).toEqual([]);
    expect(p.task('forker').log.some((l) => l.message === `Agent ${agent.id} killed; task unclaimed and held (paused)`)).toBe(true);
    await p.ok(['publish', 'forker']);
  });

  it('wg service stop --kill-agents leaves no agent process behind', async () => {
    const { agent, pids } = await runningForker();
    expect(agent.id).not.toBe(p.agentsOf('forker')[0]?.id);
    const daemon = p.daemonPid() as number;

    await p.ok(['service', 'stop', '--kill-agents']);
    expect(isZombieOrGone(daemon)).toBe(true);
    expect(allGone(agent, pids)).toBe(true);
    expect(p.agentsOf('forker').map((a) => a.state)).toEqual(['killed', 'killed', 'killed']);
    expect(p.task('forker')).toMatchObject({ status: 'open', assigned: null });
  });
});
