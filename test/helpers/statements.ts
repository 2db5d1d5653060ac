import type { StoreCore } from '../../src/core/store/store-core';

/** The SQL texts a store runs while `work` runs (every statement goes through `core.statement`, prepared once per text). */
export async function statementsDuring(core: StoreCore, work: () => unknown): Promise<string[]> {
  const seen: string[] = [];
  const statement = core.statement.bind(core);
  core.statement = ((text: string) => {
    seen.push(text);
    return statement(text);
  }) as typeof core.statement;
  try {
    await work();
  } finally {
    core.statement = statement;
  }
  return seen;
}
