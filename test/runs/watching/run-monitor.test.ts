import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { RunHandle } from '../../../src/core/processes/kill-runs';
import { RunMonitor, type RunExit } from '../../../src/core/runs/watching/run-monitor';
import { createOutputParser } from '../../../src/core/runs/output';
import { runFiles } from '../../../src/core/run-folder/run-files';
import type { WrapperEnd } from '../../../src/core/runs/starting/launcher';

const root = mkdtempSync(join(tmpdir(), 'wg-run-monitor-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A run that ended (status 0 unless said), its folder as its wrapper leaves it; what the monitor reports of it. */
async function finished(
  name: string,
  handle: RunHandle,
  cgroupNote: string | null,
  end: WrapperEnd = { status: 0, signal: null },
  exitFile = '0\n',
): Promise<{ handle: RunHandle; exit: RunExit }> {
  const files = runFiles(join(root, name));
  mkdirSync(files.dir);
  for (const path of [files.stdout, files.stderr]) writeFileSync(path, '');
  writeFileSync(files.exit, exitFile);
  if (cgroupNote !== null) writeFileSync(files.cgroup, `${cgroupNote}\n`);
  return new Promise((resolve, reject) => {
    let finishedHandle: RunHandle | null = null;
    const monitor = new RunMonitor({
      onEvents: () => undefined,
      onFinished: (h) => (finishedHandle = h),
      onExit: (exit) => (finishedHandle ? resolve({ handle: finishedHandle, exit }) : reject(new Error('exit before finish'))),
      onError: (message) => reject(new Error(message)),
    });
    monitor.watch(name, files, handle, Promise.resolve(end), createOutputParser('plain'));
  });
}

describe("a run's end as the monitor reports it", () => {
  it('names the cgroup the run joined (its folder says so), and none when it did not join the one it was given', async () => {
    const joined = await finished('joined', { pid: 10, runId: 'r1', cgroup: '/sys/fs/cgroup/wg-run-r1' }, '/sys/fs/cgroup/wg-run-r1');
    expect(joined.handle.cgroup).toBe('/sys/fs/cgroup/wg-run-r1');
    expect(joined.exit).toEqual({ agentId: 'joined', code: 0, signal: null, stderrTail: '' });
    const notJoined = await finished('not-joined', { pid: 11, runId: 'r2', cgroup: '/sys/fs/cgroup/wg-run-r2' }, null);
    expect(notJoined.handle.cgroup).toBeNull();
  });

  it('does not look for a cgroup note of a run given no cgroup (no cgroups on this system)', async () => {
    const none = await finished('none', { pid: 12, runId: 'r3', cgroup: null }, '/sys/fs/cgroup/stale');
    expect(none.handle.cgroup).toBeNull();
  });

  // The wrapper's status is its command's, but the file is what a restarted coordinator reads too:
  // made to disagree here only to see that the file is the one read.
  it("takes the command's status from the exit file the wrapper wrote", async () => {
    const told = await finished('from-file', { pid: 13, runId: 'r4', cgroup: null }, null, { status: 0, signal: null }, '3\n');
    expect(told.exit.code).toBe(3);
  });

  it('keeps one poll timer across runs that come and go, holding the process only while a run is watched', async () => {
    const timers: NodeJS.Timeout[] = [];
    const setInterval = vi.spyOn(globalThis, 'setInterval').mockImplementation(((fn: () => void, ms: number) => {
      const timer = globalThis.setTimeout(fn, ms * 1000);
      timers.push(timer);
      return timer;
    }) as typeof globalThis.setInterval);
    try {
      let ended = 0;
      const monitor = new RunMonitor({
        onEvents: () => undefined,
        onFinished: () => undefined,
        onExit: () => ended++,
        onError: (message) => expect.fail(message),
      });
      for (const name of ['burst-1', 'burst-2']) {
        const files = runFiles(join(root, name));
        mkdirSync(files.dir);
        monitor.watch(
          name,
          files,
          { pid: 14, runId: name, cgroup: null },
          Promise.resolve({ status: 0, signal: null }),
          createOutputParser('plain'),
        );
        expect(timers.at(-1)?.hasRef()).toBe(true);
        await vi.waitFor(() => expect(monitor.size).toBe(0));
        expect(timers.at(-1)?.hasRef()).toBe(false);
      }
      expect(ended).toBe(2);
      expect(timers).toHaveLength(1);
      monitor.detachAll();
      for (const timer of timers) clearTimeout(timer);
    } finally {
      setInterval.mockRestore();
    }
  });
});
