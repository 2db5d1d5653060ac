import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/core/store/store';

/** A store in a fresh temporary folder with a controllable clock. */
export function tempStore(start = new Date('2026-03-01T12:00:00Z')) {
  const dir = mkdtempSync(join(tmpdir(), 'wg-store-'));
  let now = start;
  const store = new Store(join(dir, 'graph.db'), () => now);
  return {
    store,
    dir,
    setNow(date: Date) {
      now = date;
    },
    dispose() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
