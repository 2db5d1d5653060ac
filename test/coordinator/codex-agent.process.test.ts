import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEventPage } from '../../src/shared/run-event';
import { isolatedHostEnv } from '../fixtures/claude-env';
import { codexEnv } from '../fixtures/codex-env';
import { OPENAI_USAGE, startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * The coordinator driving the REAL codex CLI (@openai/codex 0.169) against the scripted fake of
 * the OpenAI Responses API. The model is registered with provider openrouter, so a task that names
 * no executor runs through codex with that endpoint as its model provider. The model's shell tool
 * reaches this app's `wg` three ways: on PATH, through $WG_BIN in a login shell, and by the
 * absolute path the prompt gives (login shells reset PATH from /etc/profile, and here from the HOME's own profile too:
 * codex's own shell is told to be no login shell).
 */
let fake: FakeOpenAi;
let p: DaemonProject;
let wgPath = '';

beforeAll(async () => {
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-codex-', env, isolatedHostEnv());
  wgPath = join(p.paths.serviceDir, 'bin', 'wg');
  fake = await startFakeOpenAi([
    { exec: 'wg log hello "hello from codex"' },
    { exec: `printf 'result\\n' > out.txt && bash -lc '"$WG_BIN" artifact hello out.txt'` },
    { exec: `bash -lc '${wgPath} done hello'` },
    { say: 'All done.' },
  ]);
  const home = join(p.root, 'home');
  Object.assign(env, codexEnv(fake.url, home));
  for (const file of ['.profile', '.bash_profile']) writeFileSync(join(home, file), 'PATH=/usr/bin:/bin\nexport PATH\n');
  await p.init();
  await p.ok(['model', 'add', 'router-model', '--provider', 'openrouter', '--model-id', 'gpt-fake', '--cost-in', '2', '--cost-out', '8']);
  // A provider no executor reaches, as a hand-edited config may name one (`wg model add` refuses it).
  appendFileSync(p.paths.config, '\n[models.elsewhere]\nprovider = "mistral"\nmodel_id = "mistral-large"\n');
});
afterAll(async () => {
  await p.remove();
  await fake.close();
});

describe('the coordinator with the real codex CLI', () => {
  it('runs a task end to end through the provider endpoint: log, artifact, done, tokens and a cost from the registry prices', async () => {
    await p.ok(['add', 'Say hello', '--id', 'hello', '--model', 'router-model']);
    await p.start();
    await waitFor('the codex agent to finish', async () => (await p.agentsOf('hello'))[0]?.state === 'done', 90_000);

    const task = await p.task('hello');
    const [agent] = await p.agentsOf('hello');
    expect(task.log.find((l) => l.message.startsWith('Spawned by'))?.message).toBe(
      `Spawned by coordinator --executor codex --model router-model (role task_agent: model from the task) as ${agent?.id}`,
    );
    expect(task).toMatchObject({ status: 'done', artifacts: ['out.txt'] });
    expect(task.log.find((l) => l.message === 'hello from codex')?.actor).toBe(agent?.id);
    expect(task.log.find((l) => l.message === 'Artifact: out.txt')?.actor).toBe(agent?.id);
    expect(task.log.find((l) => l.message === 'Task marked done')?.actor).toBe(agent?.id);

    // Four responses, each with the same usage: codex reports the turn's total; priced at $2 / $8 per million.
    const tokensIn = 4 * OPENAI_USAGE.input_tokens;
    const tokensOut = 4 * OPENAI_USAGE.output_tokens;
    expect(agent).toMatchObject({ state: 'done', exit_code: 0, tokens_in: tokensIn, tokens_out: tokensOut, model: 'router-model' });
    expect(agent?.cost_usd).toBeCloseTo((tokensIn * 2 + tokensOut * 8) / 1e6, 10);
    expect(task).toMatchObject({ tokens_in: tokensIn, tokens_out: tokensOut });
    expect(task.cost_usd).toBeCloseTo((tokensIn * 2 + tokensOut * 8) / 1e6, 10);

    // Every wg call succeeded (exit 127 was "command not found" before).
    const page = await p.json<RunEventPage>(['output', agent?.id as string]);
    const results = page.events.flatMap((e) => (e.event.type === 'tool_result' ? [e.event] : []));
    expect(results).toHaveLength(3);
    expect(results.every((r) => !r.is_error)).toBe(true);

    // The request went to the provider endpoint with the registry's model id, and the prompt named wg by its path.
    const first = fake.requests.find((r) => r.turn === 0)?.body as { model: string; input: unknown[] };
    expect(first.model).toBe('gpt-fake');
    expect(JSON.stringify(first.input)).toContain(`${wgPath} done hello`);
  });

  it('refuses at dispatch a model no executor can reach, with the reason, and sends nothing anywhere', async () => {
    const before = fake.requests.length;
    await p.ok(['add', 'Elsewhere', '--id', 'elsewhere', '--model', 'elsewhere']);
    const task = await waitFor('the task to fail', async () =>
      (await p.task('elsewhere')).status === 'failed' ? p.task('elsewhere') : null,
    );
    expect(task.failure_reason).toBe(
      'cannot launch: model \'elsewhere\' is served by \'mistral\', which no executor can reach: give the model an endpoint (endpoint = "https://…/v1", api_key_env = "VARIABLE"), or provider "codex" to use your own codex config (providers reached without one: anthropic, codex, openai, openrouter, ollama)',
    );
    expect(await p.agentsOf('elsewhere')).toEqual([]);
    expect(fake.requests.length).toBe(before);
  });
});
