import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { yamlBlock } from '../../src/core/functions/apply';
import { parseInputFile, parseInputPair } from '../../src/core/functions/function-inputs';
import { functionYaml } from '../../src/core/functions/function-format';
import { operationsPath } from '../../src/core/provenance/operations-log';
import type { FunctionInput } from '../../src/shared/functions';
import { FuncProject, sampleFunction, template } from './func-support';

/* Upstream's `wg func apply` (src/commands/func_apply.rs), its cases ported by name. */

let p: FuncProject;
beforeEach(async () => {
  p = await FuncProject.create();
});
afterEach(() => p.dispose());

const auth = { functionId: 'impl-feature', inputs: ['feature_name=auth'] };
const input = (name: string, type: FunctionInput['type']): FunctionInput[] => [{ name, type, description: '', required: true }];

describe('wg func apply', () => {
  // upstream: src/commands/func_apply.rs instantiate_creates_tasks
  it('instantiate_creates_tasks', async () => {
    p.save(sampleFunction());
    await p.run('func:apply', auth);
    for (const id of ['auth-plan', 'auth-implement', 'auth-validate', 'auth-refine']) expect(await p.has(id)).toBe(true);
  });

  // upstream: src/commands/func_apply.rs instantiate_remaps_after
  it('instantiate_remaps_after', async () => {
    p.save(sampleFunction());
    await p.run('func:apply', auth);
    expect((await p.task('auth-implement')).after).toEqual(['auth-plan']);
    expect((await p.task('auth-validate')).after).toEqual(['auth-implement']);
  });

  // upstream: src/commands/func_apply.rs instantiate_applies_prefix_override
  it('instantiate_applies_prefix_override', async () => {
    p.save(sampleFunction());
    await p.run('func:apply', { ...auth, prefix: 'my-prefix' });
    expect(await p.has('my-prefix-plan')).toBe(true);
    expect(await p.has('my-prefix-implement')).toBe(true);
  });

  // upstream: src/commands/func_apply.rs instantiate_applies_model
  it('instantiate_applies_model', async () => {
    p.save(sampleFunction());
    await p.run('func:apply', { ...auth, model: 'sonnet' });
    for (const id of ['auth-plan', 'auth-implement', 'auth-validate', 'auth-refine']) expect((await p.task(id)).model).toBe('sonnet');
  });

  // upstream: src/commands/func_apply.rs instantiate_applies_external_after
  it('instantiate_applies_external_after', async () => {
    p.save(sampleFunction());
    await p.tasks([{ id: 'prerequisite', status: 'open' }]);
    await p.run('func:apply', { ...auth, after: ['prerequisite'] });
    expect((await p.task('auth-plan')).after).toContain('prerequisite');
    expect((await p.task('auth-implement')).after).not.toContain('prerequisite');
    expect((await p.task('auth-implement')).after).toContain('auth-plan');
  });

  // upstream: src/commands/func_apply.rs instantiate_adds_skill_and_role_tags
  it('instantiate_adds_skill_and_role_tags', async () => {
    p.save(sampleFunction());
    await p.run('func:apply', auth);
    expect((await p.task('auth-plan')).tags).toEqual(expect.arrayContaining(['skill:analysis', 'role:analyst']));
    expect((await p.task('auth-implement')).tags).toEqual(expect.arrayContaining(['skill:implementation', 'role:programmer']));
  });

  // upstream: src/commands/func_apply.rs instantiate_substitutes_template_values
  it('instantiate_substitutes_template_values', async () => {
    p.save(sampleFunction());
    await p.run('func:apply', { functionId: 'impl-feature', inputs: ['feature_name=auth', 'test_command=cargo test auth'] });
    expect((await p.task('auth-plan')).title).toBe('Plan auth');
    expect((await p.task('auth-plan')).description).toContain('Plan the implementation of auth');
    expect((await p.task('auth-implement')).description).toContain('cargo test auth');
  });

  // upstream: src/commands/func_apply.rs instantiate_dry_run_does_not_create_tasks
  it('instantiate_dry_run_does_not_create_tasks', async () => {
    p.save(sampleFunction());
    const rev = await p.temp.store.core.currentRev();
    const result = await p.run('func:apply', { ...auth, dryRun: true });
    expect(result).toMatchObject({ dry_run: true, function_id: 'impl-feature', prefix: 'auth', task_count: 4 });
    expect(await p.has('auth-plan')).toBe(false);
    expect(await p.has('auth-implement')).toBe(false);
    expect(await p.temp.store.core.currentRev()).toBe(rev);
    expect(existsSync(join(p.funcDir, 'impl-feature.runs.jsonl'))).toBe(false);
  });

  // upstream: src/commands/func_apply.rs instantiate_missing_required_input
  it('instantiate_missing_required_input', async () => {
    p.save(sampleFunction());
    await expect(p.run('func:apply', { functionId: 'impl-feature' })).rejects.toThrow("Missing required input 'feature_name'");
  });

  // upstream: src/commands/func_apply.rs instantiate_function_not_found
  it('instantiate_function_not_found', async () => {
    await expect(p.run('func:apply', { functionId: 'nonexistent', inputs: ['feature_name=auth'] })).rejects.toThrow('nonexistent');
  });

  // upstream: src/commands/func_apply.rs instantiate_duplicate_prefix_fails
  it('instantiate_duplicate_prefix_fails', async () => {
    p.save(sampleFunction());
    await p.run('func:apply', auth);
    const count = (await p.temp.store.list()).length;
    await expect(p.run('func:apply', auth)).rejects.toThrow("Task 'auth-plan' already exists. Use a different --prefix.");
    expect(await p.temp.store.list()).toHaveLength(count);
  });

  // upstream: src/commands/func_apply.rs instantiate_with_input_file
  it('instantiate_with_input_file', async () => {
    p.save(sampleFunction());
    const file = join(p.temp.dir, 'inputs.yaml');
    writeFileSync(file, 'feature_name: auth\ntest_command: cargo test auth\n');
    await p.run('func:apply', { functionId: 'impl-feature', inputFile: file });
    expect(await p.has('auth-plan')).toBe(true);
  });

  // upstream: src/commands/func_apply.rs instantiate_with_file_content_input
  it('instantiate_with_file_content_input', async () => {
    const func = sampleFunction();
    func.inputs.push({ name: 'spec', type: 'file_content', description: 'Spec file', required: false });
    (func.tasks[0] as { description: string }).description = 'Plan {{input.feature_name}} using spec:\n{{input.spec}}';
    p.save(func);
    const spec = join(p.temp.dir, 'spec.txt');
    writeFileSync(spec, 'This is the API spec content');
    await p.run('func:apply', { functionId: 'impl-feature', inputs: ['feature_name=auth', `spec=${spec}`] });
    expect((await p.task('auth-plan')).description).toContain('This is the API spec content');
  });

  // upstream: src/commands/func_apply.rs instantiate_maintains_blocks_symmetry
  it('instantiate_maintains_blocks_symmetry', async () => {
    p.save(sampleFunction());
    await p.run('func:apply', auth);
    expect((await p.task('auth-plan')).extra.before).toContain('auth-implement');
    expect((await p.task('auth-implement')).extra.before).toContain('auth-validate');
  });

  // upstream: src/commands/func_apply.rs records_provenance
  it('records_provenance', async () => {
    p.save(sampleFunction());
    await p.run('func:apply', auth);
    const entries = readFileSync(operationsPath(p.wgDir), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { op: string; detail: { function_id: string; created_task_ids: string[] } });
    const applies = entries.filter((e) => e.op === 'apply');
    expect(applies).toHaveLength(1);
    expect(applies[0]?.detail.function_id).toBe('impl-feature');
    expect(applies[0]?.detail.created_task_ids).toHaveLength(4);
  });

  // upstream: src/commands/func_apply.rs instantiate_from_file_path
  it('instantiate_from_file_path', async () => {
    const file = join(p.temp.dir, 'external-func.yaml');
    writeFileSync(file, functionYaml(sampleFunction()));
    await p.run('func:apply', { ...auth, from: file });
    for (const id of ['auth-plan', 'auth-implement', 'auth-validate', 'auth-refine']) expect(await p.has(id)).toBe(true);
  });

  /** A peer project holding the sample function, named `mypeer` in federation.yaml. */
  function mypeer(): void {
    const project = join(p.temp.dir, 'peer-project');
    p.save(sampleFunction(), join(project, '.wg', 'functions'));
    writeFileSync(join(p.wgDir, 'federation.yaml'), `peers:\n  mypeer:\n    path: ${project}\n`);
  }

  // upstream: src/commands/func_apply.rs instantiate_from_peer
  it('instantiate_from_peer', async () => {
    mypeer();
    await p.run('func:apply', { ...auth, from: 'mypeer:impl-feature' });
    expect(await p.has('auth-plan')).toBe(true);
    expect(await p.has('auth-implement')).toBe(true);
  });

  // upstream: src/commands/func_apply.rs instantiate_from_peer_name_only
  it('instantiate_from_peer_name_only', async () => {
    mypeer();
    await p.run('func:apply', { ...auth, from: 'mypeer' });
    expect(await p.has('auth-plan')).toBe(true);
  });

  // upstream: src/commands/func_apply.rs instantiate_from_nonexistent_file_fails
  it('instantiate_from_nonexistent_file_fails', async () => {
    await expect(p.run('func:apply', { ...auth, from: '/nonexistent/path/func.yaml' })).rejects.toThrow('not found');
  });

  // upstream: src/commands/func_apply.rs instantiate_from_nonexistent_peer_fails
  it('instantiate_from_nonexistent_peer_fails', async () => {
    await expect(p.run('func:apply', { ...auth, from: 'no-such-peer:impl-feature' })).rejects.toThrow("From peer 'no-such-peer'");
  });

  // upstream: src/commands/func_apply.rs instantiate_records_run_jsonl
  it('instantiate_records_run_jsonl', async () => {
    p.save(sampleFunction());
    await p.run('func:apply', auth);
    const lines = readFileSync(join(p.funcDir, 'impl-feature.runs.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] as string) as { prefix: string; applied_at: unknown; task_ids: string[] };
    expect(record.prefix).toBe('auth');
    expect(typeof record.applied_at).toBe('string');
    expect(record.task_ids).toHaveLength(4);
  });

  // upstream: src/commands/func_apply.rs instantiate_appends_run_jsonl_on_second_call
  it('instantiate_appends_run_jsonl_on_second_call', async () => {
    p.save(sampleFunction());
    await p.run('func:apply', auth);
    await p.run('func:apply', { ...auth, prefix: 'second' });
    expect(readFileSync(join(p.funcDir, 'impl-feature.runs.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  // upstream: src/commands/func_apply.rs instantiate_v3_injects_memory
  it('instantiate_v3_injects_memory', async () => {
    const func = sampleFunction({
      version: 3,
      memory: {
        max_runs: 10,
        include: { outcomes: true, scores: true, interventions: true, duration: true, retries: false, artifacts: false },
      },
    });
    (func.tasks[0] as { description: string }).description = 'Plan {{input.feature_name}}\n\nPast runs:\n{{memory.run_summaries}}';
    p.save(func);
    await p.run('func:apply', auth);
    const description = (await p.task('auth-plan')).description;
    expect(description).toContain('No previous runs recorded.');
    expect(description).not.toContain('{{memory.run_summaries}}');
  });

  // upstream: src/commands/func_apply.rs instantiate_v1_does_not_inject_memory
  it('instantiate_v1_does_not_inject_memory', async () => {
    const func = sampleFunction();
    (func.tasks[0] as { description: string }).description = 'Plan {{input.feature_name}}\n{{memory.run_summaries}}';
    p.save(func);
    await p.run('func:apply', auth);
    expect((await p.task('auth-plan')).description).toContain('{{memory.run_summaries}}');
  });

  const planning = (validate: boolean) => ({
    planner_template: template('planner', { title: 'Plan it', description: 'Generate a plan', skills: ['analysis'] }),
    output_format: 'workgraph-yaml',
    static_fallback: true,
    validate_plan: validate,
  });

  // upstream: src/commands/func_apply.rs instantiate_v2_falls_back_to_static_tasks
  it('instantiate_v2_falls_back_to_static_tasks', async () => {
    p.save(
      sampleFunction({
        version: 2,
        planning: planning(true),
        constraints: { min_tasks: 2, max_tasks: 10, required_skills: [], allow_cycles: false, required_phases: [], forbidden_patterns: [] },
      }),
    );
    await p.run('func:apply', auth);
    for (const id of ['auth-plan', 'auth-implement', 'auth-validate', 'auth-refine']) expect(await p.has(id)).toBe(true);
  });

  // upstream: src/commands/func_apply.rs instantiate_v2_uses_planner_output
  it('instantiate_v2_uses_planner_output', async () => {
    p.save(sampleFunction({ version: 2, planning: planning(false), tasks: [] }));
    const plan = [
      '```yaml',
      '- template_id: design',
      '  title: "Design auth"',
      '  description: "Design the auth system"',
      '  skills: [analysis]',
      '- template_id: build',
      '  title: "Build auth"',
      '  description: "Build the auth system"',
      '  skills: [implementation]',
      '  after: [design]',
      '```',
    ].join('\n');
    await p.tasks([{ id: 'auth-planner', title: 'Plan it', log: [{ timestamp: '2026-02-21T12:00:00Z', actor: 'agent', message: plan }] }]);
    await p.run('func:apply', auth);
    expect(await p.has('auth-design')).toBe(true);
    expect(await p.has('auth-build')).toBe(true);
    expect((await p.task('auth-build')).after).toEqual(['auth-design']);
  });

  it("prints upstream's words, and its fields with --json", async () => {
    p.save(sampleFunction());
    expect(await p.text('func:apply', auth)).toBe(
      [
        "Created 4 tasks from function 'impl-feature':",
        '  auth-plan (Open)',
        '  auth-implement (Open (blocked by auth-plan))',
        '  auth-validate (Open (blocked by auth-implement))',
        '  auth-refine (Open (blocked by auth-validate))',
      ].join('\n'),
    );
    expect(await p.json('func:apply', { ...auth, prefix: 'again' })).toEqual({
      function_id: 'impl-feature',
      prefix: 'again',
      task_count: 4,
      task_ids: ['again-plan', 'again-implement', 'again-validate', 'again-refine'],
    });
    const dry = await p.text('func:apply', { ...auth, prefix: 'dry', dryRun: true });
    expect(dry).toContain('  Task: dry-plan (Open)\n    Title: Plan auth\n    Skills: analysis\n    Tags: skill:analysis, role:analyst\n');
    expect(dry.endsWith("\n\nDry run: would create 4 tasks from function 'impl-feature'")).toBe(true);
  });

  it("warns of an --after task that is not in the graph and waits for it, as upstream's dangling dependency does", async () => {
    p.save(sampleFunction());
    await p.run('func:apply', { ...auth, after: ['not-yet'] });
    expect(p.warnings).toContain("Warning: external blocker 'not-yet' does not exist in the graph");
    expect((await p.task('auth-plan')).after).toContain('not-yet');
    expect((await p.temp.store.ready()).map((t) => t.id)).not.toContain('auth-plan');
  });
});

describe('inputs', () => {
  // upstream: src/commands/func_apply.rs parse_input_pair_string
  it('parse_input_pair_string', () => {
    expect(parseInputPair('name=hello world', input('name', 'string'))).toEqual(['name', 'hello world']);
  });

  // upstream: src/commands/func_apply.rs parse_input_pair_number
  it('parse_input_pair_number', () => {
    expect(parseInputPair('count=42', input('count', 'number'))).toEqual(['count', 42]);
  });

  // upstream: src/commands/func_apply.rs parse_input_pair_file_list
  it('parse_input_pair_file_list', () => {
    expect(parseInputPair('files=src/main.rs,src/lib.rs', input('files', 'file_list'))).toEqual(['files', ['src/main.rs', 'src/lib.rs']]);
  });

  // upstream: src/commands/func_apply.rs parse_input_pair_unknown_key_defaults_to_string
  it('parse_input_pair_unknown_key_defaults_to_string', () => {
    expect(parseInputPair('unknown=value', [])).toEqual(['unknown', 'value']);
  });

  // upstream: src/commands/func_apply.rs parse_input_pair_missing_equals
  it('parse_input_pair_missing_equals', () => {
    expect(() => parseInputPair('no-equals-sign', [])).toThrow("Invalid input format 'no-equals-sign'. Expected key=value");
  });

  // upstream: src/commands/func_apply.rs input_file_yaml
  it('input_file_yaml', () => {
    const file = join(p.temp.dir, 'inputs.yaml');
    writeFileSync(file, 'feature_name: auth\ncount: 5\nfiles:\n  - a.rs\n  - b.rs\n');
    const inputs = parseInputFile(file);
    expect(inputs.get('feature_name')).toBe('auth');
    expect(inputs.get('count')).toBe(5);
    expect(inputs.get('files')).toHaveLength(2);
  });

  // upstream: src/commands/func_apply.rs input_file_json
  it('input_file_json', () => {
    const file = join(p.temp.dir, 'inputs.json');
    writeFileSync(file, '{"feature_name": "auth", "count": 5}');
    const inputs = parseInputFile(file);
    expect(inputs.get('feature_name')).toBe('auth');
    expect(inputs.get('count')).toBe(5);
  });

  // upstream: src/commands/func_apply.rs extract_yaml_block_basic
  it('extract_yaml_block_basic', () => {
    const block = yamlBlock('Here is the plan:\n```yaml\n- id: a\n  title: A\n```\nDone.');
    expect(block).toContain('- id: a');
    expect(block).toContain('title: A');
  });

  // upstream: src/commands/func_apply.rs extract_yaml_block_no_yaml
  it('extract_yaml_block_no_yaml', () => {
    expect(yamlBlock('No yaml here.')).toBeNull();
  });

  // upstream: src/commands/func_apply.rs extract_yaml_block_empty
  it('extract_yaml_block_empty', () => {
    expect(yamlBlock('```yaml\n```')).toBeNull();
  });
});
