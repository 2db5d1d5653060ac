import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdentityView, RoleView, TradeoffView } from '../../src/shared/agency';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Upstream's end-to-end cases of its then-untested commands (graphwork/workgraph
 * tests/integration_untested_commands.rs), each named in its `it`: `wg agent create/list/show/rm` and
 * `wg func list/show`, run in-process against a project of this app's own. Upstream writes its role and
 * tradeoff as YAML into its agency folder; here they are made with `wg role add` and `wg tradeoff add`.
 *
 * Not ported:
 * - `wg agency migrate`, `merge`, `pull`, `push` (docs/upstream.md "Not here": the agency moves as upstream's
 *   YAML folder through `wg agency export` / `import`, with no remote store): test_agency_migrate_nothing_to_migrate,
 *   test_agency_migrate_dry_run, test_agency_migrate_full_cycle, test_agency_merge_two_stores,
 *   test_agency_merge_dry_run, test_agency_merge_requires_two_sources, test_agency_pull_from_path,
 *   test_agency_pull_dry_run, test_agency_push_to_path, test_agency_push_dry_run,
 *   test_agency_push_no_local_store_errors, test_agency_pull_push_roundtrip;
 * - `wg agent lineage` and `wg agent performance` (docs/upstream.md "Not here": scores are in `wg agency stats`
 *   and `wg evaluate show`): test_agent_lineage_and_performance;
 * - upstream's human agents (a non-AI executor needing no role, `--contact`; docs/upstream.md "Not here": every
 *   identity here is a role and a tradeoff): test_agent_create_human_without_role;
 * - `wg resources` (test_resources_no_resources, test_resources_basic_utilization, test_resources_over_budget_alert,
 *   test_resources_json_output, test_resources_json_empty): ported with its own cases in
 *   test/coordination/resources.test.ts.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-untested-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

describe('wg agent', () => {
  async function roleAndTradeoff(): Promise<{ roleId: string; tradeoffId: string }> {
    const role = await p.json<RoleView>(['role', 'add', 'Test Role', '-d', 'A test role for integration tests', '--outcome', 'Tested']);
    const tradeoff = await p.json<TradeoffView>([
      'tradeoff',
      'add',
      'Test Tradeoff',
      '-d',
      'A test tradeoff for integration tests',
      '--accept',
      'Slow',
      '--reject',
      'Broken',
    ]);
    return { roleId: role.id, tradeoffId: tradeoff.id };
  }

  it('test_agent_create_list_show_rm', async () => {
    const { roleId, tradeoffId } = await roleAndTradeoff();
    const created = await p.ok([
      'agent',
      'create',
      'Integration Test Agent',
      '--role',
      roleId.slice(0, 8),
      '--tradeoff',
      tradeoffId.slice(0, 8),
    ]);
    expect(created).toContain('Created agent');
    expect(created).toContain('Integration Test Agent');

    expect(await p.ok(['agent', 'list'])).toContain('Integration Test Agent');
    const agents = await p.json<IdentityView[]>(['agent', 'list']);
    const ours = agents.find((a) => a.name === 'Integration Test Agent');
    expect(ours).toBeDefined();
    const short = (ours as IdentityView).id.slice(0, 8);

    const shown = await p.ok(['agent', 'show', short]);
    expect(shown).toContain('Integration Test Agent');
    expect(shown).toContain('Role:');
    expect((await p.json<IdentityView>(['agent', 'show', short])).name).toBe('Integration Test Agent');

    expect(await p.ok(['agent', 'rm', short])).toContain('Removed agent');
    expect((await p.json<IdentityView[]>(['agent', 'list'])).some((a) => a.name === 'Integration Test Agent')).toBe(false);
  });

  it('test_agent_create_ai_requires_role', async () => {
    await p.ok(['agency', 'init']);
    const before = await p.json<IdentityView[]>(['agent', 'list']);
    const refused = await p.wg(['agent', 'create', 'Bad AI']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('--role is required');
    expect(await p.json<IdentityView[]>(['agent', 'list'])).toEqual(before);
  });

  it('test_agent_rm_not_found', async () => {
    await p.ok(['agency', 'init']);
    const refused = await p.wg(['agent', 'rm', 'nonexistent']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/not found|no agent 'nonexistent'|No agent matching/i);
  });
});

describe('wg func', () => {
  /** Upstream's setup_function: one function, test-feature, of two tasks. */
  const FUNCTION_YAML = `kind: trace-function
version: 1
id: test-feature
name: Test Feature Implementation
description: Plan, implement, and test a feature
extracted_from:
  - task_id: sample-task
    timestamp: "2026-02-20T12:00:00Z"
tags:
  - implementation
inputs:
  - name: feature_name
    type: string
    description: Name of the feature
    required: true
  - name: test_command
    type: string
    description: Command to verify
    required: false
    default: cargo test
tasks:
  - template_id: plan
    title: "Plan {{input.feature_name}}"
    description: Plan the implementation
    skills:
      - analysis
    after: []
    loops_to: []
    deliverables: []
    tags: []
  - template_id: implement
    title: "Implement {{input.feature_name}}"
    description: Build the feature
    skills:
      - implementation
    after:
      - plan
    loops_to: []
    deliverables: []
    tags: []
outputs:
  - name: modified_files
    description: Files changed
    from_task: implement
    field: artifacts
visibility: internal
redacted_fields: []
`;
  const functionsDir = () => join(p.root, '.workgraph', 'functions');
  function setupFunction(): void {
    mkdirSync(functionsDir(), { recursive: true });
    writeFileSync(join(functionsDir(), 'test-feature.yaml'), FUNCTION_YAML);
  }

  it('test_func_list_empty', async () => {
    mkdirSync(functionsDir(), { recursive: true });
    expect(await p.ok(['func', 'list'])).toContain('No functions found');
  });

  it('test_func_list_with_function / test_func_list_json / test_func_list_verbose', async () => {
    setupFunction();
    const text = await p.ok(['func', 'list']);
    expect(text).toContain('test-feature');
    expect(text).toContain('Test Feature Implementation');
    expect(text).toContain('2 tasks');
    const list = await p.json<Array<{ id: string }>>(['func', 'list']);
    expect(list).toHaveLength(1);
    expect(list[0]?.id).toBe('test-feature');
    const verbose = await p.ok(['func', 'list', '--verbose']);
    expect(verbose).toContain('Inputs:');
    expect(verbose).toContain('Tasks:');
  });

  it('test_func_show / test_func_show_by_prefix / test_func_show_json', async () => {
    setupFunction();
    const text = await p.ok(['func', 'show', 'test-feature']);
    expect(text).toContain('Function: test-feature');
    expect(text).toContain('Name: Test Feature Implementation');
    expect(text).toContain('feature_name');
    expect(await p.ok(['func', 'show', 'test'])).toContain('Function: test-feature');
    const json = await p.json<{ id: string; tasks: unknown[] }>(['func', 'show', 'test-feature']);
    expect(json.id).toBe('test-feature');
    expect(json.tasks).toHaveLength(2);
  });

  it('test_func_show_not_found', async () => {
    mkdirSync(functionsDir(), { recursive: true });
    const refused = await p.wg(['func', 'show', 'nonexistent']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("No function matching 'nonexistent'");
    expect(refused.stdout).toBe('');
  });
});
