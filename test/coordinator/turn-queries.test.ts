import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigView } from '../../src/core/config/config-view';
import { readSchedulerState } from '../../src/core/coordinator/engine-state';
import { LaunchRecords } from '../../src/core/runs/run-views';
import { WaitingNotices } from '../../src/core/coordinator/waiting-notice';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { readyDaemonTasks } from '../../src/core/agent-daemons/ready-for-daemons';
import { nextScheduledAt } from '../../src/core/store/task-reads';
import { Store } from '../../src/core/store/store';

/**
 * A coordinator turn runs after nearly every commit, so what it reads must cost what it finds, not
 * the size of the graph: on a 2,000-task DAG one read through the status index (every open task)
 * was a tenth of the daemon's CPU. Checked on the plans SQLite chooses for the statements a turn
 * prepares (the store caches each by its text).
 */
const root = mkdtempSync(join(tmpdir(), 'wg-turn-queries-'));
const paths = projectPaths(join(root, '.workgraph'));
let store: Store;

beforeAll(async () => {
  process.env.WG_HOME = join(root, '.home');
  ensureProjectDirs(paths);
  store = await Store.open(paths.db);
  await store.core.write(async () => {
    await store.tasks.add({ title: 'gate', id: 'gate', executor: 'manual' }, 'test');
    for (let i = 0; i < 50; i++) await store.tasks.add({ title: `t${i}`, id: `t${i}`, after: ['gate'], exec: 'true' }, 'test');
    await store.tasks.add({ title: 'ready', id: 'ready', exec: 'true' }, 'test');
    await store.tasks.add({ title: 'far', id: 'far', executor: 'remote' }, 'test');
  });
});
afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

/** The plan does not depend on the values: every `?` gets a null. */
function plan(sql: string): string[] {
  const values = new Array<null>(sql.split('?').length - 1).fill(null);
  return (store.core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>).map((row) => row.detail);
}

async function turnStatements(): Promise<string[]> {
  const config = await (await ConfigView.open(paths, {}, () => undefined)).current();
  const now = store.core.clock();
  const records = new LaunchRecords(
    async () => null,
    () => null,
  );
  const before = new Set(cached());
  await store.core.batch(async () => {
    await readSchedulerState({ store, config, records, now, paused: false, watched: [], readyLimit: () => 10 });
    const notices = new WaitingNotices();
    await notices.tell(store, await notices.readyToTell(store, config, now));
    await nextScheduledAt(store.core, now);
  });
  // Found (and unlaunchable: no repository named), whichever index finds it.
  expect((await readyDaemonTasks(store, config, now, 10)).unlaunchable.map((n) => n.task_id)).toEqual(['far']);
  return cached().filter((sql) => !before.has(sql));
}

/** The store's statement cache, by SQL text (a built statement's key says it is in the database's own words). */
function cached(): string[] {
  return [...(store.core as unknown as { statements: Map<string, unknown> }).statements.keys()].map((key) => key.replace(/^native:/, ''));
}

describe("a coordinator turn's reads", () => {
  it('never walk every open task (the status index or the whole table)', async () => {
    const reads = (await turnStatements()).filter((sql) => /\bFROM "?tasks"?\b/i.test(sql));
    expect(reads.length).toBeGreaterThan(3);
    for (const sql of reads) {
      for (const step of plan(sql)) {
        expect(step, sql).not.toMatch(/tasks_status|^SCAN tasks$/);
      }
    }
  });

  it("find the agent daemons' ready tasks by their executor, not by walking the local queue", async () => {
    await turnStatements();
    const remote = cached().filter((sql) => /repo, role FROM "?tasks"?/.test(sql));
    expect(remote).toHaveLength(1);
    expect(plan(remote[0] as string).join(' | ')).toMatch(/SEARCH tasks USING INDEX tasks_ready_by_executor \(executor=\?\)/);
  });
});

describe('what a turn leaves alone', () => {
  it("a task assigned to someone (wg add --assign) is theirs: not started here, nor sent to an agent daemon (upstream's dispatcher skips it)", async () => {
    await store.tasks.add({ title: 'for alice', id: 'for-alice', exec: 'true', assigned: 'alice' }, 'test');
    await store.tasks.add({ title: 'far for bob', id: 'far-bob', executor: 'remote', assigned: 'bob' }, 'test');
    const config = await (await ConfigView.open(paths, {}, () => undefined)).current();
    const now = store.core.clock();
    const records = new LaunchRecords(
      async () => null,
      () => null,
    );
    const { state } = await readSchedulerState({ store, config, records, now, paused: false, watched: [], readyLimit: () => 100 });
    expect(state.ready.map((t) => t.id)).toContain('ready');
    expect(state.ready.map((t) => t.id)).not.toContain('for-alice');
    expect((await readyDaemonTasks(store, config, now, 10)).unlaunchable.map((n) => n.task_id)).toEqual(['far']);
    expect((await store.detail('for-alice')).ready).toBe(true);
  });
});
