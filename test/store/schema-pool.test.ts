import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newRun } from '../../src/core/store/agent-records';
import type { PgConnection } from '../../src/core/store/postgres/pg-connection';
import { Store } from '../../src/core/store/store';
import { type SchemaPool, schemaPool } from '../helpers/pg-schema-pool';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/**
 * The PostgreSQL stores of the store's tests take schemas put back as new (test/helpers/pg-schema-pool.ts): one
 * put back must read exactly as one the migrations just made, and one that cannot be put back safely is not.
 * Only on PostgreSQL: an SQLite store is a new file each time. On a server of its own: a schema is put back only
 * while nothing else is connected to its server, and the test process's shared server also serves the other
 * files this worker runs (what they leave connected would make every schema here dropped).
 */
describe.skipIf(!STORE_KINDS.includes('postgres'))('a PostgreSQL schema a store test gives back', () => {
  let server: PgServer;
  let pool: SchemaPool;
  beforeAll(() => {
    server = startPostgresServer();
    pool = schemaPool(server);
  });
  afterAll(() => server?.stop());
  const open: Array<Awaited<ReturnType<typeof tempStore>>> = [];
  afterEach(async () => {
    for (const env of open.splice(0)) await env.dispose();
  });
  const take = async () => {
    const env = await tempStore(undefined, 'postgres', pool);
    open.push(env);
    return env;
  };
  const schemaOf = (env: Awaited<ReturnType<typeof tempStore>>) => new URL(env.location).searchParams.get('schema');

  /** Every row of every table, and every counter, of a schema: what a store reads and what its next numbers are. */
  async function contents(conn: PgConnection, schema: string): Promise<Record<string, unknown>> {
    const literal = `'${schema}'`;
    const out: Record<string, unknown> = {};
    for (const { name, kind } of await conn.pgQuery<{ name: string; kind: string }>(
      `SELECT relname AS name, relkind AS kind FROM pg_class WHERE relnamespace = ${literal}::regnamespace AND relkind IN ('r', 'S') ORDER BY 1`,
    )) {
      const table = `"${schema}"."${name}"`;
      out[name] =
        kind === 'S'
          ? await conn.pgQuery(`SELECT last_value, is_called FROM ${table}`)
          : (await conn.pgQuery(`SELECT * FROM ${table} ORDER BY 1`)).map((row) => JSON.stringify(row));
    }
    return out;
  }

  /** Tasks, a run and its log: rows in many tables, and identities moved on. */
  async function fill(store: Store): Promise<void> {
    for (let i = 0; i < 5; i++) await store.tasks.add({ title: `task ${i}`, id: `t${i}` }, 'test');
    await store.core.write(async (rev) => {
      const run = newRun(
        'agent-1',
        {
          task_id: 't0',
          executor: 'claude',
          model: null,
          model_source: null,
          runs_elsewhere: false,
          output_path: null,
          purpose: 'task',
        },
        store.core.nowIso(),
        rev,
      );
      await store.agents.insert(
        run,
        JSON.stringify({ kind: 'process', output: 'plain', resumed_session: null, timeout_s: null, needs_evidence: false }),
        'run-1',
      );
    });
    await store.tasks.claim('t0', 'agent-1', 'coordinator');
  }

  it('reads as a schema the migrations just made, rows and counters alike', async () => {
    const made = await Store.open(server.url({ schema: 'pool_check' }), () => new Date('2026-03-01T12:00:00Z'));
    const madeContents = await contents(made.core.conn as PgConnection, 'pool_check');
    await made.close();

    const first = await take();
    await fill(first.store);
    const used = schemaOf(first);
    await first.dispose();
    const again = await take();
    expect(schemaOf(again)).toBe(used);
    const conn2 = again.store.core.conn as PgConnection;
    expect(await contents(conn2, used as string)).toEqual(madeContents);
    // The same next numbers as a new project's: the first task added is the first one.
    await fill(again.store);
    expect(await contents(conn2, used as string)).not.toEqual(madeContents);
  });

  it('is dropped, not given to the next test, while something else is still connected', async () => {
    const first = await take();
    const used = schemaOf(first);
    const left = await Store.open(first.location);
    try {
      await first.dispose();
    } finally {
      await left.close();
    }
    expect(schemaOf(await take())).not.toBe(used);
  });

  it('is dropped when the test changed its tables', async () => {
    const first = await take();
    const used = schemaOf(first);
    await (first.store.core.conn as PgConnection).pgQuery('ALTER TABLE tasks ADD COLUMN pool_probe text');
    await first.dispose();
    expect(schemaOf(await take())).not.toBe(used);
  });
});
