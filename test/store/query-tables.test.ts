import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { tempStore } from '../helpers/temp-store';

interface Column {
  name: string;
  type: string;
  notnull: number;
  dflt_value: unknown;
  pk: number;
}

const typeOf = (column: Column) => (/INT|REAL/i.test(column.type) ? 'number' : /TEXT/i.test(column.type) ? 'string' : 'unknown');
const interfaceName = (table: string) =>
  `${table
    .split('_')
    .map((part) => (part[0] as string).toUpperCase() + part.slice(1))
    .join('')}Table`;

it("the query builder's tables (query/tables.ts) are the migrated schema's, column for column", async () => {
  const env = await tempStore();
  try {
    const db = env.store.core.db;
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    let expected = '';
    for (const table of tables) {
      expected += `export interface ${interfaceName(table)} {\n`;
      for (const column of db.prepare(`PRAGMA table_info("${table}")`).all() as Column[]) {
        const type = typeOf(column) + (column.notnull === 0 && column.pk === 0 ? ' | null' : '');
        const generated = column.dflt_value !== null || (column.pk === 1 && /INT/i.test(column.type));
        expected += `  ${column.name}: ${generated ? `Generated<${type}>` : type};\n`;
      }
      expected += '}\n\n';
    }
    expected += `export interface Tables {\n${tables.map((table) => `  ${table}: ${interfaceName(table)};`).join('\n')}\n}\n`;
    const file = readFileSync(new URL('../../src/core/store/query/tables.ts', import.meta.url), 'utf8');
    // Everything after the file's opening comment.
    expect(file.slice(file.indexOf('export interface'))).toBe(expected);
  } finally {
    env.dispose();
  }
});
