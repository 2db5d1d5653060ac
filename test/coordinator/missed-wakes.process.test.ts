import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/shared/run-event';
import { Engine } from '../../src/core/coordinator/engine';
import { projectPaths } from '../../src/core/project';
import { defaultWgCommand } from '../../src/core/runs/starting/bundled-files';
import { openCoordinator } from '../../src/core/service/coordinator-service';
import { pokeCoordinator } from '../../src/core/connecting/coordinator-poke';
import { Store } from '../../src/core/store/store';
import { until } from '../helpers/until';
import { markedSleep } from '../helpers/marked-sleep';

/*
 * A ready task is started at once, not at the safety net's next look (an hour here), in two cases where nothing
 * else would wake the coordinator:
 * - another process's commit whose notice reads as known, because a commit of the coordinator's own that wakes nothing
 *   by itself (a run's first figures, recorded outside a turn) came between it and its notice;
 * - a turn that claimed nothing because the coordinator's lease was not sure to hold (a team's graph): the renewal
 *   looks again.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-missed-wakes-'));
/** A sleep no other process on the machine runs: the working run, stopped with its coordinator. */
const sleeper = markedSleep(59);
const MARK = sleeper.mark;
const HOUR = 3600;

afterAll(() => {
  sleeper.killAll();
  rmSync(root, { recursive: true, force: true });
});

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** One round of the event loop's check phase: a turn woken before it has been taken. */
const turnTaken = () => new Promise((resolve) => setImmediate(resolve));

describe('a coordinator wakes for a ready task', () => {
  it("another process adds while the coordinator records a run's first figures, both before it hears of the add", async () => {
    process.env.WG_HOME = join(root, '.home');
    const paths = projectPaths(join(root, 'figures', '.workgraph'));
    const coordinator = await openCoordinator({ paths, host: 'app', overrides: { executor: 'shell', interval: HOUR } });
    const other = await Store.open(paths.db);
    try {
      await coordinator.dispatch('task:add', { title: 'Slow', id: 'slow', exec: `sleep ${MARK}` }, 'user');
      const run = await until('the run working', async () =>
        (await coordinator.store.agents.list()).find((a) => a.task_id === 'slow' && a.state === 'working'),
      );
      // The engine's record of a run's figures, as its output brings them: the one commit it makes outside a turn.
      const recordFigures = (coordinator.engine as unknown as { onRunEvents(id: string, events: RunEvent[], total: number): Promise<void> })
        .onRunEvents;
      const before = await coordinator.store.core.currentRev();
      await other.tasks.add({ title: 'Next', id: 'next', exec: 'true' }, 'someone');
      await recordFigures.call(coordinator.engine, run.id, [{ type: 'session', session_id: 'figures-1', model: null }], 1);
      expect(await coordinator.store.core.currentRev()).toBe(before + 2);
      // As the adding `wg` does once it has committed.
      await pokeCoordinator(paths);
      await until('the added task started', async () => (await coordinator.store.get('next')).status !== 'open', 10_000);
    } finally {
      await other.close();
      await coordinator.close({ killAgents: true });
    }
  }, 120_000);

  it("met while the coordinator's lease was not sure to hold, once the lease is renewed", async () => {
    process.env.WG_HOME = join(root, '.home');
    const paths = projectPaths(join(root, 'lease', '.workgraph'));
    const store = await Store.open(join(root, 'lease.db'));
    let sure = false;
    const engine = new Engine({
      store,
      paths,
      log: quiet,
      wgCommand: defaultWgCommand(),
      overrides: { executor: 'shell', interval: HOUR },
      mayClaim: () => sure,
    });
    try {
      await engine.start();
      await turnTaken();
      await store.tasks.add({ title: 'Next', id: 'next', exec: 'true' }, 'someone');
      await turnTaken();
      expect((await store.get('next')).status).toBe('open');
      sure = true;
      engine.leaseRenewed();
      await until('the task started', async () => (await store.get('next')).status !== 'open', 10_000);
    } finally {
      await engine.stop({ killAgents: true });
      await store.close();
    }
  }, 120_000);
});
