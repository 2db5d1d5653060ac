import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { freshSchema } from '../helpers/postgres-server';
import { TempProject } from '../helpers/wg-cli';
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
    await waitFor('second to be done', async () => (await p.task('second')).status === 'done', 30_000);
    const log = () => readFileSync(p.paths.daemonLog, 'utf8');
    await waitFor(
      'the refused claim in the daemon log',
      () => log().includes('launch of refused skipped: the log refuses this claim'),
      10_000,
      100,
    );
    expect(await p.task('refused')).toMatchObject({ status: 'open', assigned: null });
    expect(await p.agentsOf('refused')).toEqual([]);
    expect((await p.agentsOf('first')).map((a) => [a.state, a.exit_code])).toEqual([['done', 0]]);
    expect((await p.agentsOf('second')).map((a) => [a.state, a.exit_code])).toEqual([['done', 0]]);
    expect((await p.agents()).filter((a) => a.state === 'working')).toEqual([]);
    expect(log()).not.toContain('coordinator turn failed');
  }, 120_000);
});

/**
 * On PostgreSQL the turn is pipelined (WriteOptions.pipelined): its savepoints go with the statements after them, so
 * the refused claim undoes the whole turn. It is taken again at once savepoint by savepoint, where the claim is undone
 * alone as on SQLite, and the turn's failure is not a fault to report.
 */
describe('a claim that fails half way in a pipelined coordinator turn (PostgreSQL)', () => {
  const team = new TempProject('wg-turn-undone-pg-');
  afterAll(() => team.remove());

  it('undoes the turn, takes it again savepoint by savepoint at once, and the rest commits and starts once', async () => {
    const { url, schema, psql } = freshSchema('undone');
    await team.ok(['init', '--store', url, '-x', 'shell']);
    await team.ok(['config', '--poll-interval', '3600']);
    await team.ok(['add', 'First', '--id', 'first', '--exec', 'true']);
    await team.ok(['add', 'Refused', '--id', 'refused', '--exec', 'true']);
    await team.ok(['add', 'Second', '--id', 'second', '--after', 'first', '--exec', 'true']);
    psql(`SET search_path = ${schema};
      CREATE FUNCTION refuse_spawn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF NEW.task_id = 'refused' AND NEW.message LIKE 'Spawned%' THEN RAISE EXCEPTION 'the log refuses this claim'; END IF;
        RETURN NEW; END $$;
      CREATE TRIGGER refuse_spawn BEFORE INSERT ON task_log FOR EACH ROW EXECUTE FUNCTION refuse_spawn();`);
    await team.ok(['service', 'start']);
    try {
      const task = async (id: string) => team.json<Task>(['show', id]);
      await waitFor('second to be done', async () => (await task('second')).status === 'done', 30_000);
      const log = () => readFileSync(join(team.root, '.workgraph/service/daemon.log'), 'utf8');
      await waitFor('the refused claim in the daemon log', () => log().includes('launch of refused skipped'), 10_000, 100);
      expect(await task('refused')).toMatchObject({ status: 'open', assigned: null });
      const agents = JSON.parse(await team.ok(['agents', '--json'])) as Array<{ task_id: string; state: string; exit_code: number | null }>;
      expect(agents.map((a) => [a.task_id, a.state, a.exit_code]).sort()).toEqual([
        ['first', 'done', 0],
        ['second', 'done', 0],
      ]);
      expect(log()).toContain('the log refuses this claim');
      expect(log()).not.toContain('coordinator turn failed');
    } finally {
      await team.wg(['service', 'stop']);
    }
  }, 120_000);
});
