import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { throughOwnCoordinator } from '../../src/cli/own-coordinator-op';
import { locateProject } from '../../src/core/project';
import { TempProject } from '../helpers/wg-cli';

/*
 * A run's `wg` on a team's graph holds no login to the database: when its coordinator does not come back within the
 * time it waits (none runs in this folder), it says once that it tries again, then in one line that nothing was done.
 */

const folders: TempProject[] = [];
const saved = { WG_RUN_ID: process.env.WG_RUN_ID, WG_API_TOKEN: process.env.WG_API_TOKEN };
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  for (const p of folders.splice(0)) p.remove();
});

it("says in one line that a run's report was not done when its coordinator does not answer in time", async () => {
  const p = new TempProject('wg-own-coordinator-');
  folders.push(p);
  const dir = join(p.root, '.workgraph');
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.toml'), '[store]\nurl = "postgresql://team@db.example.com/wg?schema=shop"\n');
  process.env.WG_RUN_ID = 'run-1';
  process.env.WG_API_TOKEN = 'wgr_credential';
  const warned: string[] = [];
  const started = Date.now();
  await expect(
    throughOwnCoordinator('task:log', { id: 'build', message: 'halfway' }, locateProject({ dir }), (m) => warned.push(m), 1000),
  ).rejects.toThrow(
    "this project's coordinator did not answer for 1 s (nothing listens there), so 'wg log' was not done: an agent's run reaches a team's graph only through it",
  );
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(warned).toEqual(["this project's coordinator does not answer (nothing listens there); trying again for up to 1 s"]);
});

it('leaves an SQLite project, and a person, to open the store as before', async () => {
  const p = new TempProject('wg-own-coordinator-');
  folders.push(p);
  const dir = join(p.root, '.workgraph');
  mkdirSync(dir);
  process.env.WG_RUN_ID = 'run-1';
  process.env.WG_API_TOKEN = 'wgr_credential';
  expect(await throughOwnCoordinator('task:log', { id: 'build', message: 'halfway' }, locateProject({ dir }), () => undefined, 1000)).toBe(
    null,
  );
  writeFileSync(join(dir, 'config.toml'), '[store]\nurl = "postgresql://team@db.example.com/wg?schema=shop"\n');
  delete process.env.WG_RUN_ID;
  // No coordinator runs here: a person's read opens the store.
  expect(await throughOwnCoordinator('task:show', { id: 'build' }, locateProject({ dir }), () => undefined)).toBe(null);
});
