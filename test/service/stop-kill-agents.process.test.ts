import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { processAlive as alive } from '../../src/core/processes/process-group';
import { processesOfRuns } from '../../src/core/processes/run-marker';
import { DaemonProject } from './helpers/daemon-project';

/**
 * @waits: each run ignores SIGTERM, so its kill waits out the 5 s grace.
 *
 * `wg service stop --kill-agents` says "agents killed": so it must be, even when the coordinator could not do it
 * itself (it did not answer and was sent SIGTERM; it died in the middle of its kill).
 */
const DEAF = `trap '' TERM; echo deaf; while :; do sleep 0.2; done`;

let p: DaemonProject;
afterEach(() => p.remove());

/** Whether any process of the run is left: its wrapper goes at the SIGTERM, the shell that ignores it does not. */
const left = (runId: string) => processesOfRuns(new Set([runId])).has(runId);

async function deafRun(): Promise<string> {
  p = new DaemonProject('wg-stop-kill-');
  await p.init();
  await p.ok(['config', '--poll-interval', '3600']);
  await p.ok(['add', 'Deaf', '--id', 'deaf', '--exec', DEAF]);
  await p.start();
  const agent = await p.waitFor('the run to start', async () =>
    (await p.agentsOf('deaf')).find((a) => a.state === 'working' && a.pid !== null),
  );
  await p.waitFor('its output', () => p.events(agent.id).some((e) => e.event.type === 'text' && e.event.text === 'deaf'));
  return (await p.runId(agent.id)) as string;
}

/** Whether a signal waits for a stopped process (its /proc status's shared pending set). */
function pending(pid: number, signal: number): boolean {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^ShdPnd:\s*([0-9a-f]+)/m);
  return line !== null && (BigInt(`0x${line[1]}`) & (1n << BigInt(signal - 1))) !== 0n;
}

describe.runIf(process.platform === 'linux')('wg service stop --kill-agents', () => {
  it('kills the agents of a coordinator that did not answer and was sent SIGTERM', async () => {
    const runId = await deafRun();
    const daemon = p.daemonPid() as number;
    process.kill(daemon, 'SIGSTOP');
    const stopping = p.wg(['service', 'stop', '--kill-agents']);
    // The stop gave up asking (2 s) and sent SIGTERM, which waits until the coordinator goes on.
    await p.waitFor('SIGTERM sent', () => pending(daemon, 15), 20_000);
    process.kill(daemon, 'SIGCONT');
    const result = await stopping;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('agents killed');
    // Said while it waited, not only after: a stopped process takes the SIGTERM only once continued.
    expect(result.stderr).toContain(`the coordinator (pid ${daemon}) is stopped (SIGSTOP or a debugger) and ends only once continued`);
    expect(left(runId)).toBe(false);
    expect((await p.agentsOf('deaf'))[0]?.state).toBe('killed');
    // As the coordinator's own stop leaves it: back in the queue.
    expect(await p.task('deaf')).toMatchObject({ status: 'open', paused: false });
  }, 60_000);

  it('kills the agents a coordinator that died in the middle of its kill left running', async () => {
    const runId = await deafRun();
    const daemon = p.daemonPid() as number;
    const stopping = p.wg(['service', 'stop', '--kill-agents']);
    // Marked killed before any signal; the run ignores the SIGTERM, and the coordinator dies in its grace.
    await p.waitFor('the run marked killed', async () => (await p.agentsOf('deaf'))[0]?.state === 'killed');
    process.kill(daemon, 'SIGKILL');
    const result = await stopping;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('agents killed');
    expect(left(runId)).toBe(false);
    // Held while its run died, as the coordinator's kill leaves it; released once nothing of it is left.
    expect(await p.task('deaf')).toMatchObject({ status: 'open', paused: false });
  }, 60_000);

  it("stops the runs a coordinator left when none is running (upstream's stop kills nothing then)", async () => {
    const runId = await deafRun();
    // The coordinator dies; its run goes on (a restart would adopt it).
    process.kill(p.daemonPid() as number, 'SIGKILL');
    await p.waitFor('the coordinator gone', () => p.daemonPid() === null || !alive(p.daemonPid() as number));
    expect(left(runId)).toBe(true);
    const result = await p.wg(['service', 'stop', '--kill-agents']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('coordinator is not running; stopped 1 agent run it had left');
    expect(left(runId)).toBe(false);
    expect(await p.task('deaf')).toMatchObject({ status: 'open', paused: false });
    // Nothing left to stop: said so, and the JSON form keeps upstream's key.
    const again = await p.wg(['service', 'stop', '--kill-agents', '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ error: 'Service not running', agents_killed: 0 });
  }, 60_000);
});
