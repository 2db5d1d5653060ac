import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseModelSpec } from '../../src/core/config/model-spec';
import { resolveModel, resolveRoleModel } from '../../src/core/executors/model-resolution';
import type { IdentityView, RoleView, TradeoffView } from '../../src/shared/agency';
import type { ModelEntry, ModelRegistry } from '../../src/shared/config-types';
import type { Task } from '../../src/shared/task';
import { makeProfile, makeSettings } from '../fixtures/objects';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * The model registry, model routing and upstream's model specs against upstream's own cases
 * (graphwork/workgraph tests/integration_model_management.rs and tests/integration_provider_model_format.rs), each
 * named in its `it`. Upstream's cases write its config.toml tables (`[[model_registry]]`, `[[llm_endpoints.endpoints]]`,
 * `[models.ROLE]`) and read them back through its Config; here the same tables are written and read back through
 * `wg model list --json` (a registered model is `name` and `model_id`, upstream's `id` and `model`; an endpoint is seen
 * through the model naming it, as `endpoint`, `endpoint_url` and `api_key_env`). Which model a run gets is
 * resolveModel / resolveRoleModel, as the coordinator calls them, given the registry, config and task the project holds.
 *
 * not ported:
 * - upstream's key store (docs/upstream.md, "Not here": keys stay in the environment; an endpoint is its url and
 *   key variable, and a key written into config.toml is not read): integration_model_management.rs
 *   e2e_setup_with_key_file, key_resolve_inline_present, key_resolve_from_file, key_resolve_env_var_reference,
 *   key_source_reports_correctly, key_masked_formats, key_inline_beats_file, key_resolve_no_source_returns_none,
 *   missing_key_file_errors, empty_key_file_errors, key_file_ref_persists_and_resolves, and the inline key of
 *   e2e_new_user_setup_flow, endpoint_config_persists_across_reload and full_config_roundtrip_all_components;
 *   test_endpoint_key_used_when_no_env_vars, test_endpoint_key_file_used_when_no_env_vars,
 *   test_env_var_fallback_still_works, test_config_resolve_api_key_for_provider_end_to_end (also upstream's
 *   in-process `nex` client, not here).
 * - find_for_provider_prefers_default, find_for_provider_empty_list: an endpoint is chosen here only by the name a
 *   model gives (`is_default` and a provider's default endpoint are not read).
 * - task_provider_overrides_all: a task has no provider of its own here; its model's registry entry or
 *   `provider:` prefix names it.
 * - model_routing_per_role_persists's role endpoint (`[models.evaluator] endpoint`): docs/upstream.md, "Not here":
 *   `wg model set --endpoint`; a role routes to a registered model, whose endpoint is the model's own.
 * - integration_provider_model_format.rs named_profile_use_is_authoritative_over_local_model_routing,
 *   config_models_displays_codex_provider_for_codex_profile_roles: `wg profile` and `wg config --models` (docs/upstream.md,
 *   "Not here").
 * - config_spec_anthropic_maps_to_claude_prefix, config_spec_openrouter_stays_openrouter, config_spec_openai_stays_openai,
 *   config_spec_roundtrips_through_parse, model_choices_use_provider_prefix,
 *   model_choices_with_descriptions_use_provider_prefix, load_model_choices_all_use_provider_prefix,
 *   load_model_choices_with_descriptions_fallback: upstream's OpenRouter catalogue (`wg models`) and its TUI's model
 *   choices (docs/upstream.md, "Not here").
 * - compaction_threshold_parses_provider_prefix, compaction_threshold_from_agent_model_with_prefix: upstream's
 *   coordinator context compaction (its chat coordinator) is not here.
 * - validate_format_accepts_default_config, validate_format_accepts_provider_prefix_in_tiers,
 *   validate_format_rejects_bare_tier_value: upstream's `[tiers]` table (docs/upstream.md, "Not here": `wg config
 *   --tiers`); a tier here is a registered model's.
 * - default_agent_model_has_provider_prefix: agent.model has no default here (the executor's own default model is
 *   used, docs/upstream.md's "a model named without its provider is kept as typed").
 *
 * deliberate difference (docs/upstream.md: a model named without its provider is kept as typed, resolved through the
 * registry when a run starts): strict_rejects_bare_model_name, strict_rejects_empty_string,
 * strict_rejects_unknown_provider_prefix, strict_rejects_provider_with_empty_model, strict_rejects_legacy_slash_format,
 * strict_rejects_common_bare_model_names, strict_rejects_various_legacy_slash_formats,
 * validate_format_rejects_bare_agent_model, validate_format_rejects_bare_coordinator_model,
 * validate_format_rejects_bare_role_model, validate_format_collects_multiple_errors,
 * config_load_rejects_bare_model_in_toml, cli_config_set_model_rejects_bare_name,
 * cli_config_set_coordinator_model_rejects_bare_name, cli_config_set_model_role_rejects_bare_name.
 *
 * differs, not fixed:
 * - validate_format_rejects_deprecated_coordinator_provider, config_load_rejects_deprecated_provider_field: upstream
 *   refuses to load a config.toml with `[coordinator] provider`; here it is read (and left unused). Refusing it would
 *   stop every command in a project an older upstream configured; left for a decision.
 * - default_url_for_known_providers, env_var_names_for_known_providers: an endpoint naming provider `openrouter` or
 *   `openai` without a url gets upstream's URL and key variable (ported below); `anthropic` gets none (an Anthropic
 *   model is run by Claude Code, which takes its endpoint from its own environment) and upstream's `local` is
 *   `ollama` here, so `local` gets none either.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-models-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const configFile = () => join(p.root, '.workgraph', 'config.toml');
const registry = () => p.json<ModelRegistry>(['model', 'list']);
async function entry(name: string): Promise<ModelEntry> {
  const found = (await registry()).models.find((m) => m.name === name);
  if (!found) throw new Error(`no model ${name}`);
  return found;
}

/** upstream's `[[llm_endpoints.endpoints]]` entry. */
const endpoint = (fields: Record<string, string | boolean>) =>
  `[[llm_endpoints.endpoints]]\n${Object.entries(fields)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join('\n')}\n\n`;
/** upstream's `[[model_registry]]` entry. */
const registryEntry = (fields: Record<string, string | number>) =>
  `[[model_registry]]\n${Object.entries(fields)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join('\n')}\n\n`;

/** The settings `wg config --show` reports, as the coordinator reads them. */
async function settings() {
  const rows = await p.json<Array<{ key: string; value: unknown }>>(['config', '--show']);
  const value = (key: string) => {
    const found = rows.find((r) => r.key === key)?.value;
    return typeof found === 'string' ? found : null;
  };
  const loaded = makeSettings({ model: value('coordinator.model'), triage_model: value('coordinator.triage_model') ?? 'haiku' });
  loaded.agent.model = value('agent.model');
  return loaded;
}

describe('the registry in config.toml (upstream integration_model_management.rs)', () => {
  it('e2e_new_user_setup_flow / key_env_ref_persists_across_reload / endpoint_config_persists_across_reload: an endpoint, a model on it, the default', async () => {
    writeFileSync(
      configFile(),
      endpoint({
        name: 'my-openrouter',
        provider: 'openrouter',
        url: 'https://openrouter.ai/api/v1',
        api_key_env: 'MY_CUSTOM_KEY',
        is_default: true,
      }) +
        registryEntry({
          id: 'my-fast',
          provider: 'openrouter',
          model: 'anthropic/claude-haiku-4-5',
          tier: 'fast',
          endpoint: 'my-openrouter',
          cost_per_input_mtok: 0.8,
          cost_per_output_mtok: 4.0,
        }),
    );
    await p.ok(['model', 'set-default', 'openrouter:my-fast']);
    expect(await entry('my-fast')).toMatchObject({
      provider: 'openrouter',
      model_id: 'anthropic/claude-haiku-4-5',
      tier: 'fast',
      cost_in: 0.8,
      cost_out: 4,
      endpoint: 'my-openrouter',
      endpoint_url: 'https://openrouter.ai/api/v1',
      api_key_env: 'MY_CUSTOM_KEY',
    });
    const reg = await registry();
    expect(reg.default).toBe('openrouter:my-fast');
    // The default names the model through upstream's provider prefix: a run gets its id and endpoint.
    const resolved = resolveModel({ task: { model: null }, profile: { model: null }, settings: await settings(), registry: reg });
    expect(resolved).toMatchObject({ id: 'anthropic/claude-haiku-4-5', provider: 'openrouter' });
    expect(resolved.endpoint).toMatchObject({ name: 'my-openrouter', url: 'https://openrouter.ai/api/v1', keyEnv: 'MY_CUSTOM_KEY' });
  });

  it('full_config_roundtrip_all_components: endpoint, registry, [models.default] and [models.evaluator] read back together', async () => {
    writeFileSync(
      configFile(),
      endpoint({ name: 'round-ep', provider: 'openrouter', url: 'https://openrouter.ai/api/v1', is_default: true }) +
        registryEntry({
          id: 'round-model',
          provider: 'openrouter',
          model: 'anthropic/claude-sonnet-4-6',
          tier: 'standard',
          endpoint: 'round-ep',
        }) +
        '[models.default]\nmodel = "openrouter:round-model"\n\n[models.evaluator]\nmodel = "claude:opus"\n',
    );
    const reg = await registry();
    expect(reg.roles).toEqual({ default: 'openrouter:round-model', evaluator: 'claude:opus' });
    expect(await entry('round-model')).toMatchObject({
      model_id: 'anthropic/claude-sonnet-4-6',
      endpoint: 'round-ep',
      endpoint_url: 'https://openrouter.ai/api/v1',
      api_key_env: 'OPENROUTER_API_KEY',
    });
  });

  it("default_url_for_known_providers / env_var_names_for_known_providers / unknown_provider_has_empty_default_url: an endpoint without a url takes its provider's", async () => {
    writeFileSync(
      configFile(),
      endpoint({ name: 'or', provider: 'openrouter' }) +
        endpoint({ name: 'oai', provider: 'openai' }) +
        endpoint({ name: 'odd', provider: 'nonexistent-provider' }) +
        registryEntry({ id: 'on-or', provider: 'openrouter', model: 'x', endpoint: 'or' }) +
        registryEntry({ id: 'on-oai', provider: 'openai', model: 'x', endpoint: 'oai' }) +
        registryEntry({ id: 'on-odd', provider: 'openai', model: 'x', endpoint: 'odd' }),
    );
    expect(await entry('on-or')).toMatchObject({ endpoint_url: 'https://openrouter.ai/api/v1', api_key_env: 'OPENROUTER_API_KEY' });
    expect(await entry('on-oai')).toMatchObject({ endpoint_url: 'https://api.openai.com/v1', api_key_env: 'OPENAI_API_KEY' });
    expect(await entry('on-odd')).toMatchObject({ endpoint_url: null, api_key_env: null });
  });

  it('endpoint_remove_persists / find_by_name_nonexistent: a model naming an endpoint no longer there has no url', async () => {
    writeFileSync(
      configFile(),
      endpoint({ name: 'temp-ep', provider: 'openai', url: 'https://example.test/v1' }) +
        registryEntry({ id: 'm', provider: 'openai', model: 'x', endpoint: 'temp-ep' }),
    );
    expect((await entry('m')).endpoint_url).toBe('https://example.test/v1');
    writeFileSync(configFile(), registryEntry({ id: 'm', provider: 'openai', model: 'x', endpoint: 'temp-ep' }));
    expect(await entry('m')).toMatchObject({ endpoint: 'temp-ep', endpoint_url: null });
  });

  it('config_load_empty_file: an empty config.toml is the built-ins, no default, no routes', async () => {
    writeFileSync(configFile(), '');
    const reg = await registry();
    expect(reg.models.map((m) => m.name)).toEqual(['haiku', 'sonnet', 'opus']);
    expect(reg).toMatchObject({ default: null, roles: {} });
  });

  it('builtin_haiku_in_registry / builtin_sonnet_in_registry / builtin_opus_in_registry / tier_aliases_resolve_without_any_endpoint_config / effective_registry_contains_builtins', async () => {
    const reg = await registry();
    for (const name of ['haiku', 'sonnet', 'opus']) {
      const found = reg.models.find((m) => m.name === name);
      expect(found).toMatchObject({ provider: 'anthropic', builtin: true });
      expect(found?.model_id).toContain(name);
      expect(found?.endpoint ?? null).toBeNull();
    }
  });

  it('custom_model_does_not_shadow_builtins / user_entry_overrides_builtin_with_same_id', async () => {
    writeFileSync(
      configFile(),
      registryEntry({ id: 'my-fast', provider: 'openai', model: 'gpt-4o-mini', tier: 'fast' }) +
        registryEntry({ id: 'haiku', provider: 'openai', model: 'custom-haiku-replacement', tier: 'fast' }),
    );
    const reg = await registry();
    expect(reg.models.map((m) => m.name)).toEqual(expect.arrayContaining(['haiku', 'sonnet', 'opus', 'my-fast']));
    expect(await entry('my-fast')).toMatchObject({ model_id: 'gpt-4o-mini' });
    expect(await entry('haiku')).toMatchObject({ provider: 'openai', model_id: 'custom-haiku-replacement' });
  });

  it('model_registry_persists_across_reload / model_remove_persists (`wg model add`, `wg model remove`)', async () => {
    await p.ok([
      'model',
      'add',
      'persist-model',
      '--provider',
      'openai',
      '--model-id',
      'gpt-4o',
      '--tier',
      'standard',
      '--cost-in',
      '2.5',
      '--cost-out',
      '10',
    ]);
    expect(await entry('persist-model')).toMatchObject({ provider: 'openai', model_id: 'gpt-4o', cost_in: 2.5, cost_out: 10 });
    await p.ok(['model', 'add', 'ephemeral', '--provider', 'openai', '--model-id', 'gpt-4o-mini', '--tier', 'fast']);
    await p.ok(['model', 'remove', 'ephemeral']);
    expect((await registry()).models.some((m) => m.name === 'ephemeral')).toBe(false);
    expect((await registry()).models.some((m) => m.name === 'persist-model')).toBe(true);
  });

  it('invalid_model_alias_not_in_registry / set_default_to_invalid_model_does_not_validate_at_config_level', async () => {
    writeFileSync(configFile(), '[models.default]\nmodel = "claude:nonexistent"\n');
    const reg = await registry();
    expect(reg.roles.default).toBe('claude:nonexistent');
    expect(reg.models.some((m) => m.name === 'nonexistent' || m.name === 'nonexistent-model-xyz')).toBe(false);
  });
});

describe('which model a run gets (upstream integration_model_management.rs)', () => {
  /** The task agent's model for task ID as the coordinator resolves it, with this executor profile model. */
  async function taskModel(id: string, executorModel: string | null = null) {
    const task = await p.json<Task>(['show', id]);
    const identityModel = task.agent ? (await p.json<IdentityView>(['agent', 'show', task.agent])).model : null;
    return resolveModel({
      task,
      profile: makeProfile({ type: 'claude', model: executorModel }),
      settings: await settings(),
      registry: await registry(),
      identityModel,
    });
  }

  async function agentPreferring(model: string) {
    const role = await p.json<RoleView>(['role', 'add', 'R', '-d', 'd', '--outcome', 'o']);
    const tradeoff = await p.json<TradeoffView>(['tradeoff', 'add', 'M', '-d', 'd']);
    return (await p.json<IdentityView>(['agent', 'create', 'pref', '--role', role.id, '--tradeoff', tradeoff.id, '--model', model])).id;
  }

  it('per_task_override_uses_custom_alias / default_model_used_when_no_task_override', async () => {
    await p.ok(['config', '--model', 'claude:sonnet']);
    await p.ok([
      'model',
      'add',
      'my-custom',
      '--provider',
      'openrouter',
      '--model-id',
      'anthropic/claude-3.5-sonnet',
      '--tier',
      'standard',
    ]);
    await p.ok(['add', 'Custom', '--id', 'custom', '--model', 'my-custom']);
    expect(await taskModel('custom')).toMatchObject({
      name: 'my-custom',
      id: 'anthropic/claude-3.5-sonnet',
      provider: 'openrouter',
      source: 'task',
    });
    await p.ok(['add', 'Plain', '--id', 'plain']);
    expect(await taskModel('plain')).toMatchObject({ name: 'claude:sonnet', id: 'sonnet', provider: 'anthropic', source: 'coordinator' });
  });

  it('task_model_overrides_all_levels / agent_preferred_when_no_task / executor_when_no_agent / coordinator_fallback / all_none_returns_none', async () => {
    await p.ok(['add', 'None', '--id', 'none']);
    expect(await taskModel('none')).toMatchObject({ name: null, id: null, provider: null, source: 'default' });
    await p.ok(['config', '--model', 'coordinator-fallback']);
    expect(await taskModel('none')).toMatchObject({ name: 'coordinator-fallback', source: 'coordinator' });
    expect(await taskModel('none', 'executor-default')).toMatchObject({ name: 'executor-default', source: 'executor' });
    const agent = await agentPreferring('agent-preferred');
    await p.ok(['add', 'Agent', '--id', 'by-agent']);
    await p.ok(['assign', 'by-agent', agent]);
    expect(await taskModel('by-agent', 'executor-default')).toMatchObject({ name: 'agent-preferred', source: 'identity' });
    await p.ok(['add', 'Task', '--id', 'by-task', '--model', 'task-override']);
    await p.ok(['assign', 'by-task', agent]);
    expect(await taskModel('by-task', 'executor-default')).toMatchObject({ name: 'task-override', source: 'task' });
  });

  it('role_config_model_resolution_with_per_task_override / resolve_model_for_role_uses_tier_defaults', async () => {
    const fresh = await registry();
    expect(resolveRoleModel('evaluator', await settings(), fresh).id).toContain('haiku');
    expect(resolveRoleModel('triage', await settings(), fresh).id).toContain('haiku');
    writeFileSync(configFile(), '[models.default]\nmodel = "claude:sonnet"\n\n[models.evaluator]\nmodel = "claude:opus"\n');
    expect(resolveRoleModel('evaluator', await settings(), await registry())).toMatchObject({ id: 'opus', source: 'role' });
  });

  it('model_set_default_with_builtin_alias / default_model_persists_across_reload', async () => {
    await p.ok(['model', 'set-default', 'claude:opus']);
    expect((await registry()).default).toBe('claude:opus');
    await p.ok(['add', 'T', '--id', 't']);
    expect((await taskModel('t')).id).toContain('opus');
  });

  it('model_routing_per_role_persists (`wg model set ROLE MODEL`)', async () => {
    await p.ok(['model', 'set', 'evaluator', 'openrouter:opus']);
    await p.ok(['model', 'set', 'triage', 'claude:haiku']);
    expect((await registry()).roles).toMatchObject({ evaluator: 'openrouter:opus', triage: 'claude:haiku' });
  });
});

describe("upstream's provider:model specs (upstream integration_provider_model_format.rs)", () => {
  it('cli_config_set_model_accepts_provider_format / cli_config_set_model_accepts_openrouter_format / cli_config_set_coordinator_model_accepts_provider_format', async () => {
    await p.ok(['config', '--model', 'claude:haiku']);
    expect(await p.ok(['config', '--show'])).toContain('claude:haiku');
    await p.ok(['config', '--model', 'openrouter:deepseek/deepseek-chat']);
    expect(await p.ok(['config', '--show'])).toContain('openrouter:deepseek/deepseek-chat');
    await p.ok(['config', '--coordinator-model', 'claude:sonnet']);
    expect(await p.ok(['config', '--show'])).toContain('claude:sonnet');
  });

  it("cli_config_set_model_role_accepts_provider_format (upstream's `--set-model` is `wg model set` here)", async () => {
    await p.ok(['model', 'set', 'default', 'claude:opus']);
    expect((await registry()).roles.default).toBe('claude:opus');
  });

  it('config_save_load_roundtrip_provider_model: agent.model and coordinator.model read back as written', async () => {
    writeFileSync(configFile(), '[agent]\nmodel = "openrouter:deepseek/deepseek-chat"\n\n[coordinator]\nmodel = "claude:sonnet"\n');
    const loaded = await settings();
    expect(loaded.agent.model).toBe('openrouter:deepseek/deepseek-chat');
    expect(loaded.coordinator.model).toBe('claude:sonnet');
  });

  it('strict_accepts_all_known_providers / strict_handles_model_with_slashes', () => {
    const known = [
      'claude',
      'openrouter',
      'nex',
      'oai-compat',
      'openai',
      'codex',
      'gemini',
      'ollama',
      'llamacpp',
      'vllm',
      'local',
      'native',
    ];
    for (const provider of known) expect(parseModelSpec(`${provider}:some-model`)).toEqual({ provider, model: 'some-model' });
    expect(parseModelSpec('openrouter:deepseek/deepseek-v3.2')).toEqual({ provider: 'openrouter', model: 'deepseek/deepseek-v3.2' });
  });

  it('lenient_treats_unknown_prefix_as_bare / lenient_empty_string / lenient_double_colon', () => {
    expect(parseModelSpec('unknown:model')).toEqual({ provider: null, model: 'unknown:model' });
    expect(parseModelSpec('')).toEqual({ provider: null, model: '' });
    expect(parseModelSpec('claude::opus')).toEqual({ provider: 'claude', model: ':opus' });
  });

  it('validate_format_rejects_deprecated_role_provider: refused, as upstream refuses it, with the form to write instead', async () => {
    writeFileSync(configFile(), '[models.evaluator]\nprovider = "claude"\nmodel = "opus"\n');
    const refused = await p.wg(['model', 'list']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toBe(
      `wg: ${configFile()}: models.evaluator: a provider beside a role's model is upstream's deprecated form; write model = "claude:opus"`,
    );
  });
});
