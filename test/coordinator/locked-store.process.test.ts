import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * A coordinator turn that cannot commit (another process holds the write lock) gives up after a
 * short wait and is rolled back whole; what it was given (a run that ended) is kept and judged
 * again once the lock is free, so the task still ends, exactly once, and its dependent still runs.
 * Meanwhile the daemon keeps answering: the wait for the lock blocks its event loop only briefly.
 */
const p = new DaemonProject('wg-locked-');
// The run ends when the test says so, once the store is locked, however slowly a loaded machine started it.
const go = join(mkdtempSync(join(tmpdir(), 'wg-locked-go-')), 'go');

beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--poll-interval', '3600']);
  await p.ok(['add', 'Slow', '--id', 'slow', '--exec', `while [ ! -e '${go}' ]; do sleep 0.1; done`]);
  await p.ok(['add', 'Next', '--id', 'next', '--after', 'slow', '--exec', 'true']);
});
afterAll(() => p.remove());

describe('a coordinator turn that cannot commit', () => {
  it('loses nothing: the ended run is judged again when the store is free', async () => {
    await p.start();
    await waitFor('slow to start', async () => (await p.task('slow')).status === 'in-progress');
    const locker = new Database(p.paths.db);
    locker.exec('BEGIN IMMEDIATE');
    writeFileSync(go, '');
    const failures = () =>
      readFileSync(p.paths.daemonLog, 'utf8')
        .split('\n')
        .filter((line) => line.includes('coordinator turn gave way'));
    try {
      // The run ends meanwhile; the daemon's turn gives up on the lock, and is tried again every second.
      await waitFor('the failed turn in the daemon log', () => failures().length > 0, 30_000, 100);
      expect((await p.task('slow')).status).toBe('in-progress');
      // Still locked: the daemon answers at once (a 10 s busy wait blocked it before), and the
      // retries, failing alike, are not logged again.
      const waits: number[] = [];
      // Long enough for two more retries.
      for (const until = Date.now() + 3000; Date.now() < until; ) {
        const asked = Date.now();
        expect((await p.json<{ running: boolean }>(['service', 'status'])).running).toBe(true);
        waits.push(Date.now() - asked);
      }
      expect(Math.max(...waits)).toBeLessThan(3000);
      expect(failures()).toHaveLength(1);
      expect(failures()[0]).toMatch(/stayed locked by another process/);
      // Another process's write is a turn to wait for, not a fault: said at info.
      expect(failures()[0]).toMatch(/\[info\]/);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    await waitFor('next to be done', async () => (await p.task('next')).status === 'done', 20_000);
    expect((await p.task('slow')).status).toBe('done');
    expect((await p.agentsOf('slow')).map((a) => [a.state, a.exit_code])).toEqual([['done', 0]]);
    expect((await p.agentsOf('next')).map((a) => a.state)).toEqual(['done']);
    const [, failed] =
      /coordinator turns commit again \((\d+) in a row gave way to other writers\)/.exec(readFileSync(p.paths.daemonLog, 'utf8')) ?? [];
    expect(Number(failed)).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
