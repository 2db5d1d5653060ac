import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * Each write of a coordinator turn is its own savepoint (StoreCore.batch): a write that fails half
 * way is undone alone. Here a claim fails at its last statement (its log line, refused by a trigger),
 * after its agent row and the task's update: the task must stay open with no agent, and the runs
 * claimed in the same turn must start once and finish.
 */
const p = new DaemonProject('wg-turn-undone-');

beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--poll-interval', '3600']);
  await p.ok(['add', 'First', '--id', 'first', '--exec', 'true']);
  await p.ok(['add', 'Refused', '--id', 'refused', '--exec', 'true']);
  await p.ok(['add', 'Second', '--id', 'second', '--after', 'first', '--exec', 'true']);
  const db = new Database(p.paths.db);
  db.exec(`CREATE TRIGGER refuse_spawn BEFORE INSERT ON task_log WHEN NEW.task_id = 'refused' AND NEW.message LIKE 'Spawned%'
    BEGIN SELECT RAISE(ABORT, 'the log refuses this claim'); END`);
  db.close();
});
afterAll(() => p.remove());

describe('a claim that fails half way in a coordinator turn', () => {
  it('is undone alone; the rest of the turn commits and its runs start once', async () => {
    await p.start();
    await waitFor('second to be done', () => p.task('second').status === 'done', 30_000);
    const log = () => readFileSync(p.paths.daemonLog, 'utf8');
    await waitFor(
      'the refused claim in the daemon log',
      () => log().includes('launch of refused skipped: the log refuses this claim'),
      10_000,
      100,
    );
    expect(p.task('refused')).toMatchObject({ status: 'open', assigned: null });
    expect(p.agentsOf('refused')).toEqual([]);
    expect(p.agentsOf('first').map((a) => [a.state, a.exit_code])).toEqual([['done', 0]]);
    expect(p.agentsOf('second').map((a) => [a.state, a.exit_code])).toEqual([['done', 0]]);
    expect(p.agents().filter((a) => a.state === 'working')).toEqual([]);
    expect(log()).not.toContain('coordinator turn failed');
  }, 60_000);
});
