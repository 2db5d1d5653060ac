import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadAgentsResult } from '../../src/shared/service-types';
import { processAlive } from '../../src/core/processes/process-group';
import { processesOfRuns } from '../../src/core/processes/run-marker';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * `wg dead-agents` with no coordinator running, for a run whose wrapper was killed (kill -9 on the pid
 * `wg agents` shows) while the command it ran goes on in its process group (audit-26): the run was
 * called dead and `--cleanup` requeued its task while the command still wrote. Now the listing says
 * the command still runs, and the cleanup stops it before the task goes back to the queue.
 */
const p = new DaemonProject('wg-dead-leftovers-');

beforeAll(async () => {
  await p.init();
  await p.ok(['add', 'Long', '--id', 'long', '--executor', 'shell', '--exec', 'sleep 300']);
  await p.start();
});
afterAll(() => p.remove());

const commandRuns = (runId: string) => (processesOfRuns(new Set([runId])).get(runId)?.length ?? 0) > 0;

describe('a dead wrapper whose command still runs', () => {
  it('is listed as such, and --cleanup stops the command before it requeues the task', async () => {
    const agent = await p.waitFor('the run to start', async () =>
      (await p.agentsOf('long')).find((a) => a.state === 'working' && a.pid !== null),
    );
    const runId = (await p.runId(agent.id)) as string;
    await waitFor('sleep to run', () => commandRuns(runId));
    expect((await p.wg(['service', 'stop'])).exitCode).toBe(0);
    process.kill(agent.pid as number, 'SIGKILL');
    await waitFor('the wrapper gone', () => !processAlive(agent.pid as number));
    expect(commandRuns(runId)).toBe(true);

    const listed = await p.json<DeadAgentsResult>(['dead-agents']);
    expect(listed.dead.find((a) => a.id === agent.id)).toMatchObject({
      state: 'dead',
      reason: `process ${agent.pid} is gone, but the command it ran still runs`,
    });
    expect(await p.task('long')).toMatchObject({ status: 'in-progress', assigned: agent.id });
    // The tables say why, as --json does.
    const reason = `process ${agent.pid} is gone, but the command it ran still runs`;
    expect((await p.ok(['dead-agents'])).trim()).toMatch(new RegExp(`^${agent.id}\\s+dead\\s+long\\s.*  ${reason}$`));
    // Its row, before upstream's summary line.
    expect((await p.ok(['agents', '--dead'])).trim()).toMatch(
      new RegExp(`dead: ${reason}\n\n\\d+ agent\\(s\\) total: 0 alive, \\d+ dead$`),
    );

    const cleaned = await p.json<DeadAgentsResult>(['dead-agents', '--cleanup']);
    expect(cleaned.cleaned).toBe(1);
    // Stopped first: nothing of the run is left to work on beside the next one.
    expect(commandRuns(runId)).toBe(false);
    expect(await p.task('long')).toMatchObject({ status: 'open', assigned: null });
    expect((await p.task('long')).log.at(-1)?.message).toBe(
      `Dead agent ${agent.id} cleaned up (process ${agent.pid} is gone, but the command it ran still runs; what it left running was stopped); task requeued`,
    );
  });
});
