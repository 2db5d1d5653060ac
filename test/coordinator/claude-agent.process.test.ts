import { everyAsync } from '../../src/shared/async-arrays';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEventPage } from '../../src/shared/run-event';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, startFakeAnthropic, text, thinking, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * The coordinator driving the REAL Claude Code CLI (node_modules/.bin/claude via WG_CLAUDE_BIN)
 * against the scripted fake API. The model's Bash tool runs `wg` — the coordinator's own launcher
 * from .workgraph/service/bin — so the whole loop is real except the model.
 */
let fake: FakeAnthropic;
let p: DaemonProject;

// Turn 0 sleeps the first time a task runs (so a test can kill it mid-run) and not on a later run.
const marker = '$WG_DIR/../$WG_TASK_ID.mark';
const SCRIPT = [
  [
    thinking('Log first.'),
    bash(`wg log $WG_TASK_ID "hello from claude"; if [ ! -f ${marker} ]; then touch ${marker}; [ "$WG_TASK_ID" = hello ] || sleep 60; fi`),
  ],
  [bash('wg done $WG_TASK_ID', 'Mark the task done')],
  [text('All done')],
];

beforeAll(async () => {
  fake = await startFakeAnthropic(SCRIPT);
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-claude-', env, isolatedHostEnv());
  mkdirSync(join(p.root, 'home'), { recursive: true });
  Object.assign(env, claudeEnv(fake.url, join(p.root, 'home')));
  await p.init();
});
afterAll(async () => {
  await p.remove();
  await fake.close();
});

function sessionFiles(dir: string, sessionId: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...sessionFiles(path, sessionId));
    else if (entry.startsWith(sessionId)) found.push(path);
  }
  return found;
}

describe('the coordinator with the real Claude Code CLI', () => {
  it('runs a task end to end: wg log and wg done from the model, session, cost and parsed tool events', async () => {
    await p.ok(['add', 'Say hello', '--id', 'hello']);
    await p.start(['--model', 'haiku']);
    await waitFor('the claude agent to finish', async () => (await p.agentsOf('hello'))[0]?.state === 'done', 90_000);

    const task = await p.task('hello');
    const [agent] = await p.agentsOf('hello');
    expect(task.status).toBe('done');
    expect(task.log.find((l) => l.message === 'hello from claude')?.actor).toBe(agent?.id);
    expect(task.log.find((l) => l.message.startsWith('Spawned by'))?.message).toBe(
      `Spawned by coordinator --executor claude --model haiku (role task_agent: model from coordinator.model) as ${agent?.id}`,
    );
    expect(task.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(task.cost_usd).toBeGreaterThan(0);
    expect(task.tokens_in).toBeGreaterThan(0);
    expect(task.tokens_out).toBeGreaterThan(0);
    expect(agent).toMatchObject({
      state: 'done',
      exit_code: 0,
      session_id: task.session_id,
      cost_usd: task.cost_usd,
      turns: 3,
      model: 'haiku',
    });

    const page = await p.json<RunEventPage>(['output', agent?.id as string]);
    const uses = page.events.flatMap((e) => (e.event.type === 'tool_use' ? [e.event] : []));
    expect(uses.map((u) => u.name)).toEqual(['Bash', 'Bash']);
    expect(uses[1]?.input).toMatchObject({ command: 'wg done $WG_TASK_ID' });
    const results = page.events.flatMap((e) => (e.event.type === 'tool_result' ? [e.event] : []));
    expect(results.map((r) => r.tool_use_id)).toEqual(uses.map((u) => u.id));
    expect(page.events.some((e) => e.event.type === 'result' && !e.event.is_error)).toBe(true);
    // For a person: each call on a line with how it went, and the run's end with its cost (not the events' JSON).
    const text = await p.ok(['output', agent?.id as string]);
    expect(text).toContain('▸ Bash: wg done $WG_TASK_ID  ✓');
    expect(text).toMatch(/^── Run finished \(\$\d+\.\d{4}, \d+ tokens in, \d+ out, 3 turns\)$/m);
    expect(text).not.toContain('{"type"');

    const first = fake.conversation()[0]?.body as { model: string; messages: unknown[] };
    expect(first.model).toContain('haiku');
    expect(JSON.stringify(first.messages)).toContain('wg done hello');
  });

  it('a dead claude agent is retried with --resume; when the session cannot be resumed, it starts fresh', async () => {
    await p.ok(['add', 'Resume me', '--id', 'resume']);
    await p.ok(['add', 'Start over', '--id', 'fresh']);
    const sessions = await waitFor(
      'both runs to have a session and be asleep in their tool call',
      async () => {
        const ids = await Promise.all(['resume', 'fresh'].map(async (id) => (await p.task(id)).session_id));
        const asleep = await everyAsync(['resume', 'fresh'], async (id) =>
          (await p.task(id)).log.some((l) => l.message === 'hello from claude'),
        );
        return asleep && ids.every(Boolean) ? (ids as string[]) : null;
      },
      90_000,
    );
    // Both agents die without reporting; for one of them the session is lost as well.
    for (const id of ['resume', 'fresh']) process.kill(-((await p.agentsOf(id))[0]?.pid as number), 'SIGKILL');
    for (const file of sessionFiles(join(p.root, 'home'), sessions[1] as string)) rmSync(file);

    await waitFor(
      'both tasks done and their last runs over',
      () =>
        everyAsync(
          ['resume', 'fresh'],
          async (id) => (await p.task(id)).status === 'done' && (await p.agentsOf(id)).every((a) => a.state !== 'working'),
        ),
      120_000,
    );
    const resumed = await p.agentsOf('resume');
    expect(resumed.map((a) => a.state)).toEqual(['dead', 'done']);
    expect((await p.task('resume')).retry_count).toBe(1);
    expect(
      (await p.task('resume')).log.some(
        (l) =>
          l.message ===
          `Spawned by coordinator --executor claude --model haiku (role task_agent: model from coordinator.model) as ${resumed[1]?.id}, resuming session ${sessions[0]}`,
      ),
    ).toBe(true);
    expect(resumed[1]?.session_id).toBe(sessions[0]);

    const fresh = await p.agentsOf('fresh');
    expect(fresh.map((a) => a.state)).toEqual(['dead', 'failed', 'done']);
    expect(fresh[1]?.reason).toMatch(/resuming the session failed .*starting fresh/);
    expect(fresh[2]?.session_id).not.toBe(sessions[1]);
    expect((await p.task('fresh')).retry_count).toBe(1);
    // Its waits allow a loaded machine three and a half minutes (four Claude Code starts); so does the test.
  }, 240_000);
});
