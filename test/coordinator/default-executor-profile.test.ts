import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigEntry } from '../../src/shared/config-types';
import { DaemonProject } from '../service/helpers/daemon-project';

/**
 * Seed 001: a task's executor defaults to "default", resolved from `[executors.default]` in config.toml;
 * its example config has one (`type = "claude"`), and `[executors.scheduled] type = "schedule"` beside it.
 */
const p = new DaemonProject('wg-default-profile-');
beforeAll(async () => {
  await p.init();
  appendFileSync(
    p.paths.config,
    [
      '',
      '[executors.default]',
      'type = "cli"',
      'command = "sh"',
      'args = ["-c", "echo {task_id} > made-by-default.txt"]',
      '',
      '[executors.scheduled]',
      'type = "schedule"',
      '',
    ].join('\n'),
  );
});
afterAll(() => p.remove());

describe('[executors.default] (seed 001)', () => {
  it('runs a task that names no executor, and config --list says where the default came from', async () => {
    const entries = await p.json<ConfigEntry[]>(['config', '--list']);
    expect(entries.find((e) => e.key === 'coordinator.executor')).toEqual({
      key: 'coordinator.executor',
      value: 'default',
      source: 'local',
      via: 'executors.default',
    });
    expect(await p.ok(['config', '--list'])).toMatch(/coordinator\.executor\s+default\s+\(local, from executors\.default\)/);
    await p.ok(['add', 'Plain task', '--id', 'plain']);
    await p.start();
    await p.waitFor('plain to be done', () => p.task('plain').status === 'done');
    expect(p.agentsOf('plain')[0]?.executor).toBe('default');
    expect(readFileSync(join(p.root, 'made-by-default.txt'), 'utf8').trim()).toBe('plain');
  });
});
