import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, startFakeAnthropic, text, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * `wg wait` from a real Claude Code agent (upstream: the agent parks with a checkpoint and exits; the
 * dispatcher resumes the task, its session kept — spawn/execution.rs "session_id for resume (from previous
 * wg wait)" — with the resume context in its prompt). The scripted model parks until a person answers,
 * ends its turn; a person's `wg msg send` releases it; the second run resumes the same Claude session and
 * is asked with the resume context (the answer and the checkpoint), then reports done.
 */
let fake: FakeAnthropic;
let p: DaemonProject;

const SCRIPT = [
  [bash('wg wait $WG_TASK_ID --until human-input --checkpoint "asked which colour to use"', 'Park until a person answers')],
  [text('Parked; ending this run.')],
  // The resumed conversation carries the two turns above: its next turn is the third.
  [bash('wg done $WG_TASK_ID', 'Mark the task done')],
  [text('Done')],
];

beforeAll(async () => {
  fake = await startFakeAnthropic(SCRIPT);
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-claude-wait-', env, isolatedHostEnv());
  mkdirSync(join(p.root, 'home'), { recursive: true });
  Object.assign(env, claudeEnv(fake.url, join(p.root, 'home')));
  await p.init();
}, 120_000);
afterAll(async () => {
  await p?.remove();
  await fake?.close();
});

describe('wg wait with the real Claude Code CLI', () => {
  it("parks, ends its run, and resumes the same session with the person's answer once it comes", async () => {
    await p.ok(['add', 'Paint the shed', '--id', 'shed']);
    await p.start(['--model', 'haiku']);
    await waitFor(
      'the first run parked the task and ended',
      async () => (await p.task('shed')).status === 'waiting' && (await p.agentsOf('shed'))[0]?.state === 'done',
      90_000,
    );
    const session = (await p.task('shed')).session_id;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    expect((await p.task('shed')).log.map((l) => l.message)).toContain('Agent parked. Waiting for: human-input');

    await p.ok(['msg', 'send', 'shed', 'Use blue']);
    await waitFor(
      'the resumed run done',
      async () => (await p.task('shed')).status === 'done' && (await p.agentsOf('shed')).every((a) => a.state !== 'working'),
      90_000,
    );
    const runs = await p.agentsOf('shed');
    expect(runs.map((a) => a.state)).toEqual(['done', 'done']);
    expect(runs[1]?.session_id).toBe(session);
    expect((await p.task('shed')).log.map((l) => l.message)).toContain('Wait condition satisfied. Task ready for resume.');
    expect((await p.task('shed')).log.some((l) => l.message.endsWith(`as ${runs[1]?.id}, resuming session ${session}`))).toBe(true);
    const resumedAsk = JSON.stringify(fake.conversation().find((r) => r.turn === 2)?.body ?? {});
    expect(resumedAsk).toContain('Resume Context');
    expect(resumedAsk).toContain('Use blue');
    expect(resumedAsk).toContain('asked which colour to use');
  }, 240_000);
});
