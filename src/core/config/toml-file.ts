import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify, TomlError } from 'smol-toml';
import { invalid } from '../../shared/errors';
import { withFileLock } from './file-lock';
import { replaceFile } from '../files/no-follow';

export type TomlTable = Record<string, unknown>;

/** Reads a TOML file; a missing file is empty; broken TOML is a user error naming file and line. */
export function readToml(path: string): TomlTable {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  try {
    return parse(text) as TomlTable;
  } catch (error) {
    if (error instanceof TomlError) {
      throw invalid(`${path}:${error.line}:${error.column}: ${error.message.split('\n')[0]}`);
    }
    throw error;
  }
}

/**
 * Read-modify-write of one TOML file, holding its lock so that concurrent writers (eight `wg model
 * add` at once) all land. Parsing first means broken TOML is reported and never overwritten; the
 * write goes to a temporary file renamed into place so a crash leaves old or new.
 */
export function updateToml(path: string, change: (table: TomlTable) => void): TomlTable {
  mkdirSync(dirname(path), { recursive: true });
  return withFileLock(path, () => {
    const table = readToml(path);
    change(table);
    replaceFile(path, stringify(table), { mode: 0o644 });
    return table;
  });
}

/** The sub-table at `key`, created if absent. */
export function section(table: TomlTable, key: string): TomlTable {
  const existing = table[key];
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing as TomlTable;
  const created: TomlTable = {};
  table[key] = created;
  return created;
}
