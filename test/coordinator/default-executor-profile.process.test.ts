import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
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
      // The prompt comes on stdin when no argument takes {prompt}.
      'args = ["-c", "cat > prompt-of-{task_id}.txt"]',
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
    await p.waitFor('plain to be done', async () => (await p.task('plain')).status === 'done');
    expect((await p.agentsOf('plain'))[0]?.executor).toBe('default');
    expect(readFileSync(join(p.root, 'prompt-of-plain.txt'), 'utf8')).toContain('# Task plain: Plain task');
  });
});

describe("a task's verify criteria, kept from upstream's graph.jsonl", () => {
  it("reach the agent's prompt, as upstream's build_prompt puts them", async () => {
    const file = join(p.root, 'upstream.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ kind: 'task', id: 'checked', title: 'Checked work', status: 'open', verify: 'npm test passes' })}\n`,
    );
    await p.ok(['import', file]);
    await p.waitFor('checked to be done', async () => (await p.task('checked')).status === 'done');
    expect(readFileSync(join(p.root, 'prompt-of-checked.txt'), 'utf8')).toContain(
      '## Verification Required\n\nBefore marking done, you MUST verify:\nnpm test passes',
    );
  });
});
