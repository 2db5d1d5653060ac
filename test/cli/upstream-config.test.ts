import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigEntry, ConfigSource } from '../../src/shared/config-types';
import type { ServiceStatus } from '../../src/shared/service-types';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Upstream's config cases (graphwork/workgraph tests/integration_config.rs, integration_global_config.rs and
 * integration_canonical_config.rs), each named in its `it`. Upstream's global_config cases call its Rust API
 * (Config::load, merge_toml, load_with_sources) on a global and a local config.toml; here the same files are read
 * through `wg config --list --json` (each setting with its source) and `wg service status --json` (what a start
 * uses). This app's names: the global config is $WG_HOME/config.toml, the project's .workgraph/config.toml,
 * upstream's [dispatcher] is read as [coordinator], and `--model` / `--executor` set coordinator.model and
 * coordinator.executor (upstream's agent.* and dispatcher.*).
 *
 * not ported:
 * - `wg config --init` and Config::init (a starter config.toml; here `wg init` makes the project, docs/upstream.md
 *   "Not here"): config_init_creates_file, config_init_idempotent, config_show_after_init,
 *   config_init_creates_default_file;
 * - `wg config init [--global] [--route]`, upstream's profile snapshots (claude, codex) and its .bak on --force:
 *   provider profiles and routes are not here (docs/upstream.md, `wg profile`, `wg init --route`):
 *   config_init_global_writes_minimal_canonical, config_init_route_codex_cli_produces_complete_codex_config,
 *   config_init_route_codex_cli_matches_codex_profile_template, config_init_refuses_to_clobber_existing_without_force,
 *   config_init_force_makes_backup;
 * - `wg migrate config` (docs/upstream.md, `wg migrate`): migrate_strips_deprecated_agent_executor,
 *   migrate_rewrites_stale_openrouter_sonnet_model, migrate_dry_run_does_not_modify;
 * - `wg config lint`, upstream's report of its own deprecated and renamed keys (agent.executor, chat_agent,
 *   max_chats) and stale OpenRouter ids: not here; this app reads upstream's names as they are and ignores keys it
 *   does not know: lint_reports_deprecated_keys, lint_reports_stale_models, lint_does_not_modify_files,
 *   lint_clean_local_config_reports_clean, lint_reports_renamed_keys;
 * - the registry flags (`--tier`, `--set-model`, `--flip-model`) of config_one_line_codex_overwrites_dispatcher_model_and_executor
 *   (docs/upstream.md: they are `wg model …` here);
 * - the `--max-task-depth` half of config_set_guardrails, and `agent.interval` in list_source_tracking_mixed_sections
 *   and merge_deep_nested_multiple_sections: settings not here (docs/upstream.md);
 * differs, not fixed:
 * - defaults_no_user_config_run_claude_opus, merge_empty_both_yields_defaults, global_config_creation: upstream's
 *   defaults are agent.model claude:opus and max_agents 8; here no model is set (the executor's own default runs)
 *   and max_agents is 4. docs/upstream.md does not list it; changing them changes what every unconfigured project
 *   runs and spends, so it is reported, not changed. The executor default (claude) is the same and is tested.
 * - config_show_default, config_show_json, config_list_shows_merged: upstream's `--show` prints a "WG Configuration"
 *   heading and config.toml's sections (`--json`: the config as an object), and `--list` a "WG Configuration
 *   (merged)" heading; here both print the one table of settings with their sources (`--json`: its entries). What
 *   they carry is tested.
 * - config_one_line_codex_overwrites_dispatcher_model_and_executor: upstream's `--model codex:…` also clears a
 *   dispatcher.executor pin ("Cleared deprecated dispatcher.executor"), so codex runs it; here the executor is a
 *   setting of its own that wins when set (docs/guide.md: "the one set …, else the one a provider:model model
 *   names"), so [dispatcher] executor = "claude" stays and would run the codex model; `wg config --model` says so,
 *   with the command that makes them agree (test/commands/config.test.ts). The model's own write is tested here.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-upstream-config-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const localFile = () => join(p.root, '.workgraph', 'config.toml');
const globalFile = () => join(p.home, 'config.toml');
const writeLocal = (text: string) => writeFileSync(localFile(), text);
const writeGlobal = (text: string) => {
  mkdirSync(p.home, { recursive: true });
  writeFileSync(globalFile(), text);
};
const list = () => p.json<ConfigEntry[]>(['config', '--list']);
/** key → [value, source] of the keys asked for. */
async function settings(...keys: string[]): Promise<Record<string, [unknown, ConfigSource]>> {
  const entries = await list();
  return Object.fromEntries(
    keys.map((key) => {
      const entry = entries.find((e) => e.key === key);
      if (!entry) throw new Error(`no setting ${key}`);
      return [key, [entry.value, entry.source]];
    }),
  );
}

describe('wg config --show / --list (upstream integration_config.rs)', () => {
  it('config_show_default / config_no_flags_shows_config: bare `wg config` is `--show`, the agent and coordinator settings', async () => {
    const shown = await p.ok(['config', '--show']);
    expect(shown).toMatch(/^agent\.executor\s+claude\s+\(default\)$/m);
    expect(shown).toMatch(/^coordinator\.executor\s+claude\s+\(default\)$/m);
    expect(await p.ok(['config'])).toBe(shown);
  });

  it('config_show_json: parses, with the agent and coordinator (upstream dispatcher) settings', async () => {
    const keys = (await p.json<ConfigEntry[]>(['config', '--show'])).map((e) => e.key);
    expect(keys.some((k) => k.startsWith('agent.'))).toBe(true);
    expect(keys.some((k) => k.startsWith('coordinator.'))).toBe(true);
  });

  it('config_list_shows_merged / config_list_json: each entry has key, value and source', async () => {
    expect(await p.ok(['config', '--list'])).toMatch(/^coordinator\.max_agents\s+\d+\s+\(default\)$/m);
    const entries = await list();
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(Object.keys(entry)).toEqual(expect.arrayContaining(['key', 'value', 'source']));
  });

  it('config_list_reflects_updates: the value set, marked local', async () => {
    await p.ok(['config', '--max-agents', '42']);
    expect(await p.ok(['config', '--list'])).toMatch(/^coordinator\.max_agents\s+42\s+\(local\)$/m);
  });
});

describe('wg config --<setting> (upstream integration_config.rs)', () => {
  it('config_set_executor: says what it set, and it stays', async () => {
    expect((await p.ok(['config', '--executor', 'shell'])).trim()).toBe('Set coordinator.executor = shell');
    expect(await p.ok(['config', '--show'])).toMatch(/^coordinator\.executor\s+shell\s+\(local\)$/m);
  });

  it('config_set_model', async () => {
    expect((await p.ok(['config', '--model', 'claude:haiku'])).trim()).toBe('Set coordinator.model = claude:haiku');
  });

  it('config_set_max_agents', async () => {
    expect((await p.ok(['config', '--max-agents', '5'])).trim()).toBe('Set coordinator.max_agents = 5');
  });

  it('config_set_multiple_values: one line per setting', async () => {
    expect(
      (await p.ok(['config', '--executor', 'shell', '--model', 'claude:sonnet', '--max-agents', '3'])).trim().split('\n').sort(),
    ).toEqual(['Set coordinator.executor = shell', 'Set coordinator.max_agents = 3', 'Set coordinator.model = claude:sonnet']);
  });

  it('config_set_coordinator_executor', async () => {
    expect((await p.ok(['config', '--coordinator-executor', 'shell'])).trim()).toBe('Set coordinator.executor = shell');
  });

  it('config_one_line_codex_overwrites_dispatcher_model_and_executor: the model set over an upstream [dispatcher] pin', async () => {
    writeLocal('[agent]\nmodel = "claude:opus"\n\n[dispatcher]\nexecutor = "claude"\nmodel = "claude:opus"\n');
    await p.ok(['config', '--local', '--model', 'codex:gpt-5.5', '--coordinator-model', 'codex:gpt-5.5']);
    expect(readFileSync(localFile(), 'utf8')).toContain('model = "codex:gpt-5.5"');
    expect(await settings('coordinator.model')).toEqual({ 'coordinator.model': ['codex:gpt-5.5', 'local'] });
  });

  it('config_set_guardrails: --max-child-tasks', async () => {
    expect((await p.ok(['config', '--max-child-tasks', '15'])).trim()).toBe('Set guardrails.max_child_tasks_per_agent = 15');
  });

  it("says that upstream's wg ignores the whole config.toml for a model without its provider, where upstream shares the folder", async () => {
    // Upstream's validate_model_format: a model not in provider:model form, and its load falls back to defaults.
    expect((await p.wg(['config', '--model', 'sonnet'])).stderr).toBe('');
    writeFileSync(join(p.root, '.workgraph', 'graph.jsonl'), '');
    const said = await p.wg(['config', '--model', 'sonnet']);
    expect(said.stderr).toBe(
      "wg: upstream's wg ignores the whole config.toml while a model in it has no provider; for both tools give it as provider:model (e.g. claude:sonnet)",
    );
    expect((await p.wg(['config', '--model', 'claude:sonnet'])).stderr).toBe('');
  });

  it("writes a setting where upstream's config.toml has it, so that upstream's wg runs by the same value", async () => {
    // Upstream reads [dispatcher] before [coordinator] and knows neither agent.timeout nor agency.eval_threshold: a
    // value written under this app's name beside upstream's would leave the two tools with different settings.
    writeLocal('[dispatcher]\nmax_agents = 2\nagent_timeout = "45m"\n\n[agency]\neval_gate_threshold = 0.8\n');
    await p.ok(['config', '--max-agents', '6', '--agent-timeout', '10m', '--eval-threshold', '0.5']);
    expect(readFileSync(localFile(), 'utf8')).toBe(
      '[dispatcher]\nmax_agents = 6\nagent_timeout = "600s"\n\n[agency]\neval_gate_threshold = 0.5\n',
    );
    expect(await settings('coordinator.max_agents', 'agent.timeout', 'agency.eval_threshold')).toEqual({
      'coordinator.max_agents': [6, 'local'],
      'agent.timeout': [600, 'local'],
      'agency.eval_threshold': [0.5, 'local'],
    });
    // --unset takes out every name of the setting, upstream's too: else the other name would still hold it.
    await p.ok(['config', '--unset', 'agent.timeout']);
    expect(readFileSync(localFile(), 'utf8')).not.toContain('agent_timeout');
    // A setting the file does not have yet goes under this app's name.
    await p.ok(['config', '--agent-timeout', '5m']);
    expect(readFileSync(localFile(), 'utf8')).toContain('[agent]\ntimeout = 300\n');
  });
});

describe('global and local config.toml (upstream integration_global_config.rs)', () => {
  it('local_only_no_global', async () => {
    writeLocal('[agent]\nmodel = "haiku"\n\n[coordinator]\nmax_agents = 2\n');
    expect(await settings('agent.model', 'coordinator.max_agents', 'agent.executor')).toEqual({
      'agent.model': ['haiku', 'local'],
      'coordinator.max_agents': [2, 'local'],
      'agent.executor': ['claude', 'default'],
    });
  });

  it('global_only_no_local', async () => {
    writeGlobal('[agent]\nmodel = "sonnet"\n\n[coordinator]\nmax_agents = 8\n');
    expect(await settings('agent.model', 'coordinator.max_agents', 'agent.executor')).toEqual({
      'agent.model': ['sonnet', 'global'],
      'coordinator.max_agents': [8, 'global'],
      'agent.executor': ['claude', 'default'],
    });
  });

  it('merge_local_overrides_global_auto_evaluate / agency_auto_evaluate_from_global', async () => {
    writeGlobal('[agency]\nauto_evaluate = false\n');
    writeLocal('[agency]\nauto_evaluate = true\n');
    expect(await settings('agency.auto_evaluate')).toEqual({ 'agency.auto_evaluate': [true, 'local'] });
    writeLocal('');
    writeGlobal('[agency]\nauto_evaluate = true\n');
    expect(await settings('agency.auto_evaluate')).toEqual({ 'agency.auto_evaluate': [true, 'global'] });
  });

  it('merge_global_value_inherited_when_local_absent', async () => {
    writeGlobal('[coordinator]\nmax_agents = 8\n');
    writeLocal('[agent]\nmodel = "haiku"\n');
    expect(await settings('coordinator.max_agents', 'agent.model')).toEqual({
      'coordinator.max_agents': [8, 'global'],
      'agent.model': ['haiku', 'local'],
    });
  });

  it('list_source_annotations_global_vs_local / config_source_display_variants', async () => {
    writeGlobal('[coordinator]\nmax_agents = 8\nexecutor = "claude"\n');
    writeLocal('[coordinator]\nexecutor = "shell"\n');
    expect(await settings('coordinator.max_agents', 'coordinator.executor', 'agent.model')).toEqual({
      'coordinator.max_agents': [8, 'global'],
      'coordinator.executor': ['shell', 'local'],
      'agent.model': [null, 'default'],
    });
    const text = await p.ok(['config', '--list']);
    expect(text).toMatch(/^coordinator\.max_agents\s+8\s+\(global\)$/m);
    expect(text).toMatch(/^coordinator\.executor\s+shell\s+\(local\)$/m);
    expect(text).toMatch(/^agent\.model\s+\(unset\)\s+\(default\)$/m);
  });

  it('list_all_defaults_when_no_config_files', async () => {
    expect(existsSync(localFile())).toBe(false);
    expect(existsSync(globalFile())).toBe(false);
    expect(new Set((await list()).map((e) => e.source))).toEqual(new Set(['default']));
  });

  it('list_source_tracking_mixed_sections', async () => {
    writeGlobal('[agent]\nmodel = "sonnet"\ninterval = 20\n\n[agency]\nauto_evaluate = true\n');
    writeLocal('[agent]\nmodel = "haiku"\n\n[coordinator]\nmax_agents = 6\n');
    expect(await settings('agent.model', 'coordinator.max_agents', 'agency.auto_evaluate', 'agent.heartbeat_timeout')).toEqual({
      'agent.model': ['haiku', 'local'],
      'coordinator.max_agents': [6, 'local'],
      'agency.auto_evaluate': [true, 'global'],
      'agent.heartbeat_timeout': [5, 'default'],
    });
  });

  it('global_flag_writes_to_global_path / config_save_and_load_roundtrip_global', async () => {
    await p.ok(['config', '--global', '--max-agents', '10', '--auto-evaluate', 'true']);
    expect(readFileSync(globalFile(), 'utf8')).toContain('max_agents = 10');
    expect(existsSync(localFile())).toBe(false);
    expect(await settings('coordinator.max_agents', 'agency.auto_evaluate')).toEqual({
      'coordinator.max_agents': [10, 'global'],
      'agency.auto_evaluate': [true, 'global'],
    });
  });

  it("global_write_does_not_affect_local: upstream's [dispatcher] in the project still wins", async () => {
    writeLocal('[dispatcher]\nmax_agents = 2\n');
    await p.ok(['config', '--global', '--max-agents', '8']);
    expect(readFileSync(localFile(), 'utf8')).toBe('[dispatcher]\nmax_agents = 2\n');
    expect(await settings('coordinator.max_agents')).toEqual({ 'coordinator.max_agents': [2, 'local'] });
  });

  it('local_flag_writes_to_project_path / local_write_does_not_affect_global / load_with_sources_uses_real_api', async () => {
    writeGlobal('[coordinator]\nmax_agents = 8\n');
    await p.ok(['config', '--local', '--max-agents', '6']);
    expect(readFileSync(globalFile(), 'utf8')).toBe('[coordinator]\nmax_agents = 8\n');
    expect(readFileSync(localFile(), 'utf8')).toContain('max_agents = 6');
    expect(await settings('coordinator.max_agents')).toEqual({ 'coordinator.max_agents': [6, 'local'] });
    await p.ok(['config', '--max-agents', '7']);
    expect(await settings('coordinator.max_agents')).toEqual({ 'coordinator.max_agents': [7, 'local'] });
  });

  it('config_save_and_load_roundtrip_local', async () => {
    await p.ok(['config', '--model', 'claude:haiku', '--max-agents', '16', '--auto-evaluate', 'true']);
    expect(await settings('coordinator.model', 'coordinator.max_agents', 'agency.auto_evaluate')).toEqual({
      'coordinator.model': ['claude:haiku', 'local'],
      'coordinator.max_agents': [16, 'local'],
      'agency.auto_evaluate': [true, 'local'],
    });
  });

  it('merge_deep_nested_multiple_sections', async () => {
    writeGlobal(
      '[agent]\nmodel = "sonnet"\nexecutor = "claude"\ninterval = 20\n\n[coordinator]\nmax_agents = 8\n\n[agency]\nauto_evaluate = true\n',
    );
    writeLocal('[agent]\nmodel = "haiku"\n\n[agency]\nauto_assign = true\n');
    expect(await settings('agent.model', 'agent.executor', 'coordinator.max_agents', 'agency.auto_evaluate', 'agency.auto_assign')).toEqual(
      {
        'agent.model': ['haiku', 'local'],
        'agent.executor': ['claude', 'global'],
        'coordinator.max_agents': [8, 'global'],
        'agency.auto_evaluate': [true, 'global'],
        'agency.auto_assign': [true, 'local'],
      },
    );
  });

  it('merge_preserves_all_coordinator_fields', async () => {
    writeGlobal('[coordinator]\nmax_agents = 12\ninterval = 45\npoll_interval = 180\nexecutor = "shell"\nmodel = "claude:opus"\n');
    expect(await settings('coordinator.max_agents', 'coordinator.poll_interval', 'coordinator.executor', 'coordinator.model')).toEqual({
      'coordinator.max_agents': [12, 'global'],
      'coordinator.poll_interval': [180, 'global'],
      'coordinator.executor': ['shell', 'global'],
      'coordinator.model': ['claude:opus', 'global'],
    });
  });

  it('merge_empty_both_yields_defaults / defaults_no_user_config_run_claude_opus / global_config_creation: the executor is claude', async () => {
    expect(await settings('agent.executor', 'coordinator.executor')).toEqual({
      'agent.executor': ['claude', 'default'],
      'coordinator.executor': ['claude', 'default'],
    });
    expect(await p.ok(['config', '--merged'])).toMatch(/^coordinator\.executor\s+claude\s+\(default\)$/m);
  });
});

describe('what a start uses: wg service status (upstream integration_global_config.rs)', () => {
  const startSettings = async (...keys: string[]) => {
    const entries = (await p.json<ServiceStatus>(['service', 'status'])).settings ?? [];
    return Object.fromEntries(keys.map((key) => [key, entries.find((e) => e.key === key)?.value]));
  };

  it('service_daemon_uses_merged_config', async () => {
    writeGlobal('[coordinator]\nmax_agents = 8\nexecutor = "claude"\ninterval = 30\npoll_interval = 120\n');
    writeLocal('[coordinator]\nexecutor = "shell"\n');
    expect(await startSettings('coordinator.max_agents', 'coordinator.executor', 'coordinator.poll_interval')).toEqual({
      'coordinator.max_agents': 8,
      'coordinator.executor': 'shell',
      'coordinator.poll_interval': 120,
    });
    expect((await p.json<ServiceStatus>(['service', 'status'])).max_agents).toBe(8);
  });

  it('service_uses_merged_model / service_local_model_overrides_global', async () => {
    writeGlobal('[coordinator]\nmodel = "sonnet"\n');
    expect(await startSettings('coordinator.model')).toEqual({ 'coordinator.model': 'sonnet' });
    writeLocal('[coordinator]\nmodel = "haiku"\n');
    expect(await startSettings('coordinator.model')).toEqual({ 'coordinator.model': 'haiku' });
  });
});

describe('wg quickstart (upstream integration_canonical_config.rs)', () => {
  it('quickstart_with_no_global_config_does_not_error', async () => {
    expect(existsSync(globalFile())).toBe(false);
    const result = await p.wg(['quickstart']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('wg init');
  });
});
