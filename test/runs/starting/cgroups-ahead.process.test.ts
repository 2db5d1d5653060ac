import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cgroupBase, removeRunCgroup, runCgroupDir } from '../../../src/core/processes/run-cgroup';
import { CgroupsAhead } from '../../../src/core/runs/starting/cgroups-ahead';

/** Run ids unique to this test process (the cgroups are the machine's). */
const TAG = `${process.pid}-${randomBytes(3).toString('hex')}`;
const names = ['started', 'undone', 'young', 'later'].map((name) => `${name}-${TAG}`);
const [started, undone, young, later] = names as [string, string, string, string];
const dir = (runId: string) => runCgroupDir(runId) as string;

afterAll(() => {
  for (const runId of names) removeRunCgroup(dir(runId));
});

describe.skipIf(cgroupBase() === null)("a run's cgroup made as it is claimed", () => {
  it("is there for its start; an undone claim's goes a minute on, at a later claim; a started one's is the start's", async () => {
    const ahead = new CgroupsAhead();
    const now = Date.now();
    ahead.claimed(started, now);
    ahead.claimed(undone, now);
    expect(existsSync(dir(started))).toBe(true);
    expect(existsSync(dir(undone))).toBe(true);
    ahead.starting(started);
    ahead.claimed(young, now + 59_000);
    expect(existsSync(dir(undone))).toBe(true);
    ahead.claimed(later, now + 61_000);
    // Never started: gone. The started run's stays (its start removes it if the run does not begin), and so does the
    // claim made less than a minute before.
    expect(existsSync(dir(undone))).toBe(false);
    expect(existsSync(dir(started))).toBe(true);
    expect(existsSync(dir(young))).toBe(true);
    // The move that readies the joins, after the claims of this go: let it end before the cgroups are removed.
    await new Promise((resolve) => setImmediate(resolve));
  });
});
