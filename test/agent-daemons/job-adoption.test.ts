import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobEngine } from '../../src/core/agent-daemons/job-outcomes';
import { JobStore } from '../../src/core/agent-daemons/job-store';
import { AgentDaemonService } from '../../src/core/agent-daemons/agent-daemon-service';
import { ConfigView } from '../../src/core/config/config-view';
import { ensureProjectDirs, type ProjectPaths, projectPaths } from '../../src/core/project';
import type { Store } from '../../src/core/store/store';
import { newRun } from '../../src/core/store/agent-records';
import { transition } from '../../src/core/store/task-writes';
import { ManualClock } from '../helpers/manual-clock';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/*
 * A coordinator takes over the runs of one declared lost: an agent-daemon job among them runs out when its lease as
 * stored does, its daemon having until then to come back. The lost coordinator wrote that lease by its own machine's
 * clock, which may be off; the one that takes it over judges it by the store's clock all the same.
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A project with its folders, cleaned up after the test. */
  async function project() {
    const t = await tempStore(undefined, kind);
    cleanups.push(() => t.dispose());
    const paths = projectPaths(join(t.dir, '.workgraph'));
    ensureProjectDirs(paths);
    return { store: t.store, paths };
  }

  /** A remote task in progress under a run on an agent daemon (its job not inserted). */
  async function remoteRun(store: Store, task: string, agent: string): Promise<void> {
    await store.tasks.add({ title: task, id: task, executor: 'remote' }, 'test');
    await store.core.write(async (rev) => {
      const run = { task_id: task, executor: 'remote', model: null, model_source: null, runs_elsewhere: true, output_path: null };
      await store.agents.insert(newRun(agent, run, store.core.nowIso(), rev), null);
      await transition(store.core, { id: task, status: 'open', assigned: null }, { status: 'in-progress', assigned: agent }, rev);
    });
  }

  /** This coordinator's agent-daemon side, its leases on `clock`, the engine's judging of runs `remoteEnded`. */
  async function startService(store: Store, paths: ProjectPaths, clock: ManualClock, remoteEnded: JobEngine['remoteEnded']) {
    const config = await ConfigView.open(paths, {}, () => undefined);
    const service = await AgentDaemonService.start({
      clock,
      store,
      runsDir: paths.runsDir,
      engine: { isPaused: false, remoteEnded },
      config: () => config.now(),
      claim: async () => {
        throw new Error('nothing is claimed here');
      },
      onOutput: () => undefined,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    cleanups.push(() => service.close());
    return service;
  }

  it('keeps a taken-over job whose lease was written by a machine whose clock is ten minutes behind', async () => {
    const { store, paths } = await project();
    await remoteRun(store, 'far', 'agent-1');
    const jobs = new JobStore(store.core);

    // The lost coordinator claimed the job for a minute, its machine's clock ten minutes behind.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 10 * 60_000);
    const lease = await store.core.write(() =>
      jobs.insert({ agent_id: 'agent-1', task_id: 'far', token_name: 'box', daemon_host: 'box', repo: 'r', role: null, lease_ms: 60_000 }),
    );
    vi.useRealTimers();

    // This coordinator, its clock right, takes the run over.
    const ended: string[] = [];
    // The leases' clock, moved by hand: the stall timeout (30 s) runs out when this test says, not after 30 s.
    const time = new ManualClock();
    const service = await startService(store, paths, time, async (agentId) => void ended.push(agentId));
    await service.adoptJobs(['agent-1']);

    // Its daemon has the rest of the lease to come back, here the whole stall timeout (the stored lease has a minute
    // left by the store's clock; by the lost machine's clock it ran out nine minutes ago): the job is not lost meanwhile.
    const adoptedAt = time.now();
    time.advance(29_000);
    // Its lease's timer is still armed, for the end of the stall timeout (a few ms late, lease-clock.ts): none fired.
    expect(time.pending()).toEqual([adoptedAt + 30_005]);
    expect((await jobs.active(lease))?.state).toBe('assigned');
    expect(ended).toEqual([]);
    // Once the stall timeout is over with no word from its daemon, it is lost.
    time.advance(1_100);
    await expect.poll(() => ended).toEqual(['agent-1']);
    expect(await jobs.active(lease)).toBeUndefined();
  });

  it('settles a run whose job ended while the run was left working (its coordinator killed between the two commits), and only that one', async () => {
    const { store, paths } = await project();
    const jobs = new JobStore(store.core);
    const runOn = async (task: string, agent: string) => {
      await remoteRun(store, task, agent);
      return store.core.write(() =>
        jobs.insert({ agent_id: agent, task_id: task, token_name: 'box', daemon_host: 'box', repo: 'r', role: null, lease_ms: 60_000 }),
      );
    };
    // Three runs on a daemon: one whose job ended done, one whose job was lost, and one whose job still runs.
    await store.core.write(async () => jobs.end(await runOn('done-job', 'agent-1'), 'done', 'done in 0.4s'));
    await store.core.write(async () =>
      jobs.end(await runOn('lost-job', 'agent-2'), 'lost', 'agent daemon box silent for 30s (stall timeout): lease lost'),
    );
    await runOn('running-job', 'agent-3');

    const ended: Array<[string, string]> = [];
    const service = await startService(store, paths, new ManualClock(), async (agentId, event) => {
      const said = event({ id: agentId } as Parameters<typeof event>[0]);
      ended.push([agentId, said.type === 'exited' ? `exited ${said.code}` : said.type]);
    });

    // Taken over: only the runs taken over are looked at.
    await service.adoptJobs(['agent-2']);
    expect(ended).toEqual([['agent-2', 'lease-lost']]);
    // At the start: every run of this coordinator's whose job ended; the one whose job runs is left to its lease.
    ended.length = 0;
    await store.core.write(async (rev) => {
      await store.core.send(store.core.build.updateTable('agents').set({ state: 'dead', rev }).where('id', '=', 'agent-2'));
    });
    await service.settleEndedJobs();
    expect(ended).toEqual([['agent-1', 'exited 0']]);
  });
});
