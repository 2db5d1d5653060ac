import type { PgConnection } from '../../src/core/store/postgres/pg-connection';
import { openConnection } from '../../src/core/store/open-connection';
import { type PgServer, sharedPostgres } from './postgres-server';
import { SQL_SESSION_NAME } from './sql-session';

/**
 * A new project's schema on the test process's PostgreSQL server, without migrating one for every store
 * (the migrations were nearly three quarters of the `postgres` project's test time). A schema a test is
 * done with is put back as a new project's before another takes it: its tables emptied and filled with
 * what the migrations leave in them, its counters set as they leave them, copied from a schema this
 * process migrated once (the seed). It is put back only when nothing but the closing store is connected
 * (nothing the test left open can write into the next test's project) and its tables, columns,
 * constraints, indexes, triggers and functions are the seed's (a test that changed them gets its schema
 * dropped instead); test/store/schema-pool.test.ts checks that a schema put back reads as a new one.
 */

interface Seed {
  schema: string;
  shape: string;
  /** Empties a schema's tables and copies the seed's rows and counters into it (`#` stands for the schema). */
  reset: string;
}

/** New projects' schemas on one server. */
export interface SchemaPool {
  /** A schema for a new project's store: one put back as new, or a fresh name the store migrates when it opens it. */
  take(): Promise<{ url: string; schema: string }>;
  /**
   * Gives a test's schema back through its store's connection, before the store closes: put back as a new
   * project's when it can be (see above), dropped otherwise.
   */
  giveBack(conn: PgConnection, schema: string): Promise<void>;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Everything a schema is made of, as one digest, its own name taken out: each name is written in full
 * (search_path pg_catalog), so that two schemas' shapes compare.
 */
async function shape(conn: PgConnection, schema: string): Promise<string> {
  const literal = `'${schema}'`;
  return conn.withoutProjectLock(async () => {
    await conn.pgQuery('SET LOCAL search_path TO pg_catalog');
    const [row] = await conn.pgQuery<{ digest: string }>(`
      SELECT md5(coalesce(string_agg(replace(part, ${literal}, '#'), E'\\n' ORDER BY replace(part, ${literal}, '#')), '')) AS digest
      FROM (
        SELECT concat_ws(' ', 'class', c.relname, c.relkind) AS part
          FROM pg_class c WHERE c.relnamespace = ${literal}::regnamespace
        UNION ALL
        SELECT concat_ws(' ', 'column', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
                         pg_get_expr(d.adbin, d.adrelid))
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE c.relnamespace = ${literal}::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid)
          FROM pg_constraint WHERE connamespace = ${literal}::regnamespace
        UNION ALL
        SELECT 'index ' || pg_get_indexdef(i.indexrelid)
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = ${literal}::regnamespace
        UNION ALL
        SELECT 'trigger ' || pg_get_triggerdef(t.oid)
          FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = ${literal}::regnamespace AND NOT t.tgisinternal
        UNION ALL
        SELECT 'function ' || pg_get_functiondef(p.oid)
          FROM pg_proc p WHERE p.pronamespace = ${literal}::regnamespace
      ) AS parts`);
    return row?.digest ?? '';
  });
}

/** The seed: a schema migrated as a new project's (no store opened on it), and the statements that make another schema of its shape equal to it. */
async function makeSeed(server: PgServer): Promise<Seed> {
  const schema = `seed_${process.pid}`;
  const conn = (await openConnection(server.url({ schema }))) as PgConnection;
  try {
    const tables = await Promise.all(
      (
        await conn.pgQuery<{ name: string; filled: boolean }>(
          `SELECT c.relname AS name, false AS filled FROM pg_class c WHERE c.relnamespace = '${schema}'::regnamespace AND c.relkind = 'r' ORDER BY 1`,
        )
      ).map(async ({ name }) => ({
        name,
        filled:
          ((await conn.pgQuery<{ count: string }>(`SELECT count(*) AS count FROM ${quote(schema)}.${quote(name)}`))[0]?.count ?? '0') !==
          '0',
      })),
    );
    const counters = await Promise.all(
      (
        await conn.pgQuery<{ name: string }>(
          `SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = '${schema}'::regnamespace AND c.relkind = 'S' ORDER BY 1`,
        )
      ).map(async ({ name }) => {
        const [state] = await conn.pgQuery<{ last_value: string; is_called: boolean }>(
          `SELECT last_value, is_called FROM ${quote(schema)}.${quote(name)}`,
        );
        return `SELECT setval('#.${quote(name)}', ${Number(state?.last_value)}, ${state?.is_called ? 'true' : 'false'});`;
      }),
    );
    const reset = [
      `TRUNCATE ${tables.map(({ name }) => `#.${quote(name)}`).join(', ')} RESTART IDENTITY;`,
      ...tables
        .filter(({ filled }) => filled)
        .map(({ name }) => `INSERT INTO #.${quote(name)} OVERRIDING SYSTEM VALUE SELECT * FROM ${quote(schema)}.${quote(name)};`),
      ...counters,
    ].join('\n');
    return { schema, shape: await shape(conn, schema), reset };
  } finally {
    await conn.close();
  }
}

let schemas = 0;

/** The pool of one server (a test of the pool itself starts a server of its own, so that nothing else connects to it). */
export function schemaPool(server: PgServer): SchemaPool {
  let seed: Seed | null = null;
  const theSeed = async () => {
    seed ??= await makeSeed(server);
    return seed;
  };
  const reusable: string[] = [];
  return {
    async take() {
      await theSeed();
      const schema = reusable.pop() ?? `t_${process.pid}_${++schemas}_${Math.random().toString(36).slice(2, 8)}`;
      return { url: server.url({ schema }), schema };
    },
    async giveBack(conn, schema) {
      const { shape: seedShape, reset } = await theSeed();
      const [others] = await conn.pgQuery<{ count: string }>(
        `SELECT count(*) AS count FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND application_name <> '${SQL_SESSION_NAME}'`,
      );
      if (Number(others?.count) === 0 && (await shape(conn, schema)) === seedShape) {
        await conn.pgQuery(reset.replaceAll('#.', `${quote(schema)}.`));
        reusable.push(schema);
        return;
      }
      await conn.pgQuery(`DROP SCHEMA IF EXISTS ${quote(schema)} CASCADE`);
    },
  };
}

const SHARED = Symbol.for('workgraph.test.schemaPool');
type WithPool = typeof globalThis & { [SHARED]?: SchemaPool };

/** The pool of the server this test process shares between its files (sharedPostgres). */
export function sharedSchemaPool(): SchemaPool {
  const holder = globalThis as WithPool;
  holder[SHARED] ??= schemaPool(sharedPostgres());
  return holder[SHARED];
}
