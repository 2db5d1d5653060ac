import type { StoreCore } from '../../src/core/store/store-core';

/** The SQL texts a store runs while `work` runs (every statement goes through `core.sql`, prepared once per text). */
export async function statementsDuring(core: StoreCore, work: () => unknown): Promise<string[]> {
  const seen: string[] = [];
  const sql = core.sql.bind(core);
  core.sql = ((text: string) => {
    seen.push(text);
    return sql(text);
  }) as typeof core.sql;
  try {
    await work();
  } finally {
    core.sql = sql;
  }
  return seen;
}
