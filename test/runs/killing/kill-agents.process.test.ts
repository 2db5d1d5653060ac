import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../src/shared/agent';
import { groupAlive } from '../../../src/core/processes/process-group';
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
  const agent = await waitFor('a working agent with a pid', async () =>
    (await p.agentsOf('forker')).find((a) => a.state === 'working' && a.pid !== null),
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
  it('wg kill takes the whole process group down, unclaims the task exactly once and pauses it (upstream)', async () => {
    await p.start();
    const { agent, pids } = await runningForker();
    expect(pids.every(exists)).toBe(true);

    await p.ok(['kill', agent.id]);
    expect(allGone(agent, pids)).toBe(true);
    // Past the coordinator's grace for signal deaths: it must have stood down, not failed or retried the task;
    // and the coordinator is running and not paused, so a requeued task would have been started again.
    await sleep(1500);
    const task = await p.task('forker');
    expect(task).toMatchObject({ status: 'open', assigned: null, paused: true, retry_count: 0, failure_reason: null });
    expect(task.log.filter((l) => l.message.includes(`Agent '${agent.id}' killed — task auto-paused`))).toHaveLength(1);
    expect(task.log.some((l) => l.message.startsWith('Task failed') || l.message.includes('stopped:'))).toBe(false);
    expect((await p.agentsOf('forker')).map((a) => a.state)).toEqual(['killed']);
    await p.ok(['resume', 'forker']);
  });

  it('wg kill --redispatch stops the run and leaves the task to the queue: the coordinator starts a fresh run', async () => {
    const { agent, pids } = await runningForker();
    await p.ok(['kill', agent.id, '--redispatch']);
    expect(allGone(agent, pids)).toBe(true);
    await p.waitFor('a fresh run', async () => (await p.agentsOf('forker')).some((a) => a.state === 'working' && a.id !== agent.id));
    expect((await p.task('forker')).paused).toBe(false);
    expect(
      (await p.task('forker')).log.filter((l) => l.message === `Task unclaimed: agent '${agent.id}' was killed (--redispatch)`),
    ).toHaveLength(1);
  });

  it('wg service stop --kill-agents leaves no agent process behind', async () => {
    const { agent, pids } = await runningForker();
    expect(agent.id).not.toBe((await p.agentsOf('forker'))[0]?.id);
    const daemon = p.daemonPid() as number;

    await p.ok(['service', 'stop', '--kill-agents']);
    expect(isZombieOrGone(daemon)).toBe(true);
    expect(allGone(agent, pids)).toBe(true);
    expect((await p.agentsOf('forker')).map((a) => a.state)).toEqual(['killed', 'killed', 'killed']);
    // As upstream's shutdown: back to the queue for the next coordinator, not paused.
    expect(await p.task('forker')).toMatchObject({ status: 'open', assigned: null, paused: false });
  });

  it('wg kill --redispatch starts the next run only once nothing of the killed one is left (it held out its SIGTERM grace)', async () => {
    await p.ok(['pause', 'forker']);
    const starts = join(p.root, 'stubborn.starts');
    // Ignored signals stay ignored across exec: the sleep holds out SIGTERM too, until the SIGKILL after the grace.
    await p.ok(['add', 'Stubborn', '--id', 'stubborn', '--exec', `trap '' TERM; echo "$WG_AGENT_ID" >> ${starts}; sleep 300`]);
    await p.start(['--executor', 'shell']);
    const agent = await waitFor('the stubborn run at work', async () =>
      (await p.agentsOf('stubborn')).find((a) => a.state === 'working' && a.pid !== null),
    );
    const killing = p.ok(['kill', agent.id, '--redispatch']);
    // A kill that failed (or ended before the hold was seen) says so, rather than leaving the wait to time out unexplained.
    let killEnded: unknown = null;
    killing.then(
      (out) => {
        killEnded = `ended: ${out}`;
      },
      (error: unknown) => {
        killEnded = error;
      },
    );
    await waitFor('the task held while its run dies', async () => {
      if ((await p.task('stubborn')).paused) return true;
      if (killEnded !== null)
        throw new Error(`wg kill ${String(killEnded)} before the task was seen held: ${JSON.stringify(await p.task('stubborn'))}`);
      return null;
    });
    // A second inside the 5 s grace: no second run beside the dying one.
    await sleep(1000);
    expect(groupAlive(agent.pid as number)).toBe(true);
    expect(readFileSync(starts, 'utf8').trim().split('\n')).toEqual([agent.id]);
    await killing;
    expect(groupAlive(agent.pid as number)).toBe(false);
    await waitFor('a fresh run', async () => (await p.agentsOf('stubborn')).some((a) => a.state === 'working' && a.id !== agent.id));
    expect((await p.task('stubborn')).paused).toBe(false);
    await p.ok(['service', 'stop', '--kill-agents']);
  });
});
