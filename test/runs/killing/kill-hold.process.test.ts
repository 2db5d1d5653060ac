import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProject, WG_BIN } from '../../service/helpers/daemon-project';

/**
 * @waits: the run ignores SIGTERM, so a kill of it waits out the 5 s grace.
 *
 * `wg kill --redispatch` holds the task (paused) while its run dies and puts it back in the queue once nothing of the
 * run is left. Interrupted in the middle (Ctrl-C in that grace), it left the task paused for good while the task's log
 * said it was back in the queue; the coordinator, which stops what the run left, releases it now.
 */
const p = new DaemonProject('wg-kill-hold-');
beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--poll-interval', '3600']);
});
afterAll(() => p.remove());

describe.runIf(process.platform === 'linux')('a redispatching kill interrupted in the middle', () => {
  it('leaves the task back in the queue once the coordinator has stopped what the run left', async () => {
    await p.ok(['add', 'Deaf', '--id', 'deaf', '--exec', `trap '' TERM; echo deaf; while :; do sleep 0.2; done`]);
    await p.start();
    const agent = await p.waitFor('the run to start', async () =>
      (await p.agentsOf('deaf')).find((a) => a.state === 'working' && a.pid !== null),
    );
    await p.waitFor('its output', () => p.events(agent.id).some((e) => e.event.type === 'text' && e.event.text === 'deaf'));

    const kill = spawn(process.execPath, [WG_BIN, 'kill', agent.id, '--redispatch'], {
      cwd: p.root,
      env: { ...process.env, ...p.env },
      stdio: 'ignore',
    });
    const ended = new Promise((resolve) => kill.once('exit', resolve));
    await p.waitFor('the run marked killed', async () => (await p.agentsOf('deaf')).find((a) => a.id === agent.id)?.state === 'killed');
    // In the kill's SIGTERM grace, which the run ignores.
    kill.kill('SIGINT');
    await ended;

    // Started again, as --redispatch asks, once the coordinator has stopped the rest of the killed run.
    await p.waitFor('a new run of the task', async () => (await p.agentsOf('deaf')).some((a) => a.id !== agent.id), 30_000);
    expect((await p.task('deaf')).log.map((entry) => entry.message)).toContain(
      `Back in the queue: nothing of ${agent.id}'s killed run is left`,
    );
    await p.ok(['service', 'stop', '--kill-agents']);
  }, 90_000);
});
