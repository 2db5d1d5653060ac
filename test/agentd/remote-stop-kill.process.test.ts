import { describe, expect, it } from 'vitest';
import { processAlive } from '../../src/core/processes/process-group';
import { sleep } from '../service/helpers/daemon-project';
import { coordinatorWithDaemon } from './helpers/coordinator-with-daemon';

/**
 * `wg service stop --kill-agents` while an agent daemon runs a job, with a real coordinator and a real `wg agentd`.
 * The stop kills the run and sends its task back to the queue; the remote dispatcher, still taking turns, used to claim
 * it again a few ms later (a new run `working`, its job `assigned` and never sent, as the stop had closed the start
 * gate): the task stayed in progress with no coordinator, and the next start waited a stall timeout for it and counted
 * the lost lease as a retry.
 */
const STALL_S = 3;
const { p, jobs } = coordinatorWithDaemon('stopkill', {
  host: 'box',
  config: ['--stall-timeout', String(STALL_S)],
  env: { MAX_JOBS: '1', CLI_COMMAND: 'sh', CLI_ARGS_TEMPLATE: `-c 'sleep 60'` },
});

describe('wg service stop --kill-agents with a job on an agent daemon', () => {
  it('leaves the task open and unclaimed, with no working run, and the next start burns no retry', async () => {
    await p.ok(['add', 'Remote work', '--id', 'stop-kill', '--executor', 'remote', '--repo', 'acme/app']);
    await p.waitFor('its job running on the daemon', async () => (await jobs('stop-kill'))[0]?.state === 'running');
    const pid = p.daemonPid() as number;
    expect((await p.wg(['service', 'stop', '--kill-agents'])).exitCode).toBe(0);
    expect(processAlive(pid)).toBe(false);

    // As the stop left it: back in the queue, no run working on it, no job held for a daemon.
    expect(await p.task('stop-kill')).toMatchObject({ status: 'open', assigned: null, retry_count: 0 });
    expect((await p.agentsOf('stop-kill')).filter((a) => a.state === 'working')).toEqual([]);
    expect(await p.agentsOf('stop-kill')).toHaveLength(1);
    expect((await jobs('stop-kill')).map((j) => j.state)).toEqual(['cancelled']);

    // The next start finds nothing of this coordinator's to wait for: past a stall timeout, still no retry spent.
    await p.start();
    await sleep((STALL_S + 2) * 1000);
    const task = await p.task('stop-kill');
    expect(task.retry_count).toBe(0);
    expect(task.log.map((l) => l.message).filter((m) => /lease lost|stall timeout/.test(m))).toEqual([]);
    expect((await p.wg(['service', 'stop', '--kill-agents'])).exitCode).toBe(0);
  }, 120_000);
});
