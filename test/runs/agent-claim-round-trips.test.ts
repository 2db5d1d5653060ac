import { describe, expect, it } from 'vitest';
import { claimTasks } from '../../src/core/runs/claiming/claim';
import { ConfigView } from '../../src/core/config/config-view';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { roundTripsDuring } from '../helpers/round-trips';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';
import { join } from 'node:path';

/**
 * An agent task's claim builds its prompt from parts of its own: its dependencies, its messages (delivered at the
 * spawn), the checkpoint of an earlier attempt, the run it may resume. On PostgreSQL each read that waits for the one
 * before it is a round trip of the coordinator's turn (10 ms a round trip on a same-region network): the parts are
 * asked for together. A shell task's claim reads none of them (its command is its whole launch).
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);
  // The agent CLIs are "found" (this Node binary): a claim looks for its run's program; nothing is started here.
  const hostEnv = { WG_CLAUDE_BIN: process.execPath, WG_CODEX_BIN: process.execPath };

  async function claimCost(executor: 'claude' | 'shell'): Promise<{ trips: number; prompt: string }> {
    const t = await newStore();
    const { store } = t;
    const paths = projectPaths(join(t.dir, '.workgraph'));
    ensureProjectDirs(paths);
    const config = await (await ConfigView.open(paths, {}, () => undefined)).current();
    for (const dep of ['d1', 'd2']) {
      await store.tasks.add({ title: `dependency ${dep}`, id: dep, exec: 'true' }, 'test');
      await store.tasks.done(dep, {}, 'test');
    }
    await store.tasks.add(
      { title: 'the work', id: 'work', after: ['d1', 'd2'], ...(executor === 'shell' ? { exec: 'true' } : { executor }) },
      'test',
    );
    await store.messages.send({ taskId: 'work', body: 'mind the tests', sender: 'person', priority: 'normal', agentId: null });
    let prompt = '';
    const trips = await roundTripsDuring(() =>
      store.core.batch(
        async () => {
          const [outcome] = await claimTasks(store, paths, config, [
            { taskId: 'work', byHand: false, apiUrl: null, apiToken: null, hostEnv },
          ]);
          if (!outcome?.ok) throw outcome?.error;
          const { spec } = outcome.claimed;
          prompt = spec.kind === 'process' ? (spec.stdin ?? '') : '';
        },
        { pipelined: true },
      ),
    );
    return { trips, prompt };
  }

  it("reads an agent task's prompt parts side by side: its claim costs no more round trips than a shell task's", async () => {
    const shell = await claimCost('shell');
    const agent = await claimCost('claude');
    // The parts are in the prompt: both dependencies and the message.
    expect(agent.prompt).toContain('dependency d1');
    expect(agent.prompt).toContain('dependency d2');
    expect(agent.prompt).toContain('mind the tests');
    // The parts' reads go with the reads the shell task's claim makes anyway; it was four more (7 against 3), one after another.
    // SQLite makes no round trips.
    if (kind === 'postgres') expect(agent.trips - shell.trips).toBeLessThanOrEqual(1);
  });
});
