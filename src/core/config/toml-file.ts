import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify, TomlError } from 'smol-toml';
import { invalid } from '../../shared/errors';
import { withFileLock } from './file-lock';
import { replaceFile } from '../files/no-follow';
import { readRegularFile } from '../files/regular-file';

export type TomlTable = Record<string, unknown>;

/**
 * Reads a TOML file; a missing file is empty; broken TOML is a user error naming file and line.
 * In a folder upstream uses, its `wg config` writes config.toml too: a FIFO put there is refused
 * without waiting on it (opened the ordinary way it would hold the daemon until something wrote).
 */
export function readToml(path: string): TomlTable {
  const text = readRegularFile(path)?.text;
  if (text === undefined) return {};
  try {
    return parse(text) as TomlTable;
  } catch (error) {
    if (error instanceof TomlError) {
      // smol-toml's first line names what is wrong ("illegal character in key") after its own prefix.
      const what = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/i, '');
      throw invalid(
        `${path} is not valid TOML at line ${error.line}, column ${error.column}${what ? ` (${what})` : ''}; check its brackets and quotes`,
      );
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
