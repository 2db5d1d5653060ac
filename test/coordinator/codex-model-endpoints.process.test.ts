import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedHostEnv, REPO_ROOT } from '../fixtures/claude-env';
import { OPENAI_USAGE, openAiTaskOf, startFakeOpenAi, type FakeOpenAi, type OpenAiRequest } from '../fixtures/fake-openai';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * Registry prices with one's own endpoint (issue 26 item 3), with the REAL codex CLI against two
 * scripted Responses APIs: `own`, the endpoint a registry model names, and `personal`, the
 * endpoint of the person's own codex config (CODEX_HOME/config.toml, its key in PERSONAL_KEY).
 * A model with an endpoint of its own reaches that endpoint with its own key, whatever its
 * provider is called; a model with provider `codex` leaves the person's provider in place; both
 * are priced from the registry.
 */
let own: FakeOpenAi;
let personal: FakeOpenAi;
let p: DaemonProject;

/** Each agent marks its own task done, then says so. */
const script = (body: Record<string, unknown>, turn: number) =>
  turn === 0 ? { exec: `"$WG_BIN" done ${openAiTaskOf(body)}` } : { say: 'Done.' };

const requestsFor = (fake: FakeOpenAi, task: string): OpenAiRequest[] =>
  fake.requests.filter((r) => r.body && openAiTaskOf(r.body) === task);

beforeAll(async () => {
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-codex-endpoints-', env, isolatedHostEnv());
  own = await startFakeOpenAi(script);
  personal = await startFakeOpenAi(script);
  const codexHome = join(p.root, 'home', '.codex');
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(
    join(codexHome, 'config.toml'),
    [
      'model_provider = "personal"',
      '[model_providers.personal]',
      'name = "Personal"',
      `base_url = "${personal.url}"`,
      'wire_api = "responses"',
      'env_key = "PERSONAL_KEY"',
      '',
    ].join('\n'),
  );
  Object.assign(env, {
    HOME: join(p.root, 'home'),
    CODEX_HOME: codexHome,
    PERSONAL_KEY: 'personal-secret',
    MY_ENDPOINT_KEY: 'endpoint-secret',
    TEAM_KEY: 'team-secret',
    WG_CODEX_BIN: join(REPO_ROOT, 'node_modules', '.bin', 'codex'),
  });
  await p.init();
  // Any provider name, with its own endpoint and key variable, and registry prices.
  await p.ok([
    'model',
    'add',
    'mine',
    '--provider',
    'my-vllm',
    '--model-id',
    'served-model',
    '--endpoint',
    own.url,
    '--key-env',
    'MY_ENDPOINT_KEY',
  ]);
  // Without its endpoint, as a hand-edited config may have it (`wg model add` refuses it).
  appendFileSync(p.paths.config, '\n[models.priced]\nprovider = "my-vllm"\nmodel_id = "served-model"\ncost_in = 2\ncost_out = 8\n');
  await p.ok(['model', 'add', 'via-codex', '--provider', 'codex', '--model-id', 'gpt-mine', '--cost-in', '1', '--cost-out', '4']);
  // Upstream's form: a [[model_registry]] entry naming an [[llm_endpoints.endpoints]] entry.
  appendFileSync(
    p.paths.config,
    [
      '',
      '[[model_registry]]',
      'id = "team-model"',
      'provider = "openai"',
      'model = "team-served"',
      'tier = "standard"',
      'endpoint = "team"',
      'cost_per_input_mtok = 3',
      'cost_per_output_mtok = 12',
      '',
      '[[llm_endpoints.endpoints]]',
      'name = "team"',
      'provider = "openai"',
      `url = "${own.url}"`,
      'api_key_env = "TEAM_KEY"',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await p.remove();
  await own.close();
  await personal.close();
});

describe('registry models with their own endpoint, or the person’s codex config', () => {
  it('sends each run to the endpoint its model names, with that key, and prices it from the registry', async () => {
    await p.ok(['add', 'Own endpoint', '--id', 'own-endpoint', '--model', 'mine']);
    await p.ok(['add', 'Named endpoint', '--id', 'named-endpoint', '--model', 'team-model']);
    await p.ok(['add', 'My codex config', '--id', 'my-codex', '--model', 'via-codex']);
    await p.start();
    for (const id of ['own-endpoint', 'named-endpoint', 'my-codex']) {
      await waitFor(`${id} to finish`, async () => (await p.agentsOf(id))[0]?.state === 'done', 120_000);
      expect((await p.task(id)).status).toBe('done');
    }

    // The model's own endpoint and key: the person's provider never sees the run.
    const mine = requestsFor(own, 'own-endpoint');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.headers.authorization === 'Bearer endpoint-secret')).toBe(true);
    expect((mine[0]?.body as { model?: string } | undefined)?.model).toBe('served-model');
    expect(requestsFor(personal, 'own-endpoint')).toEqual([]);

    // Upstream's named endpoint: its URL and its api_key_env.
    const team = requestsFor(own, 'named-endpoint');
    expect(team.length).toBeGreaterThan(0);
    expect(team.every((r) => r.headers.authorization === 'Bearer team-secret')).toBe(true);
    expect((team[0]?.body as { model?: string } | undefined)?.model).toBe('team-served');
    expect(requestsFor(personal, 'named-endpoint')).toEqual([]);

    // Provider codex: the person's own config decides where, with their key.
    const viaCodex = requestsFor(personal, 'my-codex');
    expect(viaCodex.length).toBeGreaterThan(0);
    expect(viaCodex.every((r) => r.headers.authorization === 'Bearer personal-secret')).toBe(true);
    expect((viaCodex[0]?.body as { model?: string } | undefined)?.model).toBe('gpt-mine');
    expect(requestsFor(own, 'my-codex')).toEqual([]);

    // Registry prices: two responses per run, each with the same usage.
    const tokensIn = 2 * OPENAI_USAGE.input_tokens;
    const tokensOut = 2 * OPENAI_USAGE.output_tokens;
    expect((await p.agentsOf('named-endpoint'))[0]?.cost_usd).toBeCloseTo((tokensIn * 3 + tokensOut * 12) / 1e6, 10);
    expect((await p.agentsOf('my-codex'))[0]?.cost_usd).toBeCloseTo((tokensIn * 1 + tokensOut * 4) / 1e6, 10);
  });

  it('refuses at dispatch a provider with no endpoint, saying what to write, and sends nothing anywhere', async () => {
    const before = own.requests.length + personal.requests.length;
    await p.ok(['add', 'No endpoint', '--id', 'no-endpoint', '--model', 'priced']);
    const task = await waitFor('the task to fail', async () =>
      (await p.task('no-endpoint')).status === 'failed' ? p.task('no-endpoint') : null,
    );
    expect(task.failure_reason).toBe(
      'cannot launch: model \'priced\' is served by \'my-vllm\', which no executor can reach: give the model an endpoint (endpoint = "https://…/v1", api_key_env = "VARIABLE"), or provider "codex" to use your own codex config (providers reached without one: anthropic, codex, openai, openrouter, ollama)',
    );
    expect(own.requests.length + personal.requests.length).toBe(before);
  });
});
