import { describe, expect, it } from 'vitest';
import { describeModelSource, resolveModel, resolveRoleModel } from '../../src/core/executors';
import type { ExecutorProfile } from '../../src/shared/config-types';
import { routedProfile } from '../../src/core/deciding/executor-choice';
import { makeProfile, makeRegistry, makeSettings, makeTask } from '../fixtures/objects';

const registry = makeRegistry([
  { name: 'fast-gpt', provider: 'openai', model_id: 'gpt-5-mini', tier: 'fast', cost_in: null, cost_out: null, builtin: false },
]);

function resolve(task: string | null, executor: string | null, coordinator: string | null) {
  return resolveModel({
    task: makeTask({ model: task }),
    profile: makeProfile({ type: 'claude', model: executor }),
    settings: makeSettings({ model: coordinator }),
    registry,
  });
}

describe('resolveModel', () => {
  it('prefers the task model', () => {
    expect(resolve('opus', 'sonnet', 'haiku')).toEqual({ name: 'opus', id: 'opus', source: 'task', provider: 'anthropic' });
  });

  it('falls back to the executor profile model', () => {
    expect(resolve(null, 'fast-gpt', 'haiku')).toEqual({ name: 'fast-gpt', id: 'gpt-5-mini', source: 'executor', provider: 'openai' });
  });

  it('then to the coordinator model', () => {
    expect(resolve(null, null, 'haiku')).toEqual({ name: 'haiku', id: 'haiku', source: 'coordinator', provider: 'anthropic' });
  });

  it("then to the tool's own default", () => {
    expect(resolve(null, null, null)).toEqual({ name: null, id: null, source: 'default', provider: null });
  });

  it('maps registry names to their model_id and passes unknown names through as raw ids', () => {
    expect(resolve('fast-gpt', null, null)).toEqual({ name: 'fast-gpt', id: 'gpt-5-mini', source: 'task', provider: 'openai' });
    expect(resolve('claude-sonnet-4-5-20250929', null, null)).toEqual({
      name: 'claude-sonnet-4-5-20250929',
      id: 'claude-sonnet-4-5-20250929',
      source: 'task',
      provider: null,
    });
  });

  it('routes a model to an executor that reaches its provider, and refuses one that none reaches', () => {
    const profiles = [makeProfile({ type: 'claude', name: 'claude' }), makeProfile({ type: 'codex', name: 'codex' })];
    const [claude, codex] = profiles as [ExecutorProfile, ExecutorProfile];
    const gpt = { name: 'fast-gpt', id: 'gpt-5-mini', source: 'task', provider: 'openai' } as const;
    // The default executor gives way; a named one is refused with the reason.
    expect(routedProfile(claude, gpt, false, profiles)).toBe(codex);
    expect(() => routedProfile(claude, gpt, true, profiles)).toThrow(
      "model 'fast-gpt' is served by OpenAI, which the claude executor 'claude' cannot reach; use an executor of type codex",
    );
    expect(routedProfile(codex, { ...gpt, provider: 'anthropic' }, false, profiles)).toBe(claude);
    expect(() => routedProfile(claude, { ...gpt, provider: 'mistral' }, false, profiles)).toThrow(
      /served by 'mistral', which no executor can reach: give the model an endpoint/,
    );
    // Raw ids and executors that only pass the model on are not second-guessed.
    expect(routedProfile(claude, { ...gpt, provider: null }, false, profiles)).toBe(claude);
    const cli = makeProfile({ type: 'cli', command: 'aider' });
    expect(routedProfile(cli, gpt, true, profiles)).toBe(cli);
  });

  it("routes a model with its own endpoint through codex whatever its provider, keeps provider codex on the person's config, and says what is missing", () => {
    const profiles = [makeProfile({ type: 'claude', name: 'claude' }), makeProfile({ type: 'codex', name: 'codex' })];
    const [claude, codex] = profiles as [ExecutorProfile, ExecutorProfile];
    const own = {
      name: 'mine',
      id: 'm',
      source: 'task',
      provider: 'my-vllm',
      endpoint: { name: 'http://h/v1', url: 'http://h/v1', keyEnv: 'K' },
    } as const;
    expect(routedProfile(claude, own, false, profiles)).toBe(codex);
    expect(routedProfile(claude, { ...own, provider: 'codex', endpoint: undefined }, false, profiles)).toBe(codex);
    expect(() => routedProfile(codex, { ...own, endpoint: { name: 'team', url: null, keyEnv: null } }, false, profiles)).toThrow(
      "model 'mine' names endpoint 'team', which is not configured: add an [[llm_endpoints.endpoints]] entry with name = \"team\" and its url, or give the model's endpoint as a URL",
    );
    expect(() => routedProfile(claude, { ...own, provider: 'anthropic' }, false, profiles)).toThrow(
      /Claude Code takes its endpoint from ANTHROPIC_BASE_URL/,
    );
  });

  it('resolves a registry model to its endpoint and key variable', () => {
    const withEndpoint = makeRegistry([
      {
        name: 'mine',
        provider: 'x',
        model_id: 'm',
        tier: 'fast',
        cost_in: 1,
        cost_out: 2,
        builtin: false,
        endpoint: 'team',
        endpoint_url: 'http://h/v1',
        api_key_env: 'K',
      },
    ]);
    expect(
      resolveModel({
        task: makeTask({ model: 'mine' }),
        profile: makeProfile({ type: 'codex' }),
        settings: makeSettings({}),
        registry: withEndpoint,
      }),
    ).toEqual({
      name: 'mine',
      id: 'm',
      source: 'task',
      provider: 'x',
      endpoint: { name: 'team', url: 'http://h/v1', keyEnv: 'K' },
    });
  });

  it('skips blank values', () => {
    expect(resolve('  ', '', 'haiku')).toEqual({ name: 'haiku', id: 'haiku', source: 'coordinator', provider: 'anthropic' });
  });
});

describe('role routing', () => {
  const routed = makeRegistry([], { task_agent: 'sonnet', evaluator: 'opus' });

  it("a task agent: the task's model, its identity's, the executor's, the task_agent route, then coordinator.model", () => {
    const base = { profile: makeProfile({ type: 'claude', model: null }), settings: makeSettings({ model: 'haiku' }), registry: routed };
    expect(resolveModel({ ...base, task: makeTask({ model: null }), identityModel: 'opus' })).toEqual({
      name: 'opus',
      id: 'opus',
      source: 'identity',
      provider: 'anthropic',
    });
    expect(resolveModel({ ...base, task: makeTask({ model: 'haiku' }), identityModel: 'opus' })).toMatchObject({ source: 'task' });
    expect(resolveModel({ ...base, task: makeTask({ model: null }) })).toEqual({
      name: 'sonnet',
      id: 'sonnet',
      source: 'role',
      provider: 'anthropic',
    });
    expect(resolveModel({ ...base, task: makeTask({ model: null }), registry: makeRegistry() })).toMatchObject({
      name: 'haiku',
      source: 'coordinator',
    });
  });

  it("assigner, evaluator and triage: their route, else upstream's default tier (fast)", () => {
    const settings = makeSettings({});
    expect(resolveRoleModel('evaluator', settings, routed)).toEqual({ name: 'opus', id: 'opus', source: 'role', provider: 'anthropic' });
    expect(resolveRoleModel('assigner', settings, routed)).toEqual({ name: 'haiku', id: 'haiku', source: 'tier', provider: 'anthropic' });
    expect(resolveRoleModel('triage', settings, routed)).toMatchObject({ name: 'haiku', source: 'coordinator' });
    expect(describeModelSource('evaluator', resolveRoleModel('evaluator', settings, routed))).toBe(
      'role evaluator: model from the evaluator route ([roles] evaluator)',
    );
    expect(describeModelSource('assigner', resolveRoleModel('assigner', settings, routed))).toBe(
      "role assigner: the assigner role's default tier: fast",
    );
  });
});
