import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProjectHost } from '../../src/core/host';
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
    const { store } = await openProjectStore(paths);
    await store.tasks.add({ title: 'Hello' }, 'user');
    await store.close();
    const host = await openReadOnlyHost(paths);
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

describe('the app opening a folder upstream workgraph uses', () => {
  it('imports its .wg/graph.jsonl on Open Folder, says so once, and runs the graph', async () => {
    root = mkdtempSync(join(tmpdir(), 'wg-openfolder-'));
    process.env.WG_HOME = join(root, '.home');
    mkdirSync(join(root, '.wg'));
    copyFileSync(join(import.meta.dirname, '../fixtures/upstream/graph.jsonl'), join(root, '.wg', 'graph.jsonl'));
    const first = await openProjectHost(root, { createIfMissing: true });
    try {
      expect(first.paths.dir).toBe(join(root, '.wg'));
      // Upstream keeps service/daemon.sock, service/state.json and runs/ there too: this app's go beside, in desktop/.
      expect([first.paths.serviceDir, first.paths.runsDir]).toEqual([join(root, '.wg/desktop/service'), join(root, '.wg/desktop/runs')]);
      expect(first.notice).toMatch(/^imported 25 tasks from .*\/\.wg\/graph\.jsonl \(the file is left as it is/);
      expect((await first.dispatch('task:list', { all: true })).length).toBe(25);
      expect(existsSync(join(root, '.workgraph'))).toBe(false);
    } finally {
      await first.close({ stopAgents: true });
    }
    const again = await openProjectHost(root, { createIfMissing: true });
    expect(again.notice).toBeNull();
    await again.close({ stopAgents: true });
  });
});
