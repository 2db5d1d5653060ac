import { describe, expect, it } from 'vitest';
import { projectLeavingSleeps } from '../../helpers/marked-sleep';

/*
 * A run that finished just before its coordinator stops: what it left running (a child in a session of its own)
 * is stopped with the stop, with or without --kill-agents. Such a child is no agent kept running: its run is
 * over, and nothing a run started outlives its run. The leftovers' own look comes a moment after a run ends, on a
 * timer the exiting daemon never sees fire. While the coordinator runs, that look stops them, and the task's log says so
 * (the work such a process was about to do never happens).
 */
/** A sleep no other process on the machine runs: the finished run's child. */
const { project: p, sleeper } = projectLeavingSleeps('wg-leftovers-stop-', 1080);
const MARK = sleeper.mark;

const running = sleeper.running;

describe.runIf(process.platform === 'linux')('a coordinator stopped right after a run finished', () => {
  it.each([
    ['service stop --kill-agents', ['service', 'stop', '--kill-agents']],
    ['service stop', ['service', 'stop']],
  ])(
    '%s: stops what the finished run left running',
    async (name, stop) => {
      const id = name.includes('kill') ? 'killing' : 'plain';
      await p.start(['--executor', 'shell']);
      await p.ok(['add', id, '--id', id, '--exec', `setsid sleep ${MARK} & exit 0`]);
      try {
        await p.waitFor('the run done', async () => (await p.task(id)).status === 'done');
        // Its child is running, unless the leftovers' own look came first (on a loaded machine, before this one).
        const lookedFirst = async () => (await p.task(id)).log.some((e) => /^Stopped what agent-\d+ left running/.test(e.message));
        await p.waitFor('its child running, or stopped already', async () => running().length === 1 || (await lookedFirst()));
        await p.ok(stop);
        expect(running()).toEqual([]);
      } finally {
        // A failed check leaves no coordinator running for the next test.
        await p.wg(['service', 'stop', '--kill-agents']);
      }
    },
    30_000,
  );

  it("while it runs, stops what a finished run left running, and says so in its task's log", async () => {
    await p.start(['--executor', 'shell']);
    await p.ok(['add', 'background', '--id', 'background', '--exec', `setsid sleep ${MARK} & exit 0`]);
    await p.waitFor('the run done', async () => (await p.task('background')).status === 'done');
    await p.waitFor('its leftover stopped', () => running().length === 0);
    await p.waitFor('a line in its log', async () =>
      (await p.task('background')).log.some((e) => /^Stopped what agent-\d+ left running after its run ended/.test(e.message)),
    );
    await p.ok(['service', 'stop']);
  }, 120_000);
});
