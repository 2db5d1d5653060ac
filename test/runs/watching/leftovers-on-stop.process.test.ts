import { describe, expect, it } from 'vitest';
import { projectLeavingSleeps } from '../../helpers/marked-sleep';

/*
 * A run that finished just before its coordinator stops: what it left running (a child in a session of its own)
 * is stopped with the stop, with or without --kill-agents. Such a child is no agent kept running: its run is
 * over, and nothing a run started outlives its run. The leftovers' own look comes a moment after a run ends, on a
 * timer the exiting daemon never sees fire.
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
      await p.waitFor('the run done', () => p.task(id).status === 'done');
      expect(running()).toHaveLength(1);
      await p.ok(stop);
      expect(running()).toEqual([]);
    },
    30_000,
  );
});
