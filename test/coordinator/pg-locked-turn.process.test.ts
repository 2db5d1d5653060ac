import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';
import { until } from '../helpers/until';
import { TempProject } from '../helpers/wg-cli';

/**
 * A coordinator turn on a team's graph (PostgreSQL) whose wait for the project's row lock runs out: the turn ends
 * there, rolled back whole, with that reason logged once (at info: it gave way to another writer, as coordinators
 * sharing a project do), and is taken again until the lock is free. None of its parts goes on in the aborted
 * transaction: no "current transaction is aborted" (25P02) from the server, and no part's own failure line (the
 * tick's, the waiting tasks') for what is the whole turn's.
 */
const p = new TempProject('wg-pg-locked-');
const { url, schema } = freshSchema('locked');
const log = () => {
  const file = join(p.root, '.workgraph/service/daemon.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};

beforeAll(async () => {
  const made = await p.wg(['init', '--store', url, '-x', 'shell']);
  expect(made.exitCode, made.stderr).toBe(0);
  // Wakes every second: turns come while the lock is held.
  await p.ok(['config', '--poll-interval', '1']);
  const started = await p.wgProcess(['service', 'start', '--json']);
  expect(started.exitCode, started.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await p.wgProcess(['service', 'stop', '--kill-agents']);
  p.remove();
}, 120_000);

describe('a coordinator turn that meets another writer (PostgreSQL)', () => {
  it('ends at once, is logged once for what it is, and is taken again once the lock is free', async () => {
    await until('a first turn', () => log().includes('coordinator'), 30_000);
    const holder = new pg.Client({ connectionString: parseStoreUrl(url).connectionString });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT rev FROM "${schema}".project WHERE id = 1 FOR UPDATE`);
      const failed = await until('a turn that gave way on the lock', () => log().match(/.*coordinator turn gave way.*/)?.[0], 30_000);
      expect(failed).toMatch(/another process held the project's write turn for too long/);
      // Another writer's turn is how coordinators sharing a project take turns: info, not an error.
      expect(failed).toMatch(/\[info\]/);
      // Two more tries at least, failing alike and not logged again.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    const text = log();
    expect(text).not.toMatch(/25P02|current transaction is aborted/);
    expect(text).not.toMatch(/tick failed|waiting tasks not checked|a statement failed inside the transaction/);
    expect(text.match(/coordinator turn gave way/g)).toHaveLength(1);
    expect(text).not.toMatch(/coordinator turn failed|\[error\]/);
    // Nor does a part's failure within it reach `wg service status`'s errors (a config reload, say).
    const recent = (JSON.parse(await p.ok(['service', 'status', '--json'])) as { recent_errors: Array<{ message: string }> }).recent_errors;
    expect(recent.map((e) => e.message).filter((m) => /write turn/.test(m))).toEqual([]);
    // Free again: the turns commit, and work runs.
    await p.ok(['add', 'After', '--id', 'after', '--exec', 'true']);
    const store = await Store.open(url);
    try {
      await until('after to be done', async () => (await store.get('after')).status === 'done', 30_000);
    } finally {
      await store.close();
    }
    await until('the turns to commit again', () => /coordinator turns commit again/.test(log()), 10_000);
  }, 90_000);

  it("gives way as a whole when it meets another writer's lock midway (a task's row), logged once at info", async () => {
    // The task is there before the turn that claims it: added while the coordinator is paused.
    await p.ok(['service', 'pause']);
    await p.ok(['add', 'Held', '--id', 'held', '--exec', 'true']);
    const before = log().length;
    const holder = new pg.Client({ connectionString: parseStoreUrl(url).connectionString });
    await holder.connect();
    try {
      // Another session holds the task's row, not the project's: the turn has its write turn, then waits on the row.
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM "${schema}".tasks WHERE id = 'held' FOR UPDATE`);
      await p.ok(['service', 'resume']);
      const failed = await until(
        'a turn that gave way midway',
        () =>
          log()
            .slice(before)
            .match(/.*coordinator turn gave way.*/)?.[0],
        30_000,
      );
      expect(failed).toMatch(/\[info\]/);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    const text = log().slice(before);
    // The turn is over at the failed statement: no part of it goes on in the aborted transaction or logs its own failure.
    expect(text).not.toMatch(/25P02|current transaction is aborted/);
    expect(text).not.toMatch(/tick failed|a statement failed inside the transaction|\[error\]/);
    const store = await Store.open(url);
    try {
      await until('held to be done once its row is free', async () => (await store.get('held')).status === 'done', 30_000);
      expect((await store.agents.list()).filter((a) => a.task_id === 'held')).toHaveLength(1);
    } finally {
      await store.close();
    }
  }, 90_000);
});
