import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionYaml } from '../../src/core/functions/function-format';
import { FuncProject, sampleFunction, template } from './func-support';

/* Upstream's `wg func list` and `wg func show` (src/commands/func_cmd.rs), its cases ported by name. */

let p: FuncProject;
beforeEach(async () => {
  p = await FuncProject.create();
});
afterEach(() => p.dispose());

/** A peer project with these functions, named `name` in the project's federation.yaml. */
function peer(name: string, functions: Awaited<ReturnType<typeof sampleFunction>>[], path = join(p.temp.dir, `${name}-project`)): void {
  for (const f of functions) p.save(f, join(path, '.wg', 'functions'));
  writeFileSync(join(p.wgDir, 'federation.yaml'), `peers:\n  ${name}:\n    path: ${path}\n`);
}

describe('wg func list', () => {
  // upstream: src/commands/func_cmd.rs list_empty_dir
  it('list_empty_dir', async () => {
    mkdirSync(p.funcDir, { recursive: true });
    expect(await p.text('func:list', {})).toBe(
      'No functions found.\n  Extract one with: wg func extract <task-id>\n  Use --include-peers to search federated WG projects.',
    );
  });

  // upstream: src/commands/func_cmd.rs list_empty_json
  it('list_empty_json', async () => {
    expect(await p.json('func:list', {})).toEqual([]);
  });

  // upstream: src/commands/func_cmd.rs list_with_functions
  it('list_with_functions', async () => {
    p.save(sampleFunction());
    expect(await p.text('func:list', {})).toBe('Functions:\n  impl-feature  "Implement Feature"  4 tasks, 2 inputs');
  });

  // upstream: src/commands/func_cmd.rs list_with_functions_verbose
  it('list_with_functions_verbose', async () => {
    p.save(sampleFunction());
    const text = await p.text('func:list', { verbose: true });
    expect(text).toContain('    Inputs:\n      feature_name (string, required): Short name for the feature');
    expect(text).toContain('      implement: Implement {{input.feature_name}} (blocked by: plan)');
    expect(text).toContain('      refine: Refine {{input.feature_name}} (blocked by: validate) (loops to: validate)');
  });

  // upstream: src/commands/func_cmd.rs list_with_functions_json
  it('list_with_functions_json', async () => {
    p.save(sampleFunction());
    const list = (await p.json('func:list', {})) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'trace-function', id: 'impl-feature', visibility: 'internal', source: 'local' });
  });

  // upstream: src/commands/func_cmd.rs list_multiple_functions
  it('list_multiple_functions', async () => {
    p.save(sampleFunction({ id: 'alpha-func', name: 'Alpha Function' }));
    p.save(sampleFunction({ id: 'beta-func', name: 'Beta Function', inputs: [], tasks: [] }));
    expect(await p.text('func:list', {})).toBe(
      ['Functions:', '  alpha-func  "Alpha Function"  4 tasks, 2 inputs', '  beta-func   "Beta Function"   0 tasks, 0 inputs'].join('\n'),
    );
    expect(((await p.json('func:list', {})) as unknown[]).length).toBe(2);
    expect(await p.text('func:list', { verbose: true })).toContain('beta-func');
  });

  // upstream: src/commands/func_cmd.rs list_visibility_filter_internal
  it('list_visibility_filter_internal', async () => {
    p.save(sampleFunction({ id: 'internal-func' }));
    p.save(sampleFunction({ id: 'peer-func', visibility: 'peer' }));
    const ids = ((await p.json('func:list', { visibility: 'internal' })) as Array<{ id: string }>).map((f) => f.id);
    expect(ids).toEqual(['internal-func']);
  });

  // upstream: src/commands/func_cmd.rs list_visibility_filter_peer
  it('list_visibility_filter_peer', async () => {
    p.save(sampleFunction({ id: 'internal-func' }));
    p.save(sampleFunction({ id: 'peer-func', visibility: 'peer' }));
    expect(await p.text('func:list', { visibility: 'peer' })).toContain('peer-func  "Implement Feature"  4 tasks, 2 inputs [peer]');
    const ids = ((await p.json('func:list', { visibility: 'peer' })) as Array<{ id: string }>).map((f) => f.id);
    expect(ids).toEqual(['peer-func']);
  });

  // upstream: src/commands/func_cmd.rs list_visibility_filter_invalid
  it('list_visibility_filter_invalid', async () => {
    await expect(p.run('func:list', { visibility: 'unknown' })).rejects.toThrow(
      "Invalid visibility 'unknown'. Use: internal, peer, public",
    );
  });

  // upstream: src/commands/func_cmd.rs list_peers_filters_internal_functions
  it('list_peers_filters_internal_functions', async () => {
    peer('other', [sampleFunction({ id: 'internal-secret' }), sampleFunction({ id: 'shared-func', visibility: 'peer' })]);
    const listed = (await p.json('func:list', { includePeers: true })) as Array<{ id: string; source: string }>;
    expect(listed.map((f) => [f.id, f.source])).toEqual([['shared-func', 'peer:other']]);
  });

  // upstream: src/commands/func_cmd.rs list_include_peers_with_peer_functions
  it('list_include_peers_with_peer_functions', async () => {
    peer('other', [sampleFunction({ visibility: 'peer' })]);
    expect(await p.text('func:list', { includePeers: true })).toBe(
      'Peer functions (other):\n  other:impl-feature  "Implement Feature"  4 tasks, 2 inputs [peer]',
    );
    expect(((await p.json('func:list', { includePeers: true })) as unknown[]).length).toBe(1);
  });

  // upstream: src/commands/func_cmd.rs list_include_peers_no_peers_configured
  it('list_include_peers_no_peers_configured', async () => {
    expect(await p.text('func:list', { includePeers: true })).toBe('No functions found.\n  Extract one with: wg func extract <task-id>');
  });

  // upstream: src/commands/func_cmd.rs list_include_peers_with_inaccessible_peer
  it('list_include_peers_with_inaccessible_peer', async () => {
    p.save(sampleFunction());
    writeFileSync(join(p.wgDir, 'federation.yaml'), 'peers:\n  missing:\n    path: /nonexistent/path\n');
    expect(await p.text('func:list', { includePeers: true })).toBe(
      ['Local functions:', '  impl-feature  "Implement Feature"  4 tasks, 2 inputs', '', 'No functions found in peer WG projects.'].join(
        '\n',
      ),
    );
    expect(((await p.json('func:list', { includePeers: true })) as unknown[]).length).toBe(1);
  });

  // upstream: src/commands/func_cmd.rs list_include_peers_json_includes_source
  it('list_include_peers_json_includes_source', async () => {
    p.save(sampleFunction());
    peer('testpeer', [sampleFunction({ id: 'peer-func', visibility: 'peer' })]);
    const listed = (await p.json('func:list', { includePeers: true })) as Array<{ id: string; source: string }>;
    expect(listed.map((f) => [f.id, f.source])).toEqual([
      ['impl-feature', 'local'],
      ['peer-func', 'peer:testpeer'],
    ]);
  });
});

describe('wg func show', () => {
  // upstream: src/commands/func_cmd.rs show_by_exact_id
  it('show_by_exact_id', async () => {
    p.save(sampleFunction());
    const text = await p.text('func:show', { id: 'impl-feature' });
    expect(text.split('\n').slice(0, 5)).toEqual([
      'Function: impl-feature',
      'Name: Implement Feature',
      'Description: Plan, implement, test a new feature',
      'Version: 1',
      'Visibility: internal',
    ]);
    expect(text).toContain('Extracted from:\n  - impl-global-config (run-003) at 2026-02-18T14:30:00Z');
    expect(text).toContain(
      'Inputs (2):\n  - feature_name (string, required)\n    Short name for the feature\n    Example: "global-config"',
    );
    expect(text).toContain(
      '  - refine : Refine {{input.feature_name}}\n    Address issues found during validation\n    After: validate\n    Loops to: validate (max 3)',
    );
  });

  // upstream: src/commands/func_cmd.rs show_by_prefix
  it('show_by_prefix', async () => {
    p.save(sampleFunction());
    expect(await p.text('func:show', { id: 'impl' })).toContain('Function: impl-feature');
  });

  // upstream: src/commands/func_cmd.rs show_json
  it('show_json', async () => {
    p.save(sampleFunction());
    const shown = (await p.json('func:show', { id: 'impl-feature' })) as Record<string, unknown>;
    expect(Object.keys(shown)).toEqual([
      'kind',
      'version',
      'id',
      'name',
      'description',
      'extracted_from',
      'extracted_by',
      'extracted_at',
      'tags',
      'inputs',
      'tasks',
      'visibility',
    ]);
  });

  // upstream: src/commands/func_cmd.rs show_not_found
  it('show_not_found', async () => {
    p.save(sampleFunction());
    await expect(p.run('func:show', { id: 'nonexistent' })).rejects.toThrow("No function matching 'nonexistent'");
  });

  // upstream: src/commands/func_cmd.rs show_ambiguous
  it('show_ambiguous', async () => {
    p.save(sampleFunction({ id: 'impl-feature' }));
    p.save(sampleFunction({ id: 'impl-bug' }));
    await expect(p.run('func:show', { id: 'impl' })).rejects.toThrow("Prefix 'impl' matches 2 functions: impl-bug, impl-feature");
  });

  // upstream: src/commands/func_cmd.rs show_displays_visibility
  it('show_displays_visibility', async () => {
    p.save(sampleFunction({ visibility: 'peer' }));
    expect(await p.text('func:show', { id: 'impl-feature' })).toContain('Visibility: peer');
  });

  // upstream: src/commands/func_cmd.rs show_displays_planning_config
  it('show_displays_planning_config', async () => {
    p.save(
      sampleFunction({
        planning: {
          planner_template: template('planner', {
            title: 'Plan',
            description: 'Plan the work',
            skills: ['analysis'],
            role_hint: 'architect',
          }),
          output_format: 'workgraph-yaml',
          static_fallback: true,
          validate_plan: true,
        },
      }),
    );
    expect(await p.text('func:show', { id: 'impl-feature' })).toContain(
      'Planning:\n  Planner: planner ("Plan")\n  Output format: workgraph-yaml\n  Static fallback: yes',
    );
  });

  // upstream: src/commands/func_cmd.rs show_displays_constraints
  it('show_displays_constraints', async () => {
    p.save(
      sampleFunction({
        constraints: {
          min_tasks: 2,
          max_tasks: 20,
          required_skills: ['implementation', 'testing'],
          max_depth: 4,
          allow_cycles: false,
          required_phases: ['implement', 'test'],
          forbidden_patterns: [{ tags: ['untested', 'production'], reason: 'Cannot deploy untested code' }],
        },
      }),
    );
    expect(await p.text('func:show', { id: 'impl-feature' })).toContain(
      [
        'Constraints:',
        '  Tasks: [2, 20]',
        '  Max depth: 4',
        '  Required skills: implementation, testing',
        '  Required phases: implement, test',
        '  Forbidden patterns: 1',
        '    - [untested, production]: Cannot deploy untested code',
      ].join('\n'),
    );
  });

  // upstream: src/commands/func_cmd.rs show_displays_memory_config
  it('show_displays_memory_config', async () => {
    p.save(
      sampleFunction({
        memory: {
          max_runs: 10,
          include: { outcomes: true, scores: true, interventions: true, duration: true, retries: false, artifacts: false },
        },
      }),
    );
    expect(await p.text('func:show', { id: 'impl-feature' })).toContain(
      'Memory:\n  Max runs: 10\n  Includes: outcomes, scores, interventions, duration',
    );
  });

  // upstream: src/commands/func_cmd.rs show_displays_run_history
  it('show_displays_run_history', async () => {
    p.save(sampleFunction());
    const run = {
      applied_at: '2026-02-20T12:00:00Z',
      prefix: 'impl-feature/',
      wall_clock_secs: 120,
      all_succeeded: true,
      avg_score: 0.9,
    };
    writeFileSync(join(p.funcDir, 'impl-feature.runs.jsonl'), `${JSON.stringify(run)}\n`);
    expect(await p.text('func:show', { id: 'impl-feature' })).toContain(
      'Runs: 1 recorded\n  Last run: 2026-02-20T12:00:00Z\n  Last score: 0.90  (all succeeded)',
    );
  });

  // upstream: src/commands/func_cmd.rs show_displays_redacted_fields
  it('show_displays_redacted_fields', async () => {
    p.save(sampleFunction({ redacted_fields: ['extracted_by'] }));
    expect(await p.text('func:show', { id: 'impl-feature' })).toContain('Redacted fields: extracted_by');
  });

  it('reads a function file written by upstream (serde_yaml layout, its field aliases and defaults)', async () => {
    mkdirSync(p.funcDir, { recursive: true });
    writeFileSync(
      join(p.funcDir, 'review.yaml'),
      [
        'kind: trace-function',
        'version: 1',
        'id: review',
        'name: Review',
        'description: Review a change',
        'tasks:',
        '- template_id: read',
        '  title: Read it',
        '  description: Read the diff',
        '- template_id: report',
        '  title: Report',
        '  description: Write the review',
        '  blocked_by:',
        '  - read',
        'visibility: internal',
        '',
      ].join('\n'),
    );
    const shown = await p.run('func:show', { id: 'review' });
    expect(shown.function.tasks[1]).toMatchObject({ template_id: 'report', after: ['read'], skills: [] });
    expect(functionYaml(shown.function)).toContain(
      '- template_id: report\n  title: Report\n  description: Write the review\n  after:\n  - read\n',
    );
  });
});
