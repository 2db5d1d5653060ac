import { readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesOfRuns } from '../../../src/core/runs/killing/run-marker';
import { DaemonProject, exists, waitFor } from '../../service/helpers/daemon-project';

/**
 * A run over in the store whose process still runs (its agent ended while no coordinator watched) is
 * stopped by the next coordinator, even when its only live process is the run server's bash job
 * running a line of builtins: that job's environ is the server's, so it carries no run marker, and
 * it is found by its stdout, the run's own output file.
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
  it('stops a run whose only live process is its bash job, which carries no marker', async () => {
    await p.ok(['add', 'Loop', '--id', 'loop', '--exec', LOOP]);
    await p.start();
    const agent = await p.waitFor('the loop to run', () => p.agentsOf('loop').find((a) => a.state === 'working' && a.pid !== null));
    const pid = agent.pid as number;
    const runId = p.runId(agent.id) as string;
    await p.waitFor('its output', () => p.events(agent.id).some((e) => e.event.type === 'text' && e.event.text === 'looping'));
    // mktemp and mkfifo have ended: the job alone is left, without the marker, writing to the run's output file.
    await waitFor('only the job left', () => (processesOfRuns(new Set([runId])).get(runId) ?? []).length === 0);
    expect(readlinkSync(`/proc/${pid}/fd/1`)).toContain(agent.id);
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toContain(`WG_RUN_ID=${runId}`);

    await p.ok(['service', 'stop']);
    expect(exists(pid)).toBe(true);
    // A person's done while no coordinator watches ends the agent in the store; its process runs on.
    await p.ok(['done', 'loop']);
    expect(p.agentsOf('loop')[0]?.state).not.toBe('working');
    expect(exists(pid)).toBe(true);

    await p.start();
    await p.waitFor('the stray run stopped', () => !exists(pid), 20_000);
    expect(readFileSync(p.paths.daemonLog, 'utf8')).toContain('stopping 1 run(s) whose agents had ended while no coordinator watched');
    await p.ok(['service', 'stop']);
  }, 60_000);
});
