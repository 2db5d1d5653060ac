import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelRegistry } from '../../src/shared/config-types';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg model` against upstream's own cases (graphwork/workgraph src/commands/model_cmd.rs `mod tests`), each named
 * in its `it`; `--global`, `remove --force` of a routed model and `list --tier` are in
 * test/store/upstream-ops-flags.test.ts. A registered model is `name` and `model_id` here (upstream's `id` and
 * `model`), and the default is `default` in `wg model list --json`.
 *
 * not ported:
 * - src/commands/models.rs (test_model_search_filters_by_query, test_model_search_filters_by_tools,
 *   test_parse_pricing, test_parse_pricing_free, test_parse_pricing_none, test_model_cache_serialization,
 *   test_cache_freshness, test_cache_save_and_load, test_format_context_window, test_model_to_json): upstream's
 *   `wg models` (search, remote, fetch, benchmarks) reads OpenRouter's catalogue into a cache of its own; this
 *   app has no such command, and its registry is `wg model list` (no context window is kept).
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-model-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const registry = () => p.json<ModelRegistry>(['model', 'list']);
const entry = async (name: string) => (await registry()).models.find((m) => m.name === name);
const config = () => {
  const file = join(p.root, '.workgraph', 'config.toml');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};

describe('wg model (upstream model_cmd.rs)', () => {
  it('test_model_add_and_list / test_model_list_json', async () => {
    await p.ok([
      'model',
      'add',
      'test-model',
      '--provider',
      'openrouter',
      '--model-id',
      'anthropic/claude-3.5-sonnet',
      '--tier',
      'standard',
    ]);
    expect(await entry('test-model')).toMatchObject({
      provider: 'openrouter',
      model_id: 'anthropic/claude-3.5-sonnet',
      tier: 'standard',
      builtin: false,
    });
    expect(await p.ok(['model', 'list'])).toContain('test-model');
  });

  it('test_model_add_defaults_model_id_to_alias', async () => {
    await p.ok(['model', 'add', 'gpt-4o', '--provider', 'openai', '--tier', 'standard']);
    expect((await entry('gpt-4o'))?.model_id).toBe('gpt-4o');
  });

  it('test_model_remove', async () => {
    await p.ok(['model', 'add', 'ephemeral', '--provider', 'openai', '--tier', 'fast']);
    await p.ok(['model', 'remove', 'ephemeral']);
    expect(await entry('ephemeral')).toBeUndefined();
    expect(config()).not.toContain('ephemeral');
  });

  it('test_model_remove_builtin_fails', async () => {
    const result = await p.wg(['model', 'remove', 'haiku']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toBe("wg: 'haiku' is a built-in model and cannot be removed");
    expect(await entry('haiku')).toMatchObject({ builtin: true });
  });

  it("test_model_set_default: upstream's provider:model form names a registered model", async () => {
    await p.ok(['model', 'set-default', 'claude:sonnet']);
    expect((await registry()).default).toBe('claude:sonnet');
  });

  it('test_model_set_default_unknown_fails', async () => {
    const before = config();
    const result = await p.wg(['model', 'set-default', 'nonexistent-model']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toBe("wg: model 'nonexistent-model' not found");
    expect(config()).toBe(before);
    // A provider prefix does not make an unknown model known.
    expect((await p.wg(['model', 'set-default', 'openai:nonexistent-model'])).stderr.trim()).toBe(
      "wg: model 'openai:nonexistent-model' not found",
    );
    expect((await registry()).default).toBeNull();
  });

  it('test_model_set_role', async () => {
    await p.ok(['model', 'set', 'evaluator', 'claude:opus']);
    expect((await registry()).roles).toEqual({ evaluator: 'claude:opus' });
  });

  it('test_model_list_with_tier_filter', async () => {
    for (const tier of ['fast', 'premium']) {
      const models = (await p.json<ModelRegistry>(['model', 'list', '--tier', tier])).models;
      expect(models.length).toBeGreaterThan(0);
      expect(models.every((m) => m.tier === tier)).toBe(true);
      expect(await p.ok(['model', 'list', '--tier', tier])).not.toBe('');
    }
    expect((await registry()).models.map((m) => m.tier)).toEqual(expect.arrayContaining(['fast', 'standard', 'premium']));
  });

  it('test_builtin_tier_aliases_still_work', async () => {
    for (const name of ['haiku', 'sonnet', 'opus']) expect(await entry(name)).toMatchObject({ builtin: true });
  });

  it('test_model_remove_default_force', async () => {
    await p.ok(['model', 'add', 'my-model', '--provider', 'openai', '--tier', 'standard']);
    await p.ok(['model', 'set-default', 'openai:my-model']);
    expect((await registry()).default).toBe('openai:my-model');
    await p.ok(['model', 'remove', 'my-model', '--force']);
    expect(await entry('my-model')).toBeUndefined();
  });
});
