import { setTimeout as realSleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobDispatcher, UNCONNECTED_TURN_MS } from '../../src/core/agent-daemons/dispatcher';
import type { DaemonRegistry } from '../../src/core/agent-daemons/daemon-registry';
import type { JobOutcomes } from '../../src/core/agent-daemons/job-outcomes';
import { JobStore } from '../../src/core/agent-daemons/job-store';
import { JobLeaseClock } from '../../src/core/agent-daemons/job-lease-clock';
import type { DaemonSlot } from '../../src/core/agent-daemons/matching';
import type { Config } from '../../src/core/config/config-view';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import type { ExecutorProfile } from '../../src/shared/config-types';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A dispatcher whose turns are counted (each asks whether the coordinator is paused: it is, so a turn ends there). */
  async function dispatcher(onTurn: () => void = () => undefined) {
    const t = await newStore();
    const connected = { size: 0 };
    let turns = 0;
    const d: JobDispatcher = new JobDispatcher({
      store: t.store,
      jobs: new JobStore(t.store.core),
      registry: connected as unknown as DaemonRegistry,
      clock: new JobLeaseClock(() => undefined),
      outcomes: {} as JobOutcomes,
      config: () => ({}) as Config,
      stallTimeoutMs: () => 60_000,
      paused: () => {
        turns++;
        onTurn();
        return true;
      },
      claim: () => {
        throw new Error('nothing is claimed here');
      },
      log: {
        info: () => undefined,
        warn: () => undefined,
        error: (line) => {
          throw new Error(line);
        },
      },
    });
    return { d, connected, turns: () => turns };
  }

  /** Lets the microtasks queued now run to their end: a turn's reads and writes on SQLite take many, and no timer. */
  const microtasks = async () => {
    for (let i = 0; i < 200; i++) await new Promise<void>((resolve) => queueMicrotask(resolve));
    // On PostgreSQL they wait for the server's answers too: a while of real time (node:timers/promises, which fake
    // timers leave alone), then the microtasks those answers queued.
    if (kind === 'postgres') {
      await realSleep(100);
      for (let i = 0; i < 200; i++) await new Promise<void>((resolve) => queueMicrotask(resolve));
    }
  };

  /**
   * A dispatcher fed as the service feeds it (each commit's revision, once), whose turns go on to a write: a ready
   * remote task naming no repository is failed as unlaunchable in the turn's transaction. `between` runs after the
   * turn's start and before its write; `mayClaim`, whether the coordinator's lease is sure to hold.
   */
  async function writingDispatcher(
    between: (t: Awaited<ReturnType<typeof newStore>>) => void,
    mayClaim = () => true,
    elsewhere?: (t: Awaited<ReturnType<typeof newStore>>) => Promise<DaemonSlot[]>,
  ) {
    const t = await newStore();
    let turns = 0;
    const remote = { name: 'remote', type: 'remote' } as ExecutorProfile;
    const d: JobDispatcher = new JobDispatcher({
      store: t.store,
      jobs: new JobStore(t.store.core),
      registry: {
        size: 1,
        slots: () => {
          between(t);
          return [];
        },
      } as unknown as DaemonRegistry,
      clock: new JobLeaseClock(() => undefined),
      outcomes: {} as JobOutcomes,
      config: () => ({ settings: DEFAULT_SETTINGS, profiles: [remote] }) as unknown as Config,
      stallTimeoutMs: () => 60_000,
      paused: () => {
        turns++;
        return false;
      },
      mayClaim,
      claim: () => {
        throw new Error('nothing is claimed here');
      },
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      ...(elsewhere ? { elsewhere: () => elsewhere(t) } : {}),
    });
    t.store.core.onCommit((rev) => d.wake(rev));
    return { t, d, turns: () => turns };
  }

  describe('the remote dispatcher fed revisions', () => {
    const addRemoteTask = (t: Awaited<ReturnType<typeof newStore>>, id: string) =>
      t.store.tasks.add({ id, title: id, executor: 'remote' }, 'test');

    it('takes no second look for its own commit', async () => {
      const { t, turns } = await writingDispatcher(() => undefined);
      await addRemoteTask(t, 'one');
      await microtasks();
      await microtasks();
      expect((await t.store.get('one')).status).toBe('failed');
      expect(turns()).toBe(1);
    });

    it("looks again when another process committed between its reads and its own commit (that commit's notice comes after)", async () => {
      // Another process's commit: the revision moves, and its notice has not come yet.
      let others = 1;
      const { t, turns } = await writingDispatcher(async (store) => {
        if (others-- > 0) await store.store.core.conn.exec('UPDATE project SET rev = rev + 1 WHERE id = 1');
      });
      await addRemoteTask(t, 'one');
      await microtasks();
      await microtasks();
      expect((await t.store.get('one')).status).toBe('failed');
      expect(turns()).toBe(2);
    });

    it('takes another turn when a daemon registered during its transaction (that turn read the daemons before)', async () => {
      // A wake with no revision (a daemon registered, a job ended) during the turn's own commit: the daemons the turn
      // matched were read before it. Nothing else comes on a quiet graph, so it must not be dropped as the commit's is.
      let duringTurn = false;
      const { t, d, turns } = await writingDispatcher(() => {
        duringTurn = true;
      });
      t.store.core.onCommit(() => {
        if (!duringTurn) return;
        duringTurn = false;
        d.wake();
      });
      await addRemoteTask(t, 'one');
      await microtasks();
      await microtasks();
      expect((await t.store.get('one')).status).toBe('failed');
      expect(turns()).toBe(2);
    });
  });

  describe("a ready remote task said to wait for an agent daemon, on a team's graph (issue 74)", () => {
    type Env = Awaited<ReturnType<typeof newStore>>;
    const waitingLines = async (t: Env) =>
      (await t.store.get('one')).log.map((l) => l.message).filter((line) => line.startsWith('Waiting for'));
    const addOne = (t: Env) => t.store.tasks.add({ id: 'one', title: 'one', executor: 'remote', repo: 'acme/one' }, 'test');
    const settle = async () => {
      await microtasks();
      await microtasks();
    };
    const slot: DaemonSlot = {
      id: 'd-1',
      host: 'elsewhere',
      seq: 0,
      roles: [],
      repos: ['acme/one'],
      token_name: 'elsewhere',
      token_roles: [],
      token_repos: [],
      capacity: 1,
      active: 0,
      downgraded_until_ms: null,
    };

    it('is said by a coordinator no daemon of which, nor of the others, can run it', async () => {
      const { t } = await writingDispatcher(
        () => undefined,
        () => true,
        async () => [{ ...slot, repos: ['acme/other'] }],
      );
      await addOne(t);
      await settle();
      expect(await waitingLines(t)).toEqual(['Waiting for an agent daemon with repo acme/one']);
    });

    it('is not, where a daemon of another coordinator can run it: that one claims it (or says why it waits)', async () => {
      const { t } = await writingDispatcher(
        () => undefined,
        () => true,
        async () => [slot],
      );
      await addOne(t);
      await settle();
      expect(await waitingLines(t)).toEqual([]);
    });

    it('is not, once another coordinator claimed it after this turn read it ready', async () => {
      // The other coordinator's claim commits between this turn's read and its write.
      const { t } = await writingDispatcher(
        () => undefined,
        () => true,
        async (env) => {
          if ((await env.store.get('one')).status === 'open') await env.store.tasks.claim('one', 'agent-9', 'coordinator');
          return [];
        },
      );
      await addOne(t);
      await settle();
      expect((await t.store.get('one')).status).toBe('in-progress');
      expect(await waitingLines(t)).toEqual([]);
    });
  });

  describe("the remote dispatcher and its coordinator's lease", () => {
    it('dispatches at the renewal what a turn left while the lease was unsure; a renewal takes no turn otherwise', async () => {
      let sure = false;
      const { t, d, turns } = await writingDispatcher(
        () => undefined,
        () => sure,
      );
      await t.store.tasks.add({ id: 'one', title: 'one', executor: 'remote' }, 'test');
      await microtasks();
      await microtasks();
      expect((await t.store.get('one')).status).toBe('open');
      expect(turns()).toBe(1);
      sure = true;
      d.leaseRenewed();
      await microtasks();
      await microtasks();
      expect((await t.store.get('one')).status).toBe('failed');
      expect(turns()).toBe(2);
      d.leaseRenewed();
      await microtasks();
      expect(turns()).toBe(2);
    });
  });

  describe('the remote dispatcher', () => {
    it('with a daemon connected, turns right after the commit that woke it', async () => {
      const { d, connected, turns } = await dispatcher();
      connected.size = 1;
      d.wake();
      d.wake();
      await microtasks();
      expect(turns()).toBe(1);
      d.wake();
      await microtasks();
      expect(turns()).toBe(2);
    });

    it('with none connected, makes one turn of the commits of UNCONNECTED_TURN_MS (nothing can be sent meanwhile)', async () => {
      vi.useFakeTimers();
      const { d, turns } = await dispatcher();
      const step = UNCONNECTED_TURN_MS / 25;
      for (let i = 0; i < 20; i++) {
        d.wake();
        vi.advanceTimersByTime(step);
        await microtasks();
      }
      expect(turns()).toBe(0);
      vi.advanceTimersByTime(5 * step);
      await microtasks();
      expect(turns()).toBe(1);
      d.wake();
      vi.advanceTimersByTime(UNCONNECTED_TURN_MS);
      await microtasks();
      expect(turns()).toBe(2);
    });

    it('a daemon that connects while a turn waits gets it at once; stopped, no turn is left behind', async () => {
      vi.useFakeTimers();
      const { d, connected, turns } = await dispatcher();
      d.wake();
      connected.size = 1;
      d.wake();
      await microtasks();
      expect(turns()).toBe(1);
      vi.advanceTimersByTime(500);
      expect(turns()).toBe(1);

      connected.size = 0;
      d.wake();
      d.stop();
      vi.advanceTimersByTime(500);
      expect(turns()).toBe(1);
    });

    it('turns that keep waking each other still let the event loop go round (sockets close, SIGTERM is heard)', async () => {
      // Each turn wakes the next, as a job requeued to a closing connection once did (a revoked daemon).
      const chain = { d: null as JobDispatcher | null, left: 100_000 };
      const { d, connected, turns } = await dispatcher(() => {
        if (chain.left-- > 0) chain.d?.wake();
      });
      chain.d = d;
      connected.size = 1;
      d.wake();
      const seenByTheLoop = await new Promise<number>((resolve) => setImmediate(() => resolve(turns())));
      chain.left = 0;
      // Without the bound, all 100,000 turns ran before the loop's check phase came.
      expect(seenByTheLoop).toBeLessThan(1000);
      d.stop();
    });
  });
});
