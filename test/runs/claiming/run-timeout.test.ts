import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigView } from '../../../src/core/config/config-view';
import { claimTask, type SpawnOverride } from '../../../src/core/runs/claiming/claim';
import { ensureProjectDirs, projectPaths } from '../../../src/core/project';
import { Store } from '../../../src/core/store/store';

/**
 * How long a run may take is one rule for every kind of run: the spawn's own, the task's, the executor's, the
 * project's. A run on an agent daemon used to get the executor's or the project's only (its job's timeout_s).
 */
const root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-run-timeout-')));
const paths = projectPaths(join(root, '.workgraph'));
ensureProjectDirs(paths);
process.env.WG_HOME = join(root, '.home');
const store = await Store.open(paths.db);
const config = async () => (await ConfigView.open(paths, {}, () => undefined)).current();

afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

/** Claimed as the remote dispatcher claims for a daemon (`daemon` set), or as the coordinator claims a local run. */
const claim = async (taskId: string, o: { daemon?: boolean; override?: SpawnOverride } = {}) =>
  claimTask(store, paths, await config(), {
    taskId,
    byHand: o.override !== undefined,
    apiUrl: null,
    apiToken: null,
    hostEnv: process.env,
    ...(o.daemon ? { daemon: 'box', daemonWg: '/opt/wg' } : {}),
    override: o.override,
  });

const remoteTimeout = (claimed: Awaited<ReturnType<typeof claim>>) =>
  claimed.spec.kind === 'remote' ? claimed.spec.timeout_s : 'not remote';

describe("a run on an agent daemon: its job's timeout_s", () => {
  it("is the task's own --timeout, before the executor's and the project's", async () => {
    await store.tasks.add(
      { id: 'remote-timed', title: 'remote timed', executor: 'remote', repo: 'acme/app', extra: { timeout: '2s' } },
      'test',
    );
    const claimed = await claim('remote-timed', { daemon: true });
    expect(remoteTimeout(claimed)).toBe(2);
    expect(claimed.record.timeout_s).toBe(2);
  });

  it("is the spawn's own, before the task's", async () => {
    await store.tasks.add(
      { id: 'remote-spawned', title: 'remote spawned', executor: 'remote', repo: 'acme/app', extra: { timeout: '30m' } },
      'test',
    );
    const claimed = await claim('remote-spawned', { daemon: true, override: { timeoutS: 5 } });
    expect(remoteTimeout(claimed)).toBe(5);
    expect(claimed.record.timeout_s).toBe(5);
  });

  it("without either, is the project's agent.timeout, as a local run's is", async () => {
    await store.tasks.add({ id: 'remote-untimed', title: 'remote untimed', executor: 'remote', repo: 'acme/app' }, 'test');
    // A shell run: its program is on every PATH, and the rule is the same for every kind of local run.
    await store.tasks.add({ id: 'local-untimed', title: 'local untimed', exec: 'true' }, 'test');
    const remote = await claim('remote-untimed', { daemon: true });
    const local = await claim('local-untimed');
    expect(remoteTimeout(remote)).toBe((await config()).settings.agent.timeout);
    expect(remote.record.timeout_s).toBe(local.record.timeout_s);
  });
});
