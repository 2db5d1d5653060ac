import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesOfRuns } from '../../../src/core/processes/run-marker';
import { DaemonProject, exists, waitFor } from '../../service/helpers/daemon-project';

/**
 * @waits: a stray that ignores SIGTERM is killed after the kill's 5 s grace.
 *
 * A run over in the store whose process still runs (its agent ended while no coordinator watched) is
 * stopped by the next coordinator, even when its only live processes are shells running a line of
 * builtins (no program left): the wrapper and its bash carry the run's marker, by which it is found.
 */
const p = new DaemonProject('wg-stray-');
/** Only builtins: `read -t` on a FIFO opened read-write waits without a child process or a busy loop. */
const LOOP = `fifo=$(mktemp -u); mkfifo "$fifo"; exec 3<>"$fifo"; rm "$fifo"; echo looping; while :; do read -t 5 -u 3 x; done`;

beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--poll-interval', '3600']);
});
afterAll(() => p.remove());

describe.runIf(process.platform === 'linux')('runs that outlived their agent while no coordinator watched', () => {
  it('stops a run whose only live processes are its shells, found by their marker', async () => {
    await p.ok(['add', 'Loop', '--id', 'loop', '--exec', LOOP]);
    await p.start();
    const agent = await p.waitFor('the loop to run', async () =>
      (await p.agentsOf('loop')).find((a) => a.state === 'working' && a.pid !== null),
    );
    const pid = agent.pid as number;
    const runId = (await p.runId(agent.id)) as string;
    await p.waitFor('its output', () => p.events(agent.id).some((e) => e.event.type === 'text' && e.event.text === 'looping'));
    // mktemp and mkfifo have ended: the wrapper and the line's bash alone are left, each with the marker.
    await waitFor('only the shells left', () => (processesOfRuns(new Set([runId])).get(runId) ?? []).length === 2);
    expect(processesOfRuns(new Set([runId])).get(runId)).toContain(pid);

    await p.ok(['service', 'stop']);
    expect(exists(pid)).toBe(true);
    // A person's done while no coordinator watches ends the agent in the store; its process runs on.
    await p.ok(['done', 'loop']);
    expect((await p.agentsOf('loop'))[0]?.state).not.toBe('working');
    expect(exists(pid)).toBe(true);

    await p.start();
    await p.waitFor('the stray run stopped', () => !exists(pid), 20_000);
    expect(readFileSync(p.paths.daemonLog, 'utf8')).toContain('stopping 1 run(s) whose agents had ended while no coordinator watched');
    await p.ok(['service', 'stop']);
  }, 120_000);

  it('a stop while the strays are being killed waits for that kill: nothing of them outlives the coordinator', async () => {
    await p.ok(['add', 'Deaf', '--id', 'deaf', '--exec', `trap '' TERM; ${LOOP}`]);
    await p.start();
    const agent = await p.waitFor('the run to start', async () =>
      (await p.agentsOf('deaf')).find((a) => a.state === 'working' && a.pid !== null),
    );
    const pid = agent.pid as number;
    await p.waitFor('its output', () => p.events(agent.id).some((e) => e.event.type === 'text' && e.event.text === 'looping'));
    await p.ok(['service', 'stop']);
    await p.ok(['done', 'deaf']);

    await p.start();
    await p.waitFor(
      'the stray kill to begin',
      () =>
        readFileSync(p.paths.daemonLog, 'utf8')
          .split('\n')
          .filter((l) => l.includes('whose agents had ended while no coordinator watched')).length === 2,
    );
    // Within the kill's SIGTERM grace, which the run ignores: the stop used to exit and leave it running.
    await p.ok(['service', 'stop']);
    expect(exists(pid)).toBe(false);
  }, 120_000);
});
