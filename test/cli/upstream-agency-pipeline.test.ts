import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { AgencyStats, IdentityView, RoleView } from '../../src/shared/agency';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Upstream's agency integration tests (graphwork/workgraph tests/integration_agency_pipeline.rs,
 * integration_agency_stats.rs, integration_special_agents.rs, test_coordinator_special_agents.rs,
 * integration_agency_import.rs, integration_agency_loop.rs, integration_agency_scope_rules.rs), each case named in
 * its `it`. The agency lives in the store: upstream's folder of YAML files is what `wg agency import` reads and
 * `wg agency export` writes, so upstream's files are read and written through those.
 *
 * not ported:
 * - upstream's model tiers and its registry on Config (docs/upstream.md, "Not here": `wg config --registry-add`,
 *   `--registry-remove`, `--tier`, `--models`; a role routes to a model registered with `wg model`), Rust helpers of
 *   `Config` and their CLI: integration_agency_pipeline.rs registry_no_config_returns_6_builtins,
 *   registry_user_entries_override_builtins, role_with_explicit_model_ignores_tier,
 *   role_with_tier_override_resolves_via_registry, all_roles_resolve_via_default_tier,
 *   unknown_model_id_in_tier_config_graceful_fallback, registry_remove_warns_about_dependent_roles_tiers,
 *   resolve_model_source_reports_tier_default_for_unconfigured, resolve_model_source_reports_explicit_for_models_override,
 *   resolve_model_source_reports_explicit_for_models_section, resolve_model_source_reports_tier_override,
 *   config_models_includes_tier_column, config_models_json_includes_tier_and_source;
 *   integration_agency_loop.rs test_evaluator_dispatch_role_for_eval_tasks,
 *   test_eval_task_model_matches_evaluator_dispatch_role, assigner_to_creator_signal_path_exists (also the creator);
 * - upstream's `[agency agents]` section of `wg config --show` (one line per dispatch role, with `auto:`): here
 *   `wg config --show` is one row per setting (its auto toggles are ported below) and a role's route is in
 *   `wg model list`: config_show_includes_agency_agents_section, config_show_agency_agents_includes_auto_toggles;
 * - the placement agent and draft mode (docs/upstream.md, "Not here": nothing is placed, every task is available at
 *   once; `--auto-place`, `--place-near`, `--place-before` are not here): add_creates_draft_paused_task,
 *   build_placement_tasks_identifies_draft_tasks, auto_place_fast_path_with_deps_no_overlap,
 *   agent_placement_task_without_deps, place_task_failure_publishes_original,
 *   placement_hints_appear_in_place_task_description, placement_hints_cli_roundtrip,
 *   coordinator_does_not_create_place_tasks_for_draft_tasks, publish_no_place_task_created,
 *   agent_context_defaults_to_no_place, config_auto_place_toggle_works;
 * - the creator and evolver agents (docs/upstream.md, "Not here": `wg agency create`, `--creator-agent`,
 *   `--evolver-agent`): agency_create_cli_runs, auto_create_threshold_met_spawns_creator,
 *   auto_create_threshold_not_met_does_not_spawn, auto_create_disabled_does_not_spawn;
 *   integration_agency_loop.rs test_evaluations_trigger_evolution, test_reactive_evolution_trigger_low_scores,
 *   test_auto_evolve_creates_dot_prefixed_evolve_task, test_evolver_state_tracks_evolution_history,
 *   test_evolution_disabled_no_trigger, test_safe_strategies_for_auto_evolution;
 * - Rust structs and helpers driven without the command line (the coordinator's own runs of them are in
 *   test/coordinator/): integration_agency_loop.rs test_token_usage_recorded_on_eval_task (TokenUsage's serde),
 *   test_no_infinite_regress_for_system_tasks (is_system_task and a tag list), test_full_agency_loop_end_to_end
 *   (record_evaluation and the evolver on the Rust API); test_coordinator_special_agents.rs
 *   coordinator_assign_task_uses_composed_assigner_identity, coordinator_assign_task_fallback_when_no_assigner_configured,
 *   coordinator_eval_task_uses_composed_evaluator_identity, assign_task_agent_field_set_to_assigner_hash,
 *   eval_task_agent_field_set_to_evaluator_hash, end_to_end_init_assign_evaluate_flow (the descriptions of the
 *   `.assign-X` and `.evaluate-X` tasks upstream's coordinator writes: here the assigner and the evaluator run
 *   without such tasks, and their prompts are built in src/core/agency/);
 * - upstream's Agency CSV importer (docs/upstream.md, "Not here": `wg agency import` reads upstream's YAML folder):
 *   integration_agency_import.rs test_import_creates_correct_file_counts, test_reimport_is_idempotent,
 *   test_dry_run_writes_no_files, test_invalid_csv_missing_columns, test_invalid_csv_nonexistent_file,
 *   test_imported_yaml_has_correct_fields, test_custom_provenance_tag;
 * - upstream's composer and its composition-rules.csv overlay (scope-biased choice of primitives, a cap on a role's
 *   components, reloaded on edit): not built, the assigner picks among whole agents: integration_agency_scope_rules.rs
 *   test_evaluator_composition_prefers_meta_evaluator_scope, test_metadata_scope_fallback_when_typed_field_absent,
 *   test_legacy_primitives_default_to_match_all, test_composition_rules_csv_parser_parses_full_row,
 *   test_composition_rules_missing_file_returns_empty_overlay, test_composition_rules_cap_enforces_max_role_components,
 *   test_composition_rules_cap_unlimited_when_none, test_composition_rules_reload_after_edit,
 *   test_composition_rules_watcher_picks_up_new_file, test_composition_rules_overlay_lookup_by_scope;
 * - the evolver and creator of upstream's special agents (not here, above): integration_special_agents.rs and
 *   test_coordinator_special_agents.rs check four special agents; here they are the assigner and the evaluator.
 *
 * differs, not fixed:
 * - publish_creates_full_pipeline_all_tasks, publish_creates_all_pipeline_edges_correctly: upstream's `wg publish`
 *   (with auto-assign and auto-evaluate on) makes `.assign-X` before X and `.flip-X`, `.evaluate-X` after it. This
 *   app's coordinator assigns and evaluates without making those tasks (it runs them only when an imported graph
 *   brings them, src/core/agency/system-tasks.ts), so `wg publish` makes none: a different design, not a small fix.
 * - agency_stats_with_roles_and_tradeoffs: `wg agency import` gives a role the id of its content (components and
 *   outcome, upstream's content_hash_role) where upstream keeps the id its file names, so the fixture's two roles,
 *   alike but for name and description, are one role here.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-up-agency-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

describe('tasks in the pipeline (upstream integration_agency_pipeline.rs)', () => {
  it('add_no_place_creates_unpaused_task_with_unplaced', async () => {
    const out = await p.ok(['add', 'Test no-place task', '--no-place']);
    expect(out).not.toContain('draft');
    const task = await p.json<Task>(['show', 'test-no-place']);
    expect(task.status).toBe('open');
    expect(task.paused).toBe(false);
  });

  it('system_tasks_skip_draft_by_default', async () => {
    const out = await p.ok(['add', '.system-test-task', '--id', '.system-test-task']);
    expect(out).not.toContain('draft');
    const task = await p.json<Task>(['show', '.system-test-task']);
    expect([task.status, task.paused]).toEqual(['open', false]);
  });

  it('is_system_task_identifies_dot_prefix: dot tasks are upstream system tasks, shown by `wg ready` only with --all', async () => {
    const ids = ['.evaluate-foo', '.assign-bar', '.place-baz', '.create-20260310', 'user-task', 'my-feature'];
    await p.importTasks(ids.map((id) => ({ id })));
    const ready = async (args: string[]) => (await p.json<Array<{ id: string }>>(['ready', ...args])).map((t) => t.id).sort();
    expect(await ready([])).toEqual(['my-feature', 'user-task']);
    expect(await ready(['--all'])).toEqual([...ids].sort());
  });

  it('all_auto_toggles_round_trip_through_config (auto-evaluate, auto-assign, auto-triage)', async () => {
    const setting = async (key: string) =>
      (await p.json<Array<{ key: string; value: unknown }>>(['config', '--show'])).find((row) => row.key === key)?.value;
    await p.ok(['config', '--auto-evaluate', 'true']);
    expect(await setting('agency.auto_evaluate')).toBe(true);
    await p.ok(['config', '--auto-evaluate', 'false']);
    expect(await setting('agency.auto_evaluate')).toBe(false);
    await p.ok(['config', '--auto-assign', 'true']);
    expect(await setting('agency.auto_assign')).toBe(true);
    await p.ok(['config', '--auto-triage', 'true']);
    expect(await setting('coordinator.auto_triage')).toBe(true);
    const text = await p.ok(['config', '--show']);
    expect(text).toMatch(/agency\.auto_assign\s+true/);
    expect(text).toMatch(/coordinator\.auto_triage\s+true/);
  });
});

/** Upstream's setup_agency and its add_role, add_tradeoff and add_evaluation: a folder `wg agency import` reads. */
class UpstreamAgencyFolder {
  readonly dir: string;
  constructor(root: string) {
    this.dir = join(root, 'up', 'agency');
    for (const sub of ['cache/roles', 'cache/agents', 'primitives/tradeoffs', 'evaluations'])
      mkdirSync(join(this.dir, sub), { recursive: true });
  }
  private performance(taskCount: number, avgScore: number | null): string {
    return `performance:\n  task_count: ${taskCount}\n  avg_score: ${avgScore ?? 'null'}\n  evaluations: []\nlineage:\n  generation: 0\n  parents: []\n  method: "seed"\n`;
  }
  role(id: string, name: string, taskCount: number, avgScore: number | null): void {
    writeFileSync(
      join(this.dir, 'cache/roles', `${id}.yaml`),
      `id: "${id}"\nname: "${name}"\ndescription: "Test role ${name}"\noutcome_id: "outcome-1"\n${this.performance(taskCount, avgScore)}`,
    );
  }
  tradeoff(id: string, name: string, taskCount: number, avgScore: number | null): void {
    writeFileSync(
      join(this.dir, 'primitives/tradeoffs', `${id}.yaml`),
      `id: "${id}"\nname: "${name}"\ndescription: "Test tradeoff ${name}"\nacceptable_tradeoffs: []\nunacceptable_tradeoffs: []\n${this.performance(taskCount, avgScore)}access_control:\n  owner: "local"\n  policy: open\n`,
    );
  }
  evaluation(id: string, taskId: string, roleId: string, tradeoffId: string, score: number, extra: Record<string, unknown> = {}): void {
    const evaluation = {
      id,
      task_id: taskId,
      agent_id: 'agent-1',
      role_id: roleId,
      tradeoff_id: tradeoffId,
      score,
      dimensions: {},
      notes: 'test evaluation',
      evaluator: 'test',
      timestamp: '2026-02-27T00:00:00Z',
      ...extra,
    };
    writeFileSync(join(this.dir, 'evaluations', `${id}.json`), JSON.stringify(evaluation, null, 2));
  }
}

describe('wg agency stats (upstream integration_agency_stats.rs)', () => {
  let up: UpstreamAgencyFolder;
  beforeEach(() => {
    up = new UpstreamAgencyFolder(p.root);
  });
  const imported = async () => p.ok(['agency', 'import', up.dir]);

  it('agency_stats_empty / agency_stats_json_empty', async () => {
    // An empty folder is refused by `wg agency import` (nothing to read): the project's agency is empty as made.
    expect(await p.ok(['agency', 'stats'])).toMatch(/evaluations: 0/);
    const stats = await p.json<AgencyStats>(['agency', 'stats']);
    expect(stats).toMatchObject({ evaluations: 0, avg_score: null, by_role: [], by_tradeoff: [] });
  });

  it('agency_stats_with_roles_and_tradeoffs', async () => {
    up.role('role-a', 'Programmer', 5, 0.85);
    up.role('role-b', 'Researcher', 3, 0.72);
    up.tradeoff('tradeoff-a', 'Thorough', 4, 0.8);
    up.tradeoff('tradeoff-b', 'Fast', 4, 0.65);
    await imported();
    const stats = await p.json<AgencyStats>(['agency', 'stats']);
    expect(stats.by_tradeoff.map((t) => t.name).sort()).toEqual(['Fast', 'Thorough']);
    expect(await p.ok(['agency', 'stats'])).toContain('By tradeoff:');
  });

  it('agency_stats_with_evaluations / agency_stats_json_with_data', async () => {
    up.role('role-a', 'Programmer', 2, 0.8);
    up.tradeoff('tradeoff-a', 'Thorough', 2, 0.8);
    up.evaluation('eval-1', 'task-1', 'role-a', 'tradeoff-a', 0.85);
    up.evaluation('eval-2', 'task-2', 'role-a', 'tradeoff-a', 0.75);
    await imported();
    const text = await p.ok(['agency', 'stats']);
    expect(text).toMatch(/evaluations: 2/);
    expect(text).toContain('Synergy matrix (role x tradeoff):');
    const stats = await p.json<AgencyStats>(['agency', 'stats']);
    expect(stats.evaluations).toBe(2);
    expect(stats.avg_score).toBeCloseTo(0.8, 12);
    expect(stats.by_role.map((r) => [r.name, r.evaluations])).toEqual([['Programmer', 2]]);
    expect(stats.synergy_matrix?.map((c) => [c.tradeoff_id, c.count])).toEqual([['tradeoff-a', 2]]);
  });

  it('agency_stats_min_evals_filter: a pair with fewer evaluations than --min-evals is under-explored', async () => {
    up.role('role-a', 'Programmer', 1, 0.8);
    up.tradeoff('tradeoff-a', 'Thorough', 1, 0.8);
    up.evaluation('eval-1', 'task-1', 'role-a', 'tradeoff-a', 0.8);
    await imported();
    const stats = await p.json<AgencyStats>(['agency', 'stats', '--min-evals', '5']);
    expect(stats.min_evals).toBe(5);
    expect(stats.underexplored?.map((u) => [u.tradeoff_id, u.eval_count])).toEqual([['tradeoff-a', 1]]);
    expect(await p.ok(['agency', 'stats', '--min-evals', '5'])).toContain('Under-explored combinations (< 5 evals):');
  });

  it('agency_stats_by_model', async () => {
    up.role('role-a', 'Programmer', 1, 0.8);
    up.tradeoff('tradeoff-a', 'Thorough', 1, 0.8);
    up.evaluation('eval-model-1', 'task-1', 'role-a', 'tradeoff-a', 0.85, { model: 'sonnet' });
    await imported();
    const text = await p.ok(['agency', 'stats', '--by-model']);
    expect(text).toContain('Model leaderboard:');
    expect(text).toContain('sonnet');
  });

  it('agency_stats_with_tagged_tasks', async () => {
    up.role('role-a', 'Programmer', 1, 0.8);
    up.tradeoff('tradeoff-a', 'Thorough', 1, 0.8);
    up.evaluation('eval-1', 'task-tagged', 'role-a', 'tradeoff-a', 0.8);
    await imported();
    await p.importTasks([{ id: 'task-tagged', title: 'Tagged task', status: 'done', tags: ['bugfix', 'urgent'] }]);
    const stats = await p.json<AgencyStats>(['agency', 'stats']);
    expect(stats.tag_breakdown?.by_tradeoff.map((c) => [c.tag, c.count]).sort()).toEqual([
      ['bugfix', 1],
      ['urgent', 1],
    ]);
    expect(await p.ok(['agency', 'stats'])).toContain('Score by tradeoff x tag:');
  });
});

interface AgentYaml {
  id: string;
  role_id: string;
  tradeoff_id: string;
  name: string;
}
interface RoleYaml {
  id: string;
  name: string;
  component_ids: string[];
  outcome_id: string;
}

/** An exported YAML file; upstream's `!name` tags (a component's content) are read as plain strings. */
const yamlOf = <T>(file: string): T => parse(readFileSync(file, 'utf8'), { logLevel: 'error' }) as T;

/** Upstream's content_hash_agent: SHA-256 of the YAML of {role_id, motivation_id}. */
const agentHash = (roleId: string, tradeoffId: string) =>
  createHash('sha256').update(`role_id: ${roleId}\nmotivation_id: ${tradeoffId}\n`).digest('hex');

describe('special agents after `wg agency init` (upstream integration_special_agents.rs, test_coordinator_special_agents.rs)', () => {
  let out: string;
  let special: Record<'assigner_agent' | 'evaluator_agent', string>;
  beforeEach(async () => {
    await p.ok(['agency', 'init']);
    out = join(p.root, 'exported');
    await p.ok(['agency', 'export', out]);
    const rows = await p.json<Array<{ key: string; value: unknown }>>(['config', '--show']);
    const value = (key: string) => String(rows.find((row) => row.key === key)?.value);
    special = { assigner_agent: value('agency.assigner_agent'), evaluator_agent: value('agency.evaluator_agent') };
  });
  const read = <T>(sub: string, id: string): T => yamlOf<T>(join(out, sub, `${id}.yaml`));

  it('test_special_agents_exist_in_cache / agency_init_produces_config_with_special_agent_hashes / test_config_keys_set_to_valid_hashes / config_special_agent_hashes_resolve_to_real_agents', () => {
    // The default agent and the two special agents here (upstream: four).
    expect(readdirSync(join(out, 'cache/agents')).filter((f) => f.endsWith('.yaml'))).toHaveLength(3);
    for (const hash of Object.values(special)) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(existsSync(join(out, 'cache/agents', `${hash}.yaml`))).toBe(true);
      expect(read<AgentYaml>('cache/agents', hash).id).toBe(hash);
    }
    expect(new Set(Object.values(special)).size).toBe(2);
  });

  it('test_special_agent_roles_have_correct_components / test_all_component_and_outcome_ids_resolve / test_special_agent_tradeoff_ids_resolve', () => {
    const names = Object.fromEntries(
      Object.entries(special).map(([key, hash]) => [
        key,
        read<RoleYaml>('cache/roles', read<AgentYaml>('cache/agents', hash).role_id).name,
      ]),
    );
    expect(names).toEqual({ assigner_agent: 'Assigner', evaluator_agent: 'Evaluator' });
    for (const hash of Object.values(special)) {
      const agent = read<AgentYaml>('cache/agents', hash);
      const role = read<RoleYaml>('cache/roles', agent.role_id);
      expect(role.component_ids.length).toBeGreaterThan(0);
      for (const component of role.component_ids) expect(existsSync(join(out, 'primitives/components', `${component}.yaml`))).toBe(true);
      expect(existsSync(join(out, 'primitives/outcomes', `${role.outcome_id}.yaml`))).toBe(true);
      expect(existsSync(join(out, 'primitives/tradeoffs', `${agent.tradeoff_id}.yaml`))).toBe(true);
    }
  });

  it('test_agent_ids_are_content_hashes', () => {
    for (const file of readdirSync(join(out, 'cache/agents'))) {
      const agent = read<AgentYaml>('cache/agents', file.replace(/\.yaml$/, ''));
      expect(agent.id).toBe(agentHash(agent.role_id, agent.tradeoff_id));
    }
  });

  it('test_init_idempotent_no_duplicates: a second init keeps the agents and the special hashes', async () => {
    const before = await p.json<IdentityView[]>(['agent', 'list']);
    await p.ok(['agency', 'init']);
    const after = await p.json<IdentityView[]>(['agent', 'list']);
    expect(after.map((a) => a.id).sort()).toEqual(before.map((a) => a.id).sort());
    const rows = await p.json<Array<{ key: string; value: unknown }>>(['config', '--show']);
    expect(rows.find((r) => r.key === 'agency.assigner_agent')?.value).toBe(special.assigner_agent);
    expect(rows.find((r) => r.key === 'agency.evaluator_agent')?.value).toBe(special.evaluator_agent);
  });

  /** Evaluations of tasks the agent worked, recorded through `wg evaluate record`. */
  async function evaluate(agent: string, scores: number[]): Promise<void> {
    for (const [i, score] of scores.entries()) {
      const id = `${agent.slice(0, 6)}-task-${i}`;
      await p.ok(['add', `Task ${id}`, '--id', id]);
      await p.ok(['assign', id, agent]);
      await p.ok(['evaluate', 'record', '--task', id, '--score', String(score)]);
    }
  }
  const agentOf = async (id: string) => {
    const agent = (await p.json<IdentityView[]>(['agent', 'list'])).find((a) => a.id === id);
    if (!agent) throw new Error(`no agent ${id}`);
    return agent;
  };

  it('evaluation_records_update_assigner_agent_performance / multiple_evaluations_accumulate_on_assigner_agent', async () => {
    await evaluate(special.assigner_agent, [0.7, 0.85, 1.0]);
    const { performance } = await agentOf(special.assigner_agent);
    expect([performance.tasks, performance.evaluations]).toEqual([3, 3]);
    expect(performance.avg_score).toBeCloseTo((0.7 + 0.85 + 1.0) / 3, 2);
  });

  it('evaluation_records_update_evaluator_agent_performance', async () => {
    await evaluate(special.evaluator_agent, [0.8]);
    const { performance } = await agentOf(special.evaluator_agent);
    expect([performance.tasks, performance.evaluations, performance.avg_score]).toEqual([1, 1, 0.8]);
  });

  it("evaluation_propagates_to_assigner_role_and_components: the role's, the tradeoff's and each component's record", async () => {
    await evaluate(special.assigner_agent, [0.9]);
    const agent = await agentOf(special.assigner_agent);
    const role = (await p.json<RoleView[]>(['role', 'list'])).find((r) => r.id === agent.role_id);
    expect([role?.performance.tasks, role?.performance.avg_score]).toEqual([1, 0.9]);
    const exported = join(p.root, 'after-eval');
    await p.ok(['agency', 'export', exported]);
    const performanceOf = (sub: string, id: string) =>
      yamlOf<{ performance: { task_count: number; avg_score: number | null } }>(join(exported, sub, `${id}.yaml`)).performance;
    expect(performanceOf('primitives/tradeoffs', agent.tradeoff_id).task_count).toBe(1);
    for (const component of role?.component_ids ?? []) {
      const performance = performanceOf('primitives/components', component);
      expect(performance.task_count).toBe(1);
      expect(performance.avg_score).toBeCloseTo(0.9, 2);
    }
  });
});
