import { type RawBuilder, sql } from 'kysely';
import type { SqlStatement } from '../../src/core/store/sql-connection';
import type { StoreCore } from '../../src/core/store/store-core';

/**
 * A statement a test sets up or looks with, written in words both databases share, `?` for each parameter (the store's
 * own statements are built: query/builder.ts). Nothing is translated: a word only SQLite knows fails on PostgreSQL.
 */
export function sqlText<Row = unknown>(core: StoreCore, text: string): Pick<SqlStatement<Row>, 'all' | 'get' | 'run' | 'send'> {
  const parts = text.split('?');
  const query = (params: unknown[]): RawBuilder<Row> => {
    if (params.length !== parts.length - 1) throw new Error(`${parts.length - 1} parameters in the text, ${params.length} given: ${text}`);
    return sql<Row>`${sql.join(
      parts.map((part, i) => (i === 0 ? sql.raw(part) : sql`${params[i - 1]}${sql.raw(part)}`)),
      sql``,
    )}`;
  };
  return {
    all: (...params: unknown[]) => core.all(query(params)),
    get: (...params: unknown[]) => core.get(query(params)),
    run: (...params: unknown[]) => core.run(query(params)),
    send: (...params: unknown[]) => core.send(query(params)),
  };
}
