import { DummyDriver, Kysely, PostgresAdapter, PostgresQueryCompiler, SqliteAdapter, SqliteQueryCompiler } from 'kysely';
import type { StoreKind } from '../sql-connection';
import type { Tables } from './tables';

/**
 * The query builder (kysely) for each database, used only to write SQL: a query is built, compiled to its database's
 * text and parameters, and run by the store's own connection (sql-connection.ts), which keeps what kysely's drivers
 * have no notion of: a transaction carried by its async context, statements pipelined to PostgreSQL, the write fence.
 * The dummy driver is kysely's own way of building without executing.
 */
export type QueryBuilder = Kysely<Tables>;

function builderFor(kind: StoreKind): QueryBuilder {
  const sqlite = kind === 'sqlite';
  return new Kysely<Tables>({
    dialect: {
      createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      // Never asked for (nothing here reads a schema through kysely); kysely's introspectors would bring its migrator
      // into every `wg` start.
      createIntrospector: () => {
        throw new Error('the query builder only writes SQL: it has no introspector');
      },
      createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  });
}

export const QUERY_BUILDERS: Readonly<Record<StoreKind, QueryBuilder>> = {
  sqlite: builderFor('sqlite'),
  postgres: builderFor('postgres'),
};
