import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationEntry } from '../../shared/history';

/*
 * Upstream's operations log (its provenance records): `log/operations.jsonl` in a folder upstream also uses,
 * one OperationEntry a line, appended by upstream's wg. Read whole lines only (a last line without
 * its newline may still be being written); a line that is not an entry is skipped. Upstream's
 * rotated files (`*.jsonl.zst`) are zstd, which this app does not read.
 */

const isEntry = (value: unknown): value is OperationEntry =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as OperationEntry).timestamp === 'string' &&
  typeof (value as OperationEntry).op === 'string';

export function readOperations(wgDir: string): OperationEntry[] {
  const path = join(wgDir, 'log', 'operations.jsonl');
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const whole = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const entries: OperationEntry[] = [];
  for (const line of whole.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (isEntry(value)) entries.push(value);
    } catch {
      // Not an entry: skipped, as the rest of the log is still worth showing.
    }
  }
  return entries;
}
