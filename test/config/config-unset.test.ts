import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/core/config/settings';
import { dispatch } from '../../src/core/ops/dispatch';
import { openProjectStore } from '../../src/core/opening/open-store';
import { ensureProjectDirs, projectPaths, type ProjectPaths } from '../../src/core/project';
import type { ConfigEntry } from '../../src/shared/config-types';

/*
 * `wg config --unset KEY` (config:update's `unset`): a setting taken out of config.toml, so the global value or the
 * default applies again. Upstream's `wg config` has no way to unset one key (only `--reset` of the whole file); the
 * Settings page empties a field with it.
 */

let root: string;
let paths: ProjectPaths;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function project(local: string, global = ''): ProjectPaths {
  root = mkdtempSync(join(tmpdir(), 'wg-unset-'));
  paths = { ...projectPaths(join(root, '.workgraph')), globalConfig: join(root, 'home', 'config.toml') };
  ensureProjectDirs(paths);
  mkdirSync(join(root, 'home'));
  writeFileSync(paths.config, local);
  writeFileSync(paths.globalConfig, global);
  return paths;
}

const entry = async (key: string) => (await loadSettings(paths)).entries.find((e) => e.key === key);

async function withStore<T>(
  run: (ctx: { store: Awaited<ReturnType<typeof openProjectStore>>['store']; paths: ProjectPaths; actor: string }) => Promise<T>,
) {
  const { store } = await openProjectStore(paths);
  try {
    return await run({ store, paths, actor: 'user' });
  } finally {
    await store.close();
  }
}

describe('unsetting a setting (wg config --unset KEY)', () => {
  it("takes the key out of the project's config.toml: the default applies again, and the other keys stay", async () => {
    project('[coordinator]\nmax_agents = 8\nmodel = "opus"\n\n[agent]\nmax_retries = 5\n');
    const entries = await withStore(
      (ctx) => dispatch('config:update', { unset: ['coordinator.max_agents', 'agent.max_retries'] }, ctx) as Promise<ConfigEntry[]>,
    );
    expect(entries.find((e) => e.key === 'coordinator.max_agents')).toMatchObject({ value: 4, source: 'default' });
    expect(await entry('agent.max_retries')).toMatchObject({ source: 'default' });
    expect(await entry('coordinator.model')).toMatchObject({ value: 'opus', source: 'local' });
    const file = readFileSync(paths.config, 'utf8');
    expect(file).not.toMatch(/max_agents|max_retries|\[agent\]/);
    expect(file).toMatch(/model = "opus"/);
  });

  it("falls back to the global value; with --global it unsets the global one and leaves the project's", async () => {
    project('[coordinator]\nmax_agents = 8\n', '[coordinator]\nmax_agents = 6\nmodel = "haiku"\n');
    await withStore((ctx) => dispatch('config:update', { unset: ['coordinator.max_agents'] }, ctx));
    expect(await entry('coordinator.max_agents')).toMatchObject({ value: 6, source: 'global' });
    writeFileSync(paths.config, '[coordinator]\nmax_agents = 8\n');
    await withStore((ctx) => dispatch('config:update', { unset: ['coordinator.model'], global: true }, ctx));
    expect(readFileSync(paths.globalConfig, 'utf8')).not.toMatch(/model/);
    expect(await entry('coordinator.model')).toMatchObject({ value: null, source: 'default' });
    expect(await entry('coordinator.max_agents')).toMatchObject({ value: 8, source: 'local' });
  });

  it('refuses a key set and unset at once, and a key it does not know, writing nothing', async () => {
    project('[coordinator]\nmax_agents = 8\n');
    await withStore(async (ctx) => {
      await expect(dispatch('config:update', { maxAgents: 3, unset: ['coordinator.max_agents'] }, ctx)).rejects.toThrow(
        'give either --max-agents or --unset coordinator.max_agents, not both',
      );
      await expect(dispatch('config:update', { unset: ['coordinator.nope'] }, ctx)).rejects.toThrow(/coordinator\.max_agents/);
    });
    expect(readFileSync(paths.config, 'utf8')).toBe('[coordinator]\nmax_agents = 8\n');
  });

  it("is a change of the coordinator's settings: a person's token may not", async () => {
    project('[coordinator]\nmax_agents = 8\n');
    await withStore(async (ctx) => {
      await expect(
        dispatch('config:update', { unset: ['coordinator.max_agents'] }, { ...ctx, person: { name: 'alice', admin: false } }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    });
    expect(await entry('coordinator.max_agents')).toMatchObject({ value: 8, source: 'local' });
  });
});
