import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupBase, cgroupPopulated, removeRunCgroup, runCgroupDir } from '../../../src/core/processes/run-cgroup';
import { waitFor } from '../../service/helpers/daemon-project';
import { projectLeavingSleeps } from '../../helpers/marked-sleep';

/*
 * A coordinator that dies just after a run is settled, before it stopped what the run left running: a child that
 * cleared its environment (`env -i`) carries no marker, and only the run's cgroup holds it. The next coordinator
 * finds it there (a populated cgroup of a run that is over) and stops it; the cgroup sweep alone leaves a populated
 * cgroup be, so it would run for good. The state is made by hand: a finished run, and such a child put into its
 * cgroup while no coordinator runs.
 */
/** A sleep no other process on the machine runs: the settled run's child. */
let cgroup: string | null = null;
const { project: p, sleeper } = projectLeavingSleeps('wg-stray-cgroup-', 1005, async () => {
  if (cgroup) await waitFor('the cgroup removed', () => removeRunCgroup(cgroup as string), 5_000);
});
const MARK = sleeper.mark;

const running = sleeper.running;

describe.runIf(process.platform === 'linux' && cgroupBase() !== null)('a settled run whose cgroup still holds a process', () => {
  it('is stopped by the next coordinator, though that process carries no marker', async () => {
    await p.start(['--executor', 'shell']);
    await p.ok(['add', 'done-run', '--id', 'done-run', '--exec', 'true']);
    await p.waitFor('the run done', async () => (await p.task('done-run')).status === 'done');
    await p.ok(['service', 'stop']);
    const agent = (await p.agentsOf('done-run'))[0];
    const runId = agent ? await p.runId(agent.id) : null;
    expect(runId).not.toBeNull();
    // As the run's wrapper would have left it: its cgroup, with a child that cleared its environment in it.
    cgroup = runCgroupDir(runId as string) as string;
    mkdirSync(cgroup, { recursive: true });
    const child = spawn('sh', ['-c', `echo $$ > ${join(cgroup, 'cgroup.procs')} && exec env -i setsid sleep ${MARK}`], {
      detached: true,
      stdio: 'ignore',
    });
    child.unref();
    await waitFor('the child in the cgroup', () => running().length === 1 && cgroupPopulated(cgroup as string));

    await p.start(['--executor', 'shell']);
    await p.waitFor('the child stopped', () => running().length === 0, 10_000);
    expect(cgroupPopulated(cgroup)).toBe(false);
    await p.ok(['service', 'stop']);
  }, 120_000);
});
