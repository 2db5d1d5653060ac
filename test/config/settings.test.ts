import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readExecutors } from '../../src/core/config/executors';
import { readModels } from '../../src/core/config/models';
import { heartbeatTimeoutSeconds, loadSettings } from '../../src/core/config/settings';
import { resolveModel } from '../../src/core/executors/model-resolution';
import { dispatch } from '../../src/core/ops/dispatch';
import { openProjectStore } from '../../src/core/opening/open-store';
import { ensureProjectDirs, projectPaths, type ProjectPaths } from '../../src/core/project';
import { builtinProfile, makeRegistry, makeSettings } from '../fixtures/objects';

let root: string;
let paths: ProjectPaths;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function project(local: string, global = ''): ProjectPaths {
  root = mkdtempSync(join(tmpdir(), 'wg-settings-'));
  paths = { ...projectPaths(join(root, '.workgraph')), globalConfig: join(root, 'home', 'config.toml') };
  ensureProjectDirs(paths);
  mkdirSync(join(root, 'home'));
  writeFileSync(paths.config, local);
  writeFileSync(paths.globalConfig, global);
  return paths;
}

const entry = async (key: string) => (await loadSettings(paths)).entries.find((e) => e.key === key);

describe('settings as the workgraph docs define them', () => {
  it('reads heartbeat_timeout in minutes, as seed 000 documents, and accepts "90s" and "5m"', async () => {
    project('[agent]\nheartbeat_timeout = 5\n');
    expect((await loadSettings(paths)).settings.agent.heartbeat_timeout).toBe(5);
    expect(heartbeatTimeoutSeconds((await loadSettings(paths)).settings)).toBe(300);
    expect(await entry('agent.heartbeat_timeout')).toEqual({ key: 'agent.heartbeat_timeout', value: 5, source: 'local', unit: 'minutes' });
    writeFileSync(paths.config, '[agent]\nheartbeat_timeout = "90s"\n');
    expect(heartbeatTimeoutSeconds((await loadSettings(paths)).settings)).toBe(90);
    writeFileSync(paths.config, '[agent]\nheartbeat_timeout = "2m"\n');
    expect((await loadSettings(paths)).settings.agent.heartbeat_timeout).toBe(2);
    writeFileSync(paths.config, '[agent]\nheartbeat_timeout = "soon"\n');
    await expect(() => loadSettings(paths)).rejects.toThrow(
      /config\.toml: agent\.heartbeat_timeout must be a number, or a number with s, m, h or d \("90s", "5m"\), in minutes when plain \(got 'soon'\)$/,
    );
  });

  it("reads an upstream project's config.toml as upstream means it", async () => {
    project(
      [
        '[agent]',
        'model = "claude:opus"',
        'heartbeat_timeout = 10',
        'interval = 10',
        'reaper_grace_seconds = 30',
        '[dispatcher]',
        'max_agents = 7',
        'poll_interval = 5',
        'agent_timeout = "30m"',
        'worktree_isolation = true',
        'eval_frequency = "every_5"',
        '[models.evaluator]',
        'model = "claude:haiku"',
        '[models.default]',
        'model = "claude:sonnet"',
        '[[model_registry]]',
        'id = "deepseek"',
        'provider = "openrouter"',
        'model = "deepseek/deepseek-chat-v3"',
        'tier = "fast"',
        'cost_per_input_mtok = 0.27',
        '[tui]',
        'theme = "dark"',
        '[agency]',
        'auto_assign = true',
      ].join('\n'),
    );
    const { settings } = await loadSettings(paths);
    expect(settings.coordinator).toMatchObject({ max_agents: 7, poll_interval: 5, executor: 'claude' });
    expect(settings.agent).toMatchObject({ model: 'claude:opus', heartbeat_timeout: 10, timeout: 1800 });
    expect(await entry('coordinator.executor')).toEqual({
      key: 'coordinator.executor',
      value: 'claude',
      source: 'local',
      via: 'agent.model',
    });
    const registry = await readModels(paths);
    expect(registry.roles).toEqual({ evaluator: 'claude:haiku', default: 'claude:sonnet' });
    expect(registry.models.find((m) => m.name === 'deepseek')).toMatchObject({
      provider: 'openrouter',
      model_id: 'deepseek/deepseek-chat-v3',
      tier: 'fast',
      cost_in: 0.27,
    });
    // An empty agent_timeout switches the limit off, as upstream's does.
    writeFileSync(paths.config, '[dispatcher]\nagent_timeout = ""\n');
    expect((await loadSettings(paths)).settings.agent.timeout).toBeNull();
  });

  it('chooses the default executor as upstream does: set, else [agent] executor, else a model naming one, else claude', async () => {
    project('[agent]\nexecutor = "shell"\n');
    expect(await entry('coordinator.executor')).toMatchObject({ value: 'shell', source: 'local', via: 'agent.executor' });
    writeFileSync(paths.config, '[coordinator]\nmodel = "codex:gpt-5-codex"\n');
    expect(await entry('coordinator.executor')).toMatchObject({ value: 'codex', via: 'coordinator.model' });
    writeFileSync(paths.config, '[coordinator]\nexecutor = "amplifier"\n[agent]\nexecutor = "shell"\nmodel = "codex:x"\n');
    expect(await entry('coordinator.executor')).toEqual({ key: 'coordinator.executor', value: 'amplifier', source: 'local' });
    expect((await loadSettings(paths, { 'coordinator.executor': 'claude' })).settings.coordinator.executor).toBe('claude');
    writeFileSync(paths.config, '');
    expect(await entry('coordinator.executor')).toEqual({ key: 'coordinator.executor', value: 'claude', source: 'default' });
  });

  it('takes [executors.default] as the default executor (seed 001) unless coordinator.executor is set, before [agent] executor', async () => {
    project('[agent]\nexecutor = "shell"\n[executors.default]\ntype = "codex"\n');
    expect(await entry('coordinator.executor')).toEqual({
      key: 'coordinator.executor',
      value: 'default',
      source: 'local',
      via: 'executors.default',
    });
    writeFileSync(paths.globalConfig, '[executors.default]\ntype = "shell"\n');
    writeFileSync(paths.config, '');
    expect(await entry('coordinator.executor')).toMatchObject({ value: 'default', source: 'global', via: 'executors.default' });
    writeFileSync(paths.config, '[coordinator]\nexecutor = "amplifier"\n');
    expect(await entry('coordinator.executor')).toEqual({ key: 'coordinator.executor', value: 'amplifier', source: 'local' });
    expect((await loadSettings(paths, { 'coordinator.executor': 'claude' })).settings.coordinator.executor).toBe('claude');
  });

  it('chooses the model in upstream order, [agent] model last, passing the model of a provider:model spec', () => {
    const profile = builtinProfile('claude');
    const registry = makeRegistry();
    const settings = (coordinator: string | null, agent: string | null) => {
      const s = makeSettings({ model: coordinator });
      return { ...s, agent: { ...s.agent, model: agent } };
    };
    expect(resolveModel({ task: { model: null }, profile, settings: settings(null, 'claude:opus'), registry })).toEqual({
      name: 'claude:opus',
      id: 'opus',
      source: 'agent',
      provider: 'anthropic',
    });
    expect(resolveModel({ task: { model: null }, profile, settings: settings('sonnet', 'claude:opus'), registry })).toEqual({
      name: 'sonnet',
      id: 'sonnet',
      source: 'coordinator',
      provider: 'anthropic',
    });
    expect(resolveModel({ task: { model: 'haiku' }, profile, settings: settings('sonnet', 'opus'), registry })).toMatchObject({
      name: 'haiku',
      source: 'task',
    });
    expect(resolveModel({ task: { model: null }, profile, settings: settings(null, null), registry })).toEqual({
      name: null,
      id: null,
      source: 'default',
      provider: null,
    });
  });
});

describe('setting values through config:update (the CLI and the window alike)', () => {
  it('refuses an executor that names nothing, listing the ones there are, and writes durations as upstream reads them', async () => {
    project('');
    const { store } = await openProjectStore(paths);
    const ctx = { store, paths, actor: 'user' };
    try {
      await expect(dispatch('config:update', { executor: 'nope' }, ctx)).rejects.toThrow(
        "no executor 'nope'; there are: claude, codex, amplifier, shell, external, manual, pilot, scheduled, remote (or an http(s) URL; add one with wg executor add)",
      );
      await expect(dispatch('task:add', { title: 'X', executor: 'nope' }, ctx)).rejects.toThrow(/^no executor 'nope'; there are: claude/);
      await dispatch('task:add', { title: 'Y' }, ctx);
      await expect(dispatch('task:edit', { id: 'y', executor: 'nope' }, ctx)).rejects.toThrow(/^no executor 'nope'/);
      expect(readFileSync(paths.config, 'utf8')).toBe('');
      await dispatch('config:update', { executor: 'amplifier', heartbeatTimeout: '5m', agentTimeout: '90s', pollInterval: 30 }, ctx);
      expect(readFileSync(paths.config, 'utf8')).toMatch(/heartbeat_timeout = 5\n/);
      expect(readFileSync(paths.config, 'utf8')).toMatch(/timeout = 90\n/);
      await dispatch('config:update', { heartbeatTimeout: '90s' }, ctx);
      expect(readFileSync(paths.config, 'utf8')).toMatch(/heartbeat_timeout = "90s"/);
      await expect(dispatch('config:update', { heartbeatTimeout: 'soon' }, ctx)).rejects.toThrow(
        /^heartbeat-timeout must be a number, or a number with s, m, h or d/,
      );
    } finally {
      await store.close();
    }
  });
});

describe("a registry model's own endpoint (upstream's ModelRegistryEntry.endpoint and [[llm_endpoints.endpoints]])", () => {
  it('reads a URL as itself, looks a name up (its provider filling the gaps), and the local endpoint list replaces the global one unless it inherits', async () => {
    const global = '[[llm_endpoints.endpoints]]\nname = "shared"\nprovider = "openrouter"\n';
    project(
      [
        '[models.direct]\nprovider = "my-vllm"\nmodel_id = "a"\nendpoint = "http://10.0.0.2:8000/v1"\napi_key_env = "VLLM_KEY"',
        '[models.shared-model]\nprovider = "openai"\nmodel_id = "b"\nendpoint = "shared"',
        '[[model_registry]]\nid = "team-model"\nprovider = "openai"\nmodel = "c"\nendpoint = "team"',
        '[[llm_endpoints.endpoints]]\nname = "team"\nprovider = "openai"\nurl = "http://team/v1"\napi_key_env = "TEAM_KEY"',
        '',
      ].join('\n'),
      global,
    );
    const model = async (name: string) => (await readModels(paths)).models.find((m) => m.name === name);
    expect(await model('direct')).toMatchObject({
      endpoint: 'http://10.0.0.2:8000/v1',
      endpoint_url: 'http://10.0.0.2:8000/v1',
      api_key_env: 'VLLM_KEY',
    });
    expect(await model('team-model')).toMatchObject({ endpoint: 'team', endpoint_url: 'http://team/v1', api_key_env: 'TEAM_KEY' });
    // The global list is not inherited: 'shared' names nothing here, and dispatch will say so.
    expect(await model('shared-model')).toMatchObject({ endpoint: 'shared', endpoint_url: null });
    writeFileSync(paths.config, `${readFileSync(paths.config, 'utf8')}[llm_endpoints]\ninherit_global = true\n`);
    expect(await model('shared-model')).toMatchObject({ endpoint_url: 'https://openrouter.ai/api/v1', api_key_env: 'OPENROUTER_API_KEY' });
    expect(await model('team-model')).toMatchObject({ endpoint_url: 'http://team/v1' });
  });
});

describe("a built-in executor's own settings", () => {
  it('need not repeat its type (the guide\'s `[executors.claude] model = "opus"`)', async () => {
    project('[executors.claude]\nmodel = "opus"\n', '[executors.codex]\ntimeout = 900\n');
    const byName = new Map((await readExecutors(paths)).map((profile) => [profile.name, profile]));
    expect(byName.get('claude')).toMatchObject({ type: 'claude', model: 'opus', builtin: false });
    expect(byName.get('codex')).toMatchObject({ type: 'codex', timeout: 900 });
    // A profile of its own still names its type.
    writeFileSync(paths.config, '[executors.mine]\nmodel = "opus"\n');
    await expect(() => readExecutors(paths)).rejects.toThrow(/executors\.mine: /);
  });
});
