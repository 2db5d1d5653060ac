import { sqlText } from '../helpers/sql-text';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DaemonRegistry, type DaemonConnection } from '../../src/core/agent-daemons/daemon-registry';
import { JobDispatcher } from '../../src/core/agent-daemons/dispatcher';
import type { JobOutcomes } from '../../src/core/agent-daemons/job-outcomes';
import { JobStore } from '../../src/core/agent-daemons/job-store';
import { JobLeaseClock } from '../../src/core/agent-daemons/job-lease-clock';
import { ConfigView } from '../../src/core/config/config-view';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { claimTask } from '../../src/core/runs/claiming/claim';
import { Store } from '../../src/core/store/store';
import type { AssignedMessage, CoordinatorMessage } from '../../src/shared/agent-protocol';
import type { DaemonJob } from '../../src/shared/agent-daemon-types';
import type { NewTask } from '../../src/core/store/task-writes';

/**
 * The remote dispatcher's turns on a real project store, with the coordinator's own claim (as coordinator-service.ts
 * wires it) and a connected daemon whose frames are kept instead of sent: what each assignment carries, and what is
 * never sent.
 */
const root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-dispatch-')));
const paths = projectPaths(join(root, '.workgraph'));
ensureProjectDirs(paths);
process.env.WG_HOME = join(root, '.home');
const store = await Store.open(paths.db);
const config = await ConfigView.open(paths, {}, () => undefined);

afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

let daemons = 0;
function connectedDaemon(capacity: number): { daemon: DaemonConnection; sent: CoordinatorMessage[] } {
  const sent: CoordinatorMessage[] = [];
  const n = ++daemons;
  const daemon: DaemonConnection = {
    id: `daemon-${n}`,
    seq: n,
    token: { name: 'box', roles: [], repos: [] } as unknown as DaemonConnection['token'],
    host: 'box',
    instance: `instance-${n}`,
    wg: '/opt/wg',
    version: 'test',
    roles: [],
    repos: ['acme/app'],
    clis: [],
    capacity,
    leases: new Set(),
    connectedAt: new Date().toISOString(),
    lastHeartbeat: new Date().toISOString(),
    downgradedUntilMs: null,
    downgradeReason: null,
    lastHeardMs: Date.now(),
    send: (message) => {
      sent.push(message);
      return true;
    },
    close: () => undefined,
    terminate: () => undefined,
    probe: async () => true,
  };
  return { daemon, sent };
}

function dispatcher(capacity = 4) {
  const registry = new DaemonRegistry();
  const { daemon, sent } = connectedDaemon(capacity);
  registry.add(daemon);
  const warnings: string[] = [];
  const clock = new JobLeaseClock(() => undefined);
  const d = new JobDispatcher({
    store,
    jobs: new JobStore(store.core),
    registry,
    clock,
    outcomes: {} as JobOutcomes,
    config: () => config.now(),
    paused: () => false,
    stallTimeoutMs: () => 60_000,
    claim: async (taskId, daemonLabel, daemonWg) =>
      claimTask(store, paths, await config.current(), {
        taskId,
        byHand: false,
        apiUrl: null,
        apiToken: null,
        hostEnv: process.env,
        daemon: daemonLabel,
        daemonWg,
      }),
    log: {
      info: () => undefined,
      warn: (line) => warnings.push(line),
      error: (line) => {
        throw new Error(line);
      },
    },
  });
  const unsubscribe = store.core.onCommit((rev) => d.wake(rev));
  const done = () => {
    unsubscribe();
    d.stop();
    clock.clear();
  };
  const assigned = () => sent.filter((m): m is AssignedMessage => m.type === 'ticket.assigned');
  return { d, daemon, assigned, warnings, done };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};
const addRemote = (id: string, fields: Partial<NewTask> = {}) =>
  store.tasks.add({ id, title: id, executor: 'remote', repo: 'acme/app', ...fields }, 'test');
const jobsOf = (taskId: string) => sqlText<DaemonJob>(store.core, 'SELECT * FROM daemon_jobs WHERE task_id = ?').all(taskId);

describe("a remote job's timeout_s: the run's own limit, by the rule of every run", () => {
  it("is the task's own --timeout, before the executor's and the project's", async () => {
    const { assigned, done } = dispatcher();
    try {
      await addRemote('timed-remote', { extra: { timeout: '2s' } });
      await settle();
      expect(assigned().map((m) => [m.task.id, m.timeout_s])).toEqual([['timed-remote', 2]]);
      expect(await store.agents.forTask('timed-remote')).toHaveLength(1);
    } finally {
      done();
    }
  });

  it("without one, is the project's agent.timeout", async () => {
    const { assigned, done } = dispatcher();
    try {
      await addRemote('untimed-remote');
      await settle();
      expect(assigned().map((m) => m.timeout_s)).toEqual([(await config.current()).settings.agent.timeout]);
    } finally {
      done();
    }
  });
});

describe('an assignment larger than a daemon connection carries', () => {
  it('is never sent: its task fails once as unlaunchable, saying why, with no run, no job and no retry', async () => {
    const { assigned, daemon, warnings, done } = dispatcher(1);
    try {
      // 5 MB of description (the prompt carries it too): well past the daemon's 4 MiB frames.
      await addRemote('huge-remote', { description: 'x'.repeat(5 * 1024 * 1024) });
      await addRemote('small-remote');
      await settle();
      const huge = await store.get('huge-remote');
      expect(huge).toMatchObject({ status: 'failed', retry_count: 0, assigned: null });
      expect(huge.failure_reason).toMatch(
        /^cannot launch: its prompt is \d+\.\d MB, more than an agent daemon's connection carries \(4 MB\)$/,
      );
      expect(await store.agents.forTask('huge-remote')).toEqual([]);
      expect(await jobsOf('huge-remote')).toEqual([]);
      expect(warnings.some((line) => line.startsWith('huge-remote failed: cannot launch: its prompt is'))).toBe(true);
      // The daemon's one place went to the next ready task, and only it was sent.
      expect(assigned().map((m) => m.task.id)).toEqual(['small-remote']);
      expect(daemon.leases.size).toBe(1);
    } finally {
      done();
    }
  });
});

describe('a coordinator that is stopping', () => {
  it('claims nothing more for its daemons', async () => {
    const { d, assigned, done } = dispatcher();
    try {
      d.stopClaiming();
      await addRemote('while-stopping');
      await settle();
      expect(await store.get('while-stopping')).toMatchObject({ status: 'open', assigned: null });
      expect(await store.agents.forTask('while-stopping')).toEqual([]);
      expect(assigned()).toEqual([]);
    } finally {
      done();
    }
  });
});
