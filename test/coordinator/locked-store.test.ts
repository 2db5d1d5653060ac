import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * A coordinator turn that cannot commit (another process holds the write lock past the busy
 * timeout) is rolled back whole; what it was given (a run that ended) is kept and judged again
 * once the lock is free, so the task still ends, exactly once, and its dependent still runs.
 */
const p = new DaemonProject('wg-locked-');

beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--poll-interval', '3600']);
  await p.ok(['add', 'Slow', '--id', 'slow', '--exec', 'sleep 1']);
  await p.ok(['add', 'Next', '--id', 'next', '--after', 'slow', '--exec', 'true']);
});
afterAll(() => p.remove());

describe('a coordinator turn that cannot commit', () => {
  it('loses nothing: the ended run is judged again when the store is free', async () => {
    await p.start();
    await waitFor('slow to start', () => p.task('slow').status === 'in-progress');
    const locker = new Database(p.paths.db);
    locker.exec('BEGIN IMMEDIATE');
    try {
      // The run ends meanwhile; the daemon's turn waits out its busy timeout (10 s) and gives up.
      await waitFor('the failed turn in the daemon log', () => readFileSync(p.paths.daemonLog, 'utf8').includes('coordinator turn failed'), 30_000, 100);
      expect(p.task('slow').status).toBe('in-progress');
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    await waitFor('next to be done', () => p.task('next').status === 'done', 20_000);
    expect(p.task('slow').status).toBe('done');
    expect(p.agentsOf('slow').map((a) => [a.state, a.exit_code])).toEqual([['done', 0]]);
    expect(p.agentsOf('next').map((a) => a.state)).toEqual(['done']);
  }, 60_000);
});
