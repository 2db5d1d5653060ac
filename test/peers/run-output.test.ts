import { sqlText } from '../helpers/sql-text';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/core/cleanup/gc';
import { coordinatorIdentity } from '../../src/core/leases/coordinator-id';
import { ownedRunEvents } from '../../src/core/peers/owned-output';
import type { ProjectPaths } from '../../src/core/project';
import { runEvents } from '../../src/core/peers/run-output';
import { newRun } from '../../src/core/store/agent-records';
import { RunLogWriter } from '../../src/core/run-folder/run-log';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/*
 * A run's output where its folder is not this folder's: a run taken over from a lost coordinator of the same machine
 * keeps writing in the run folder it was started with (`output_path`). `wg output` there printed an empty page.
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A project with run agent-1, started in `startedIn`, and this folder's own (empty) runs/. */
  async function project(startedIn: string | null) {
    const t = await tempStore(undefined, kind);
    cleanups.push(() => t.dispose());
    const { store } = t;
    await store.tasks.add({ title: 'far', id: 'far', exec: 'true' }, 'test');
    await store.core.write(async (rev) => {
      const run = { task_id: 'far', executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: startedIn };
      await store.agents.insert(newRun('agent-1', run, store.core.nowIso(), rev), null);
    });
    const paths = { root: t.dir, runsDir: join(t.dir, 'runs'), serviceDir: join(t.dir, 'service') };
    mkdirSync(paths.runsDir, { recursive: true });
    mkdirSync(paths.serviceDir, { recursive: true });
    // Taken over by this folder's coordinator (a team's graph names it; set by hand on SQLite too).
    const me = coordinatorIdentity(paths as ProjectPaths).id;
    await store.core.write(() => sqlText(store.core, "UPDATE agents SET coordinator_id = ? WHERE id = 'agent-1'").run(me));
    return { store, paths, me };
  }

  function otherFolder(): string {
    const root = mkdtempSync(join(tmpdir(), 'wg-other-folder-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    return join(root, '.workgraph', 'runs', 'agent-1');
  }

  it('reads a run taken over from the folder it was started in, on this machine', async () => {
    const started = otherFolder();
    const writer = new RunLogWriter(started);
    writer.append({ type: 'text', text: 'hello-from-job' });
    writer.close();
    const { store, paths } = await project(started);
    const page = await runEvents(store, paths, 'agent-1', 0, 50);
    expect(page.total).toBe(1);
    expect(page.events.map((indexed) => indexed.event)).toEqual([{ type: 'text', text: 'hello-from-job' }]);
  });

  it('says in one line where the output is when that folder is not on this machine; never reads a folder not shaped as a run', async () => {
    const gone = otherFolder();
    const { store, paths } = await project(gone);
    await expect(runEvents(store, paths, 'agent-1', 0, 50)).rejects.toThrow(
      `agent-1 ran in ${gone}, which this machine does not have: its output stays on the machine that ran it`,
    );
    // The path comes from the team's store: a folder that is not …/runs/agent-1 is not read, even where it exists.
    const elsewhere = mkdtempSync(join(tmpdir(), 'wg-not-a-run-'));
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    const odd = await project(elsewhere);
    await expect(runEvents(odd.store, odd.paths, 'agent-1', 0, 50)).rejects.toThrow(
      `agent-1's recorded folder ${elsewhere} is not a run's folder (…/runs/agent-1); it is not read`,
    );
  });

  /*
   * Another coordinator asks the adopter for the page (the peer route): it read only the adopter's own runs/ and
   * answered an empty page, so `wg output` anywhere but on the adopter printed nothing with exit 0 (review finding 3).
   */
  it("answers another coordinator's ask for a run it took over from the folder it was started in", async () => {
    const started = otherFolder();
    const writer = new RunLogWriter(started);
    writer.append({ type: 'text', text: 'OUT-st00' });
    writer.close();
    const { store, paths, me } = await project(started);
    const page = await ownedRunEvents(store, paths, me, 'agent-1', 0, 50);
    expect(page.total).toBe(1);
    expect(page.events.map((indexed) => indexed.event)).toEqual([{ type: 'text', text: 'OUT-st00' }]);
    await expect(() => ownedRunEvents(store, paths, 'someone-else', 'agent-1', 0, 50)).rejects.toThrow(
      'agent-1 did not run on this coordinator',
    );
  });

  it('refuses in one line, not with an empty page, when the folder it was started in is not on this machine', async () => {
    const gone = otherFolder();
    const { store, paths, me } = await project(gone);
    await expect(() => ownedRunEvents(store, paths, me, 'agent-1', 0, 50)).rejects.toThrow(
      `agent-1 ran in ${gone}, which this machine does not have: its output stays on the machine that ran it`,
    );
  });

  it('says a run’s output went with its task once wg gc removed both, not an empty page as of a run that printed nothing', async () => {
    const { store, paths } = await project(null);
    const writer = new RunLogWriter(join(paths.runsDir, 'agent-1'));
    writer.append({ type: 'text', text: 'built' });
    writer.close();
    await store.core.write((rev) =>
      store.agents.end('agent-1', { state: 'done', ended_at: store.core.nowIso(), exit_code: 0, reason: null }, rev),
    );
    await store.tasks.done('far', {}, 'user');
    expect((await runEvents(store, paths, 'agent-1', 0, 50)).total).toBe(1);
    await collectGarbage(store, paths.runsDir, { dryRun: false, includeDone: true, older: undefined });
    await expect(runEvents(store, paths, 'agent-1', 0, 50)).rejects.toThrow(
      "agent-1's output is gone, with its task 'far' (removed from the graph)",
    );
  });
});
