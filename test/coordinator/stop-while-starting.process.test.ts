import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPaths } from '../../src/core/project';
import { openCoordinator } from '../../src/core/service/coordinator-service';
import { Store } from '../../src/core/store/store';
import { sleep } from '../service/helpers/daemon-project';
import { markedSleep } from '../helpers/marked-sleep';

/*
 * A coordinator stopped at the moment a run it claimed is starting: the claim has committed, the run's process
 * is being spawned. A stop that kills its agents kills that run too (nothing a run started outlives a kill), and
 * nothing of it is watched once the coordinator is gone and its store closed. The stop is asked for by a
 * listener of the store's commits: at once (before the run's start is begun) or in the next microtask (its
 * start begun, its process being spawned).
 */
const root = mkdtempSync(join(tmpdir(), 'wg-stop-starting-'));
/** A sleep no other process on the machine runs: how the test finds the run's command. */
const sleeper = markedSleep(31);
const MARK = sleeper.mark;

afterAll(() => {
  sleeper.killAll();
  rmSync(root, { recursive: true, force: true });
});

const running = sleeper.running;

describe('a coordinator stopped while a run it claimed starts', () => {
  it.each([
    ['at the commit of its claim', (stop: () => void) => stop()],
    ['while its process is being spawned', (stop: () => void) => queueMicrotask(stop)],
  ])(
    '%s: kills that run with the others and watches nothing of it afterwards',
    async (when, at) => {
      process.env.WG_HOME = join(root, '.home');
      const paths = projectPaths(join(root, when.replaceAll(' ', '-'), '.workgraph'));
      const coordinator = await openCoordinator({ paths, host: 'app' });
      writeFileSync(paths.config, '[coordinator]\nexecutor = "shell"\n');
      let closing: Promise<void> | null = null;
      let stopAsked = false;
      coordinator.store.onCommit(async () => {
        if (stopAsked || !(await coordinator.store.agents.list()).some((a) => a.task_id === 'slow')) return;
        stopAsked = true;
        at(() => {
          closing = coordinator.close({ killAgents: true });
        });
      });
      await coordinator.dispatch('task:add', { title: 'Slow', id: 'slow', exec: `echo started; sleep ${MARK}; echo late` }, 'user');
      for (let i = 0; i < 100 && closing === null; i++) await sleep(50);
      expect(closing, 'the claim committed and the stop began').not.toBeNull();
      await closing;
      // Its process, if it was ever spawned, is gone with the stop (a second look after a moment: a late spawn).
      expect(running()).toEqual([]);
      await sleep(1_500);
      expect(running()).toEqual([]);
      // The task is back in the queue, as a stop that kills its agents leaves it; its run is not left working.
      const store = await Store.open(paths.db);
      try {
        expect(await store.get('slow')).toMatchObject({ status: 'open', assigned: null });
        expect((await store.agents.list()).filter((a) => a.state === 'working')).toEqual([]);
      } finally {
        await store.close();
      }
    },
    30_000,
  );
});
