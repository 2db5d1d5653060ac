import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupBase } from '../../../src/core/processes/run-cgroup';
import { projectLeavingSleeps } from '../../helpers/marked-sleep';

/*
 * A run that removes its own run folder, and with it the note that its wrapper joined its cgroup, and leaves a
 * child that cleared its environment (`env -i`, so no marker): its cgroup, still populated, says it holds the run,
 * and the child is stopped with the rest of what the run left running.
 */
/** A sleep no other process on the machine runs: the run's child. */
const { project: p, sleeper } = projectLeavingSleeps('wg-run-folder-removed-', 1021);
const MARK = sleeper.mark;

const running = sleeper.running;

describe.runIf(process.platform === 'linux' && cgroupBase() !== null)('a run that removed its own run folder', () => {
  it('has what it left running stopped, found by its populated cgroup', async () => {
    await p.start(['--executor', 'shell']);
    // The run waits for its child to be there before it exits, so the child is surely left behind.
    const started = join(p.root, 'child-started');
    const exec = `rm -rf "$WG_DIR/runs/$WG_AGENT_ID"; env -i setsid /bin/sh -c 'touch "$0"; exec sleep ${MARK}' ${started} & until [ -f ${started} ]; do sleep 0.05; done; exit 3`;
    await p.ok(['add', 'self-removing', '--id', 'self-removing', '--exec', exec]);
    await p.waitFor('the run over', async () => (await p.agentsOf('self-removing')).some((a) => a.state !== 'working'));
    await p.waitFor('its child stopped', () => running().length === 0, 10_000);
    expect(running()).toEqual([]);
    await p.ok(['service', 'stop']);
  }, 120_000);
});
