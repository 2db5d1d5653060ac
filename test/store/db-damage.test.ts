import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { refusal } from '../helpers/refusal';
import { recordDamage } from '../../src/core/store/db-damage';
import { Store } from '../../src/core/store/store';

/**
 * The note a damaged graph.db leaves (issue 27, item 5): every later opening refuses that very file,
 * as a service error (HTTP 503), never the client's; a file put in its place is used.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function database(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wg-note-'));
  dirs.push(dir);
  const path = join(dir, 'graph.db');
  const store = await Store.open(path);
  await store.tasks.add({ title: 'Kept', id: 'kept' }, 'test');
  await store.close();
  return path;
}

describe('a graph.db found damaged', () => {
  it('is refused by every later opening, read-only too, as the service failing (503)', async () => {
    const path = await database();
    recordDamage(path, 'SQLite quick_check failed');
    for (const readonly of [false, true]) {
      const error = await refusal(() => Store.open(path, undefined, { readonly }));
      expect(error.message).toMatch(/graph\.db is damaged \(SQLite quick_check failed\); it was left as it is \(restore it from a backup/);
      expect(error.httpStatus).toBe(503);
    }
  });

  it('is used again once another file is put in its place (restored, or started afresh)', async () => {
    const path = await database();
    const copy = `${path}.backup`;
    copyFileSync(path, copy);
    recordDamage(path, 'SQLite quick_check failed');
    // Copied over it: the same file to the system, still refused until `wg check --db` finds it whole.
    writeFileSync(path, readFileSync(copy));
    expect((await refusal(() => Store.open(path))).httpStatus).toBe(503);
    // Moved into its place: a new file.
    rmSync(path);
    copyFileSync(copy, path);
    const store = await Store.open(path);
    expect((await store.get('kept')).title).toBe('Kept');
    await store.close();
  });
});
