import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgencyInitResult, AgencyStats, AgencyTransfer, IdentityView, RoleView, TradeoffView } from '../../src/shared/agency';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg agency` against upstream's own cases (graphwork/workgraph src/commands/agency_init.rs `mod tests`), each named
 * in its `it`; agency_stats.rs's cases are in test/agency/stats-breakdowns.test.ts (their wiring through
 * `wg agency stats` is here). The agency lives in the store: upstream's folder of YAML files is what `wg agency
 * export` writes, so upstream's file counts are read from that. Upstream's init also makes an evolver and a creator
 * (roles, five tradeoffs, agents): those agents are not here (docs/upstream.md), so 4 + 2 roles, 4 + 2 tradeoffs and
 * 1 + 2 agents where upstream has 4 + 4, 4 + 7 and 1 + 4.
 *
 * not ported:
 * - upstream's Agency CSV catalogue, imported at init and pulled from `upstream_url` (docs/upstream.md, "Not here":
 *   the agency moves as upstream's YAML folder; the catalogue's v1.2.4 fields, quality, domain and origin instance,
 *   are only carried through an imported folder): agency_init.rs test_agency_init_auto_imports_csv,
 *   test_agency_init_skips_reimport_when_manifest_exists, test_agency_init_imports_embedded_csv_without_on_disk_file,
 *   test_import_manifest_has_correct_content_hash, test_agency_init_seeds_v1_2_4_compatible_primitives,
 *   test_upstream_pull_no_url_is_noop (a Rust helper; test_upstream_pull_bad_url_does_not_fail's `wg agency init` half
 *   is ported);
 * - agency_import.rs, upstream's CSV importer and its `--url`/`--upstream` pull (docs/upstream.md, "Not here":
 *   `wg agency import` here reads upstream's YAML folder): test_agency_import_parses_csv,
 *   test_agency_import_dry_run_no_files, test_agency_import_idempotent, test_agency_import_content_hash_stability,
 *   test_agency_import_9col_format, test_agency_import_9col_metadata_preserved,
 *   test_agency_import_9col_quality_maps_to_score, test_agency_import_9col_domain_maps_to_tags,
 *   test_agency_import_9col_tradeoff_uses_description, test_agency_import_9col_parent_content_hash_in_lineage,
 *   test_detect_format_agency, test_detect_format_legacy, test_import_writes_manifest, test_import_dry_run_no_manifest,
 *   test_reimport_updates_manifest, test_agency_pull_run_from_bytes, test_agency_pull_read_manifest_missing,
 *   test_agency_pull_read_manifest_exists, test_agency_pull_change_detection_same_hash,
 *   test_agency_pull_change_detection_different_hash, test_agency_pull_import_from_local_via_run_import,
 *   test_agency_pull_error_multiple_sources, test_agency_pull_error_no_source, test_agency_pull_upstream_no_config,
 *   test_agency_pull_url_network_error_graceful, test_agency_pull_run_from_bytes_dry_run,
 *   test_agency_pull_run_from_bytes_with_tag, test_agency_pull_additive_merge,
 *   test_agency_import_per_scope_variant_collision, test_agency_import_same_description_name_collision_with_existing;
 * - `wg agency pull`, `push`, `merge` and `migrate`, and push's CSV export (docs/upstream.md, "Not here": the agency
 *   moves as upstream's YAML folder, `wg agency export --format` is not here):
 *   agency_pull.rs pull_new_entities_into_empty_store, pull_with_metadata_merge, pull_agent_auto_pulls_dependencies,
 *   no_performance_strips_scores, pull_via_run_function, pull_with_named_remote, pull_entity_filter_by_type,
 *   pull_entity_filter_by_id, dry_run_does_not_write;
 *   agency_push.rs agency_csv_roundtrip_byte_equal_synthetic,
 *   agency_csv_export_does_not_synthesise_parent_ids_from_parent_content_hash, push_via_run_function,
 *   push_with_named_remote, push_invalid_type_errors, push_no_local_store_errors, push_dry_run_does_not_write,
 *   push_type_filter_roles_only, push_agent_auto_pushes_dependencies;
 *   agency_merge.rs merge_two_stores_with_overlapping_and_unique_entities, merge_into_target_path, merge_idempotent,
 *   merge_performance_records_unioned, merge_dry_run_does_not_write, merge_requires_at_least_two_sources,
 *   merge_with_agents_pulls_dependencies;
 *   agency_migrate.rs test_migrate_full_cycle, test_migrate_role_without_skills, test_migrate_dry_run,
 *   test_migrate_nothing_to_migrate, test_deterministic_hashes;
 * - `wg agency create`, upstream's creator agent, which asks a model for new primitives (docs/upstream.md: the
 *   creator agent is not here): agency_create.rs test_parse_creator_output_valid,
 *   test_parse_creator_output_with_fences, test_parse_creator_output_empty, test_parse_creator_output_no_json,
 *   test_parse_category, test_build_creator_prompt_includes_existing;
 * - `wg agency scan` and `wg agency remote`, upstream's search of the disk for agency folders and its named remote
 *   stores for pull and push (not built: there is no pull or push to name a store for): agency_scan.rs
 *   scan_finds_project_store, scan_finds_bare_store, scan_finds_multiple_stores, scan_skips_git_and_node_modules,
 *   scan_respects_max_depth, scan_empty_directory, scan_empty_store_counts; agency_remote.rs add_and_list_remote,
 *   add_duplicate_remote_fails, remove_remote, remove_nonexistent_remote_fails, show_remote_with_valid_store,
 *   show_nonexistent_remote_fails, add_remote_with_inaccessible_path_warns_but_succeeds, list_empty_remotes,
 *   resolve_store_with_remotes_uses_named_remote, resolve_store_with_remotes_falls_back_to_path.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-agency-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const configPath = () => join(p.root, '.workgraph', 'config.toml');

/** The project's `[agency]` settings as `wg config --show` reports them. */
async function agencySettings(): Promise<Record<string, unknown>> {
  const rows = await p.json<Array<{ key: string; value: unknown }>>(['config', '--show']);
  return Object.fromEntries(rows.filter((r) => r.key.startsWith('agency.')).map((r) => [r.key.slice('agency.'.length), r.value]));
}

describe('wg agency init (upstream agency_init.rs)', () => {
  it('test_agency_init_creates_agent_and_config: starters, special agents and config', async () => {
    const result = await p.json<AgencyInitResult>(['agency', 'init']);
    expect(result.agents_created).toEqual(['Careful Programmer', 'Default Assigner', 'Default Evaluator']);

    const folder = join(p.root, 'exported');
    const exported = await p.json<AgencyTransfer>(['agency', 'export', folder]);
    expect(exported.counts.roles).toBe(6);
    expect(exported.counts.tradeoffs).toBe(6);
    expect(exported.counts.components).toBeGreaterThanOrEqual(8);
    expect(exported.counts.outcomes).toBeGreaterThanOrEqual(4);
    expect(exported.counts.agents).toBe(3);
    const roles = await p.json<RoleView[]>(['role', 'list']);
    expect(roles.filter((r) => r.special).map((r) => r.name)).toEqual(['Assigner', 'Evaluator']);
    const tradeoffs = await p.json<TradeoffView[]>(['tradeoff', 'list']);
    expect(tradeoffs.filter((t) => t.special)).toHaveLength(2);

    const settings = await agencySettings();
    expect(settings.auto_assign).toBe(true);
    expect(settings.auto_evaluate).toBe(true);
    const special = [settings.assigner_agent, settings.evaluator_agent];
    const agents = await p.json<IdentityView[]>(['agent', 'list']);
    for (const id of special) {
      expect(typeof id).toBe('string');
      expect(agents.find((a) => a.id === id)?.special).toBe(true);
      expect(existsSync(join(folder, 'cache', 'agents', `${String(id)}.yaml`))).toBe(true);
    }
  });

  it('test_agency_init_idempotent: a second and third run add no agent and keep the special agents', async () => {
    await p.ok(['agency', 'init']);
    await p.ok(['agency', 'init']);
    expect(await p.json<IdentityView[]>(['agent', 'list'])).toHaveLength(3);
    const first = await agencySettings();
    const again = await p.json<AgencyInitResult>(['agency', 'init']);
    expect([again.roles_created, again.tradeoffs_created, again.agents_created, again.config_changed]).toEqual([0, 0, [], false]);
    const second = await agencySettings();
    expect(second.assigner_agent).toBe(first.assigner_agent);
    expect(second.evaluator_agent).toBe(first.evaluator_agent);
  });

  it('test_init_config_does_not_shadow_global_endpoints: no empty lists are written to config.toml', async () => {
    await p.ok(['agency', 'init']);
    const config = readFileSync(configPath(), 'utf8');
    expect(config).not.toContain('endpoints = []');
    expect(config).not.toContain('model_registry = []');
    expect(config).not.toContain('default_skills = []');
  });

  it('test_upstream_pull_bad_url_does_not_fail: an unreachable [agency] upstream_url does not stop init', async () => {
    writeFileSync(configPath(), '[agency]\nupstream_url = "http://127.0.0.1:1/nonexistent.csv"\n');
    await p.ok(['agency', 'init']);
    expect((await p.json<IdentityView[]>(['agent', 'list'])).map((a) => a.name)).toEqual([
      'Careful Programmer',
      'Default Assigner',
      'Default Evaluator',
    ]);
  });
});

describe('wg agency stats (upstream agency_stats.rs, through the command)', () => {
  it('test_build_synergy_matrix / test_build_tag_breakdown: the pair and tag sections of --json and the text', async () => {
    await p.ok(['agency', 'init']);
    const programmer = (await p.json<IdentityView[]>(['agent', 'list'])).find((a) => a.name === 'Careful Programmer');
    if (!programmer) throw new Error('no Careful Programmer');
    for (const [id, score] of [
      ['t1', '0.8'],
      ['t2', '0.6'],
    ] as const) {
      await p.ok(['add', `Task ${id}`, '--id', id, '--tag', 'cli']);
      await p.ok(['assign', id, programmer.id]);
      await p.ok(['evaluate', 'record', '--task', id, '--score', score]);
    }

    const stats = await p.json<AgencyStats>(['agency', 'stats']);
    expect(stats.synergy_matrix).toHaveLength(1);
    const [cell] = stats.synergy_matrix ?? [];
    expect([cell?.role_id, cell?.tradeoff_id, cell?.count, cell?.rating]).toEqual([
      programmer.role_id,
      programmer.tradeoff_id,
      2,
      'medium',
    ]);
    expect(cell?.avg_score).toBeCloseTo(0.7, 12);
    expect(stats.tag_breakdown?.by_role.map((c) => [c.role_id, c.tag, c.count])).toEqual([[programmer.role_id, 'cli', 2]]);
    expect(stats.tag_breakdown?.by_tradeoff.map((c) => [c.tradeoff_id, c.tag, c.count])).toEqual([[programmer.tradeoff_id, 'cli', 2]]);

    const text = await p.ok(['agency', 'stats']);
    expect(text).toContain('Synergy matrix (role x tradeoff):');
    expect(text).toMatch(new RegExp(`${programmer.role_id.slice(0, 8)}\\s+${programmer.tradeoff_id.slice(0, 8)}\\s+0\\.70\\s+2`));
    expect(text).toContain('Score by role x tag:');
    expect(text).toContain('Score by tradeoff x tag:');
  });
});

// upstream: src/commands/tradeoff.rs test_show_json, and the `--json` of its role, tradeoff and agent commands (role's
// run_list RoleSummary and run_show, tradeoff's run_list and run_show, agent_crud's run_list and run_show): upstream's
// fields beside this app's.
describe("wg role, tradeoff and agent --json carry upstream's fields", () => {
  it('test_show_json: tradeoff show and list, role show and list, agent show and list', async () => {
    const tradeoff = await p.json<TradeoffView>([
      'tradeoff',
      'add',
      'Test Mot',
      '--description',
      'desc',
      '--accept',
      'Slower',
      '--reject',
      'Untested',
      '--reject',
      'Unsafe',
    ]);
    const role = await p.json<RoleView>(['role', 'add', 'Builder', '--outcome', 'Working code', '--description', 'Builds']);
    const agent = await p.json<IdentityView>(['agent', 'create', 'Bob', '--role', role.id, '--tradeoff', tradeoff.id, '--model', 'opus']);

    const shown = await p.json<Record<string, unknown>>(['tradeoff', 'show', tradeoff.id]);
    expect(shown).toMatchObject({
      id: tradeoff.id,
      name: 'Test Mot',
      description: 'desc',
      acceptable_tradeoffs: ['Slower'],
      unacceptable_tradeoffs: ['Untested', 'Unsafe'],
      performance: { task_count: 0, avg_score: null },
    });
    const listed = (await p.json<Array<Record<string, unknown>>>(['tradeoff', 'list'])).find((t) => t.id === tradeoff.id);
    expect(listed).toMatchObject({ name: 'Test Mot', acceptable_tradeoffs: 1, unacceptable_tradeoffs: 2, avg_score: null, task_count: 0 });

    expect(await p.json(['role', 'show', role.id])).toMatchObject({
      id: role.id,
      outcome_id: role.outcome_id,
      performance: { task_count: 0, avg_score: null },
    });
    const roleRow = (await p.json<Array<Record<string, unknown>>>(['role', 'list'])).find((r) => r.id === role.id);
    expect(roleRow).toMatchObject({ name: 'Builder', skill_count: 0, avg_score: null });

    expect(await p.json(['agent', 'show', agent.id])).toMatchObject({
      id: agent.id,
      role_name: 'Builder',
      tradeoff_name: 'Test Mot',
      preferred_model: 'opus',
      preferred_provider: null,
      performance: { task_count: 0, avg_score: null },
    });
    const agentRow = (await p.json<Array<Record<string, unknown>>>(['agent', 'list'])).find((a) => a.id === agent.id);
    expect(agentRow).toMatchObject({ role_id: role.id, tradeoff_id: tradeoff.id, preferred_model: 'opus', avg_score: null, task_count: 0 });

    // task_count is the evaluations recorded, as upstream's record_evaluation counts them.
    await p.ok(['add', 'Judged', '--id', 'judged']);
    await p.ok(['assign', 'judged', agent.id]);
    await p.ok(['done', 'judged']);
    await p.ok(['evaluate', 'record', '--task', 'judged', '--score', '0.8']);
    expect(await p.json(['agent', 'show', agent.id])).toMatchObject({ performance: { task_count: 1, avg_score: 0.8 } });
    expect((await p.json<Array<Record<string, unknown>>>(['tradeoff', 'list'])).find((t) => t.id === tradeoff.id)).toMatchObject({
      task_count: 1,
      avg_score: 0.8,
    });
  });
});
