import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/*
 * A graph.db that SQLite opens whole, but where a task's JSON field holds something else (edited by hand with
 * sqlite3, or by another program): one line naming the task and the field, not JSON.parse's own words.
 */
const p = new TempProject();
beforeAll(async () => {
  await p.ok(['init']);
  await p.ok(['add', 'A', '--id', 'a']);
  await p.ok(['add', 'B', '--id', 'b']);
  const db = new Database(join(p.root, '.workgraph/graph.db'));
  try {
    db.prepare("UPDATE tasks SET artifacts = 'not json' WHERE id = 'a'").run();
    db.prepare("UPDATE tasks SET evaluation = '{x' WHERE id = 'b'").run();
  } finally {
    db.close();
  }
});
afterAll(() => p.remove());

describe("a task's JSON field damaged in graph.db", () => {
  it.each([
    [['show', 'a'], "the artifacts of task 'a'"],
    [['show', 'b'], "the evaluation of task 'b'"],
    [['done', 'a'], "the artifacts of task 'a'"],
    [['export'], "the artifacts of task 'a'"],
  ])('wg %j names the task and the field in one line', async (args, what) => {
    const result = await p.wg(args);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toBe(`wg: graph.db holds a damaged value: ${what} is not JSON (was graph.db edited by another program?)`);
  });

  it('the refused done changed nothing', async () => {
    const listed = JSON.parse(await p.ok(['list', '--json'])) as Array<{ id: string; status: string }>;
    expect(listed.find((t) => t.id === 'a')?.status).toBe('open');
  });
});

describe('a table, column or index of graph.db gone (dropped by another program)', () => {
  const q = new TempProject();
  beforeAll(async () => {
    await q.ok(['init']);
    await q.ok(['add', 'A', '--id', 'a']);
    const db = new Database(join(q.root, '.workgraph/graph.db'));
    try {
      db.exec('DROP TABLE task_log');
      db.exec('DROP INDEX tasks_ready');
    } finally {
      db.close();
    }
  });
  afterAll(() => q.remove());

  it('is said in one line naming it, not in SQLite words alone', async () => {
    const result = await q.wg(['add', 'Z']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toBe(
      "wg: the project's database lacks its table task_log: graph.db was changed by another program; restore it from a copy",
    );
  });

  it('an index too (the ready tasks are read through one by name)', async () => {
    const result = await q.wg(['ready']);
    expect([result.exitCode, result.stderr]).toEqual([
      1,
      "wg: the project's database lacks its index tasks_ready: graph.db was changed by another program; restore it from a copy",
    ]);
  });
});
