import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../src/core/opening/open-store';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { openReadOnlyHost } from '../../src/core/read-only-host';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the read-only host the window opens for a project it cannot write', () => {
  it('answers queries, says it is read-only, runs nothing and refuses every change', async () => {
    root = mkdtempSync(join(tmpdir(), 'wg-rohost-'));
    const paths = projectPaths(join(root, '.workgraph'));
    ensureProjectDirs(paths);
    const { store } = openProjectStore(paths);
    store.tasks.add({ title: 'Hello' }, 'user');
    store.close();
    const host = openReadOnlyHost(paths);
    try {
      expect(host.readOnly).toBe(true);
      expect((await host.dispatch('task:list', {})).map((t) => t.id)).toEqual(['hello']);
      expect(await host.dispatch('service:status', {})).toMatchObject({ running: false, read_only: true });
      await expect(host.dispatch('task:add', { title: 'More' })).rejects.toThrow(/this project is read-only/);
      await expect(host.dispatch('service:pause', {})).rejects.toThrow(/this project is read-only/);
    } finally {
      await host.close({ stopAgents: false });
    }
  });
});
