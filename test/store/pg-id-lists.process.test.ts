import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';

/*
 * The store asks for rows by a list of ids as a JSON array (`x IN (SELECT value FROM json_each(?))`, one statement
 * whatever the list's length). PostgreSQL guesses 100 rows for any set-returning function, and for that guess it
 * planned the join by reading the whole table: every agent a project ever ran, for the two runs a coordinator's turn
 * judges, and every task for the one it claims. PostgreSQL's form (`= ANY ($1::text[])`) is answered by the index.
 * Checked through the store's own conditions (query/functions.ts) and its connection, on tables the size of a real project's
 * with the statistics PostgreSQL's autovacuum gathers on such tables by itself.
 */
const SIZE = 1_500;
const { url, schema, psql } = freshSchema('idlists');
let store: Store;

beforeAll(async () => {
  store = await Store.open(url);
  // One import, as a person adds a plan: a chain of SIZE tasks.
  await store.importJsonl(
    Array.from({ length: SIZE }, (_, i) =>
      JSON.stringify({ kind: 'task', id: `t${i}`, title: `t${i}`, status: 'open', after: i > 0 ? [`t${i - 1}`] : [] }),
    ).join('\n'),
  );
  psql(
    `SET search_path = ${schema}; INSERT INTO agents (id, task_id, executor, state, started_at, rev)
     SELECT 'agent-' || g, 't' || g, 'shell', 'done', '2026-01-01T00:00:00.000Z', 1 FROM generate_series(0, ${SIZE - 1}) g;
     ANALYZE tasks; ANALYZE agents; ANALYZE deps`,
  );
}, 400_000);

afterAll(() => store?.close());

/** PostgreSQL's plan for `statement` (built as the store builds it: query/functions.ts's inList) with these ids. */
async function plan(statement: RawBuilder<unknown>): Promise<string> {
  return (await store.core.all(sql<Record<string, string>>`EXPLAIN ${statement}`)).map((row) => Object.values(row).join('')).join('\n');
}

const inList = (column: string, list: string[]) => store.core.fn.inList(sql.ref(column), list);

describe('rows asked for by a list of ids (PostgreSQL)', () => {
  it.each([
    [
      'tasks by id (a claim reads its tasks)',
      (list: string[]) => sql`SELECT * FROM tasks WHERE ${inList('id', list)}`,
      'tasks',
      ['t5', 't9'],
    ],
    [
      "agents with their tasks' state by id (a turn reads the runs that ended, run-views.ts)",
      (list: string[]) =>
        sql`SELECT a.id, a.state, t.status FROM agents a LEFT JOIN tasks t ON t.id = a.task_id WHERE ${inList('a.id', list)}`,
      'agents',
      ['agent-5', 'agent-9'],
    ],
    ['dependents of some tasks', (list: string[]) => sql`SELECT task_id FROM deps WHERE ${inList('dep_id', list)}`, 'deps', ['t5', 't9']],
  ])('reads %s through the index, not the whole table', async (_what, statement, table, list) => {
    const shown = await plan(statement(list));
    expect(shown, shown).not.toMatch(new RegExp(`Seq Scan on ${table}\\b`));
    expect(shown, shown).toMatch(/Index/);
  });

  it('answers as the list says: what is in it, and what is not', async () => {
    const { core } = store;
    const listed = async (list: string[]) =>
      (await core.all(sql<{ id: string }>`SELECT id FROM tasks WHERE ${inList('id', list)} ORDER BY id`)).map((row) => row.id);
    expect(await listed(['t5', 't9', 'nope'])).toEqual(['t5', 't9']);
    expect(await listed([])).toEqual([]);
    const notIn = async (list: string[]) =>
      Number(
        (
          await core.get(
            sql<{ n: number }>`SELECT count(*) AS n FROM tasks WHERE id LIKE 't1%' AND ${core.fn.notInList(sql.ref('id'), list)}`,
          )
        )?.n,
      );
    const all = await notIn([]);
    expect(await notIn(['t1', 't10', 'nope'])).toBe(all - 2);
  });
});
