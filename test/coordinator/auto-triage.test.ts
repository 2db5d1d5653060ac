import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProjectHost, type ProjectHost } from '../../src/core/host';
import { claudeEnv } from '../fixtures/claude-env';
import { startFakeAnthropic, text, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { waitFor } from '../service/helpers/daemon-project';

/**
 * coordinator.auto_triage: an http agent stops sending heartbeats; instead of a blind retry the
 * real Claude Code CLI (against the fake API) is asked what became of the task, and its answer
 * ("done") settles it.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-triage-'));
let fake: FakeAnthropic;
let silent: Server;
let host: ProjectHost;

beforeAll(async () => {
  fake = await startFakeAnthropic([[text('{"verdict": "done", "reason": "the report was written"}')]], { toolless: 'script' });
  silent = createServer((_req, res) => res.writeHead(202).end());
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  // This worker's environment is what the coordinator (and so Claude Code) runs with: only the fake API.
  for (const key of Object.keys(process.env)) if (/^(ANTHROPIC_|CLAUDE_)/.test(key)) delete process.env[key];
  Object.assign(process.env, claudeEnv(fake.url, home), { WG_HOME: join(root, '.wghome') });
  mkdirSync(join(root, '.workgraph'), { recursive: true });
  writeFileSync(
    join(root, '.workgraph', 'config.toml'),
    [
      '[coordinator]',
      'executor = "shell"',
      'auto_triage = true',
      'triage_model = "haiku"',
      '[agent]',
      'heartbeat_timeout = "1s"',
      '[executors.service]',
      'type = "http"',
      `endpoint = "http://127.0.0.1:${(silent.address() as AddressInfo).port}/"`,
    ].join('\n'),
  );
  host = await openProjectHost(root, { createIfMissing: true });
});
afterAll(async () => {
  await host.close({ stopAgents: true });
  await new Promise((resolve) => silent.close(resolve));
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

describe('auto-triage', () => {
  it('asks the triage model about a dead agent and follows its verdict', async () => {
    await host.dispatch('task:add', { title: 'Write the report', id: 'report', executor: 'service' });
    const task = await waitFor(
      'the task to be settled by triage',
      async () => {
        const t = await host.dispatch('task:show', { id: 'report' });
        return t.status === 'done' ? t : null;
      },
      90_000,
    );
    const [agent] = (await host.dispatch('agent:list', {})).filter((a) => a.task_id === 'report');
    expect(agent?.state).toBe('done');
    expect(task.retry_count).toBe(0);
    expect(task.log.some((l) => l.message === `Task done: triage found agent ${agent?.id}'s work complete`)).toBe(true);
    const asked = fake.conversation()[0]?.body as { model: string; messages: unknown[] };
    expect(asked.model).toContain('haiku');
    expect(JSON.stringify(asked.messages)).toContain('Write the report');
  });

  it('asks about a local agent killed by a signal too (it was dropped while the death was being judged)', async () => {
    await host.dispatch('task:add', { title: 'Killed mid-way', id: 'killed', executor: 'shell', exec: 'kill -9 $$' });
    const task = await waitFor(
      'the killed task to be settled by triage',
      async () => {
        const t = await host.dispatch('task:show', { id: 'killed' });
        return t.status === 'done' ? t : null;
      },
      60_000,
    );
    const [agent] = (await host.dispatch('agent:list', {})).filter((a) => a.task_id === 'killed' && a.purpose === 'task');
    expect(agent?.state).toBe('done');
    expect(task.log.some((l) => l.message === `Task done: triage found agent ${agent?.id}'s work complete`)).toBe(true);
  });
});
