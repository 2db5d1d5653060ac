import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AGENT } from '../../src/core/agency/starters';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { startFakeAnthropic, text, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { DaemonProject } from '../service/helpers/daemon-project';

/**
 * `wg spawn TASK` by hand with auto-assign on: the task gets its identity first, by the same
 * assignment the coordinator makes (the real Claude Code CLI as the assigner, scripted model), with
 * seed 004's log line, and only then is it claimed. The coordinator is paused, so nothing but the
 * spawn starts it; its executor is external, so no agent process runs.
 */
let fake: FakeAnthropic;
let p: DaemonProject;

beforeAll(async () => {
  fake = await startFakeAnthropic([], {
    toolless: 'script',
    respond: () => [
      text(
        `{"agent_hash": "${DEFAULT_AGENT.id.slice(0, 8)}", "exec_mode": "light", "context_scope": "task", "reason": "picked for wg spawn"}`,
      ),
    ],
  });
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-spawn-assign-', env, isolatedHostEnv());
  mkdirSync(join(p.root, 'home'), { recursive: true });
  Object.assign(env, claudeEnv(fake.url, join(p.root, 'home')));
  await p.init();
  await p.ok(['agency', 'init']);
  await p.start();
  await p.ok(['service', 'pause']);
}, 120_000);
afterAll(async () => {
  await p?.remove();
  await fake?.close();
});

describe('wg spawn with auto-assign on', () => {
  it('assigns an identity before it spawns, as the coordinator does', async () => {
    await p.ok(['add', 'Look into it', '--id', 'by-hand', '--executor', 'external']);
    await p.ok(['spawn', 'by-hand']);
    const task = await p.task('by-hand');
    expect(task.agent).toBe(DEFAULT_AGENT.id);
    const messages = task.log.map((l) => l.message);
    const assigned = messages.indexOf(
      `Lightweight assignment: agent=Careful Programmer (${DEFAULT_AGENT.id.slice(0, 8)}), exec_mode=light, context_scope=task, reason=picked for wg spawn`,
    );
    expect(assigned).toBeGreaterThanOrEqual(0);
    expect(assigned).toBeLessThan(messages.findIndex((m) => m.startsWith('Spawned by wg spawn')));
    expect((await p.agentsOf('by-hand')).map((a) => a.purpose).sort()).toEqual(['assign', 'task']);
  });

  it('refuses a spawn its claim refuses before asking the assigner anything', async () => {
    await p.ok(['add', 'Finished already', '--id', 'finished', '--executor', 'external']);
    await p.ok(['done', 'finished']);
    const refused = await p.wg(['spawn', 'finished']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("task 'finished' is done");
    expect(await p.agentsOf('finished')).toEqual([]);
    expect((await p.task('finished')).agent).toBeNull();
  });
});
