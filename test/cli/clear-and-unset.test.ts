import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigEntry } from '../../src/shared/config-types';
import type { Task } from '../../src/shared/task';
import { TempProject } from '../helpers/wg-cli';

/*
 * The command line's ways back to nothing, which the window uses too: `wg edit --clear FIELD` (and upstream's
 * `--cron ""`) for a task's fields, `wg config --unset KEY` for a setting.
 */
const p = new TempProject();
beforeAll(async () => {
  await p.ok(['init']);
});
afterAll(() => p.remove());

describe('wg edit --clear', () => {
  it('clears the fields named, comma separated or repeated, and the schedule with --cron ""', async () => {
    await p.ok(['add', 'Nightly', '--id', 'nightly', '--executor', 'shell', '--exec', 'make report', '--model', 'opus']);
    await p.ok(['edit', 'nightly', '--max-retries', '2', '--cron', '0 3 * * *']);
    expect(await p.json<Task>(['show', 'nightly'])).toMatchObject({ exec: 'make report', max_retries: 2, schedule: '0 3 * * *' });
    await p.ok(['edit', 'nightly', '--clear', 'model,exec', '--clear', 'max-retries', '--cron', '']);
    expect(await p.json<Task>(['show', 'nightly'])).toMatchObject({
      model: null,
      exec: null,
      max_retries: null,
      schedule: null,
      executor: 'shell',
    });
  });

  it('refuses a field it cannot clear, and one given and cleared at once', async () => {
    const unknown = await p.wg(['edit', 'nightly', '--clear', 'title']);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toMatch(/--clear takes model, executor, exec, max-retries, not 'title'/);
    const both = await p.wg(['edit', 'nightly', '--executor', 'claude', '--clear', 'executor']);
    expect(both.exitCode).not.toBe(0);
    expect(both.stderr).toMatch(/give either --executor or --clear executor, not both/);
  });
});

describe('wg config --unset', () => {
  it("takes a key out of the project's config.toml, so the default applies again", async () => {
    await p.ok(['config', '--max-agents', '8', '--max-retries', '5']);
    // One line for what changed, as a set says "Set …" (not the whole table).
    expect((await p.ok(['config', '--unset', 'coordinator.max_agents'])).trim()).toBe(
      'Unset coordinator.max_agents; 4 applies now (default)',
    );
    const entries = await p.json<ConfigEntry[]>(['config', '--list']);
    expect(entries.find((e) => e.key === 'coordinator.max_agents')).toMatchObject({ value: 4, source: 'default' });
    expect(entries.find((e) => e.key === 'agent.max_retries')).toMatchObject({ value: 5, source: 'local' });
    expect(readFileSync(join(p.root, '.workgraph', 'config.toml'), 'utf8')).not.toMatch(/max_agents/);
  });

  it('refuses a key it does not know', async () => {
    const result = await p.wg(['config', '--unset', 'coordinator.nope']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/--unset takes a key --list shows \(e\.g\. coordinator\.max_agents\), not 'coordinator\.nope'/);
  });
});
