import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionYaml, readFunction } from '../../src/core/functions/function-format';
import {
  appendRunRecord,
  findFunctionByPrefix,
  loadAllFunctions,
  loadFunction,
  loadRuns,
  runsFile,
  saveFunctionAt,
} from '../../src/core/functions/function-files';
import { type Inputs, substitute, substituteTemplate, validateInputs } from '../../src/core/functions/function-inputs';
import { validateFunction } from '../../src/core/functions/function-validate';
import { validatePlan } from '../../src/core/functions/plan-validator';
import { memoryText, renderRunSummaries } from '../../src/core/functions/run-memory';
import type { FunctionInput, MemoryInclusions, RunSummary, StructuralConstraints, TraceFunction } from '../../src/shared/functions';
import type { JsonValue } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';
import { sampleFunction, template } from '../functions/func-support';

/*
 * Upstream's integration tests of `wg func` and its function files: tests/integration_trace_functions.rs and
 * tests/integration_trace_function_layers.rs, each case named in its `it`. The command cases run `wg func` in
 * process; the ones upstream runs against its library (storage, inputs, substitution, validation, plan checks,
 * run memory) call this app's counterparts of those functions. Cases of upstream's own unit tests of the same
 * code are in test/functions/.
 *
 * Not ported:
 * - `wg func bootstrap` (upstream's extract-function meta-function) is no command here:
 *   func_bootstrap_creates_meta_function, trace_bootstrap_alias_works;
 * - upstream's deprecated `wg trace` spellings of `wg func` (here `wg trace` is show, export, import only):
 *   trace_extract_alias_works_with_deprecation_warning, trace_instantiate_alias_works_with_deprecation_warning,
 *   trace_list_functions_alias_works, trace_show_function_alias_works;
 * - upstream's per-run memory files (functions/<id>.memory/*.json), their text rendering and building a run summary
 *   from the graph: library functions no upstream command calls (its memory is the runs.jsonl file, ported below):
 *   layer3_save_and_load_run_summary_via_per_run_json, layer3_load_recent_summaries_sorted_newest_first,
 *   layer3_load_recent_respects_max_runs, layer3_render_summaries_text_empty, layer3_render_summaries_text_single_run,
 *   layer3_render_summaries_text_multiple_runs, layer3_memory_injection_into_template_substitution (renders with
 *   render_summaries_text), layer3_memory_dir_path, layer3_build_run_summary_from_graph;
 * - exporting a function at a visibility (redaction, visible_at), which upstream does only for `wg trace export`;
 *   here `wg trace export` writes no functions: visibility_ordering, export_internal_at_internal_no_redaction,
 *   export_internal_at_peer_fails, export_internal_at_public_fails, export_peer_at_peer_redacts_correctly,
 *   export_peer_at_internal_no_redaction, export_peer_at_public_fails, export_public_at_public_strips_provenance,
 *   export_public_at_peer_applies_peer_redaction, export_public_preserves_non_path_defaults, function_visible_at_levels,
 *   export_v2_function_peer_with_memory, export_peer_redacted_fields_strips_tags,
 *   cross_layer_export_v2_function_with_constraints_peer.
 */

/** Upstream's sample_function of these tests: func-support's, with its one output. */
const sample = (fields: Partial<TraceFunction> = {}): TraceFunction =>
  sampleFunction({
    outputs: [{ name: 'modified_files', description: 'Files changed', from_task: 'implement', field: 'artifacts' }],
    ...fields,
  });

const input = (name: string, type: FunctionInput['type'], fields: Partial<FunctionInput> = {}): FunctionInput => ({
  name,
  type,
  description: '',
  required: true,
  ...fields,
});

const inputs = (entries: Record<string, JsonValue>): Inputs => new Map(Object.entries(entries));

/** A function as upstream's serde reads it from YAML text. */
function fromYaml(text: string): TraceFunction {
  const read = readFunction(parse(text));
  if (!read.ok) throw new Error(read.problem);
  return read.func;
}

interface ShownTask {
  id: string;
  title: string;
  status: string;
  description?: string;
  after: string[];
  before: string[];
  tags: string[];
  model: string | null;
}

describe('the library: storage, inputs, substitution, validation', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wg-itf-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const save = (f: TraceFunction) => saveFunctionAt(f, join(dir, `${f.id}.yaml`));

  it('storage_round_trip_yaml', () => {
    const func = sample();
    save(func);
    const loaded = loadFunction(join(dir, 'impl-feature.yaml'));
    expect(loaded).toMatchObject({ id: func.id, name: func.name, description: func.description, kind: 'trace-function', version: 1 });
    expect(loaded.tasks).toHaveLength(func.tasks.length);
    expect(loaded.inputs).toHaveLength(func.inputs.length);
    expect(loaded.outputs).toHaveLength(1);
    expect(loaded.tags).toEqual(func.tags);
    expect(loaded.tasks[0]?.template_id).toBe('plan');
    expect(loaded.tasks[1]?.after).toEqual(['plan']);
    expect(loaded.tasks[3]?.loops_to).toEqual([{ target: 'validate', max_iterations: 3 }]);
    expect(loaded.inputs[0]).toMatchObject({ type: 'string', required: true });
    expect(loaded.inputs[1]).toMatchObject({ required: false, default: 'cargo test' });
  });

  it('storage_load_from_nonexistent_dir_returns_empty / storage_load_all_empty_dir', () => {
    expect(loadAllFunctions(join(dir, 'nonexistent', 'xyz'))).toEqual([]);
    expect(loadAllFunctions(dir)).toEqual([]);
  });

  it('storage_load_all_sorts_by_id', () => {
    for (const id of ['zebra-func', 'alpha-func', 'middle-func']) save(sample({ id }));
    expect(loadAllFunctions(dir).map((f) => f.id)).toEqual(['alpha-func', 'middle-func', 'zebra-func']);
  });

  it('storage_find_by_prefix_exact / storage_find_by_prefix_partial / storage_find_by_prefix_not_found / storage_find_by_prefix_ambiguous', () => {
    save(sample());
    expect(findFunctionByPrefix(dir, 'impl-feature').id).toBe('impl-feature');
    expect(findFunctionByPrefix(dir, 'impl').id).toBe('impl-feature');
    expect(() => findFunctionByPrefix(dir, 'nonexistent')).toThrow(expect.objectContaining({ code: 'not_found' }));
    save(sample({ id: 'impl-bugfix' }));
    expect(() => findFunctionByPrefix(dir, 'impl')).toThrow("Prefix 'impl' matches 2 functions: impl-bugfix, impl-feature");
  });

  it('validation_missing_required_input_errors', () => {
    expect(() => validateInputs([input('feature_name', 'string')], inputs({}))).toThrow('feature_name');
  });

  it('validation_wrong_type_string_where_number_expected / validation_number_where_string_expected', () => {
    expect(() => validateInputs([input('threshold', 'number')], inputs({ threshold: 'not-a-number' }))).toThrow(
      expect.objectContaining({ code: 'invalid' }),
    );
    expect(() => validateInputs([input('name', 'string')], inputs({ name: 42 }))).toThrow(expect.objectContaining({ code: 'invalid' }));
  });

  it('validation_enum_value_not_in_allowed_list / validation_enum_valid_value_accepted', () => {
    const defs = [input('language', 'enum', { values: ['rust', 'python', 'go'] })];
    expect(() => validateInputs(defs, inputs({ language: 'java' }))).toThrow(/java.*rust/);
    expect(validateInputs(defs, inputs({ language: 'rust' })).get('language')).toBe('rust');
  });

  it('validation_number_below_min_errors / validation_number_above_max_errors / validation_number_within_range_accepted', () => {
    const defs = [input('threshold', 'number', { min: 0, max: 1 })];
    expect(() => validateInputs(defs, inputs({ threshold: -0.5 }))).toThrow('below minimum');
    expect(() => validateInputs(defs, inputs({ threshold: 1.5 }))).toThrow('exceeds maximum');
    expect(validateInputs(defs, inputs({ threshold: 0.5 })).has('threshold')).toBe(true);
  });

  it('validation_optional_input_with_default_applied / validation_optional_input_without_default_omitted', () => {
    const defs = [input('feature_name', 'string'), input('test_command', 'string', { required: false, default: 'cargo test' })];
    const resolved = validateInputs(defs, inputs({ feature_name: 'auth' }));
    expect(resolved.get('feature_name')).toBe('auth');
    expect(resolved.get('test_command')).toBe('cargo test');
    expect(validateInputs([input('notes', 'string', { required: false })], inputs({})).has('notes')).toBe(false);
  });

  it('validation_file_list_requires_sequence', () => {
    const defs = [input('files', 'file_list')];
    expect(() => validateInputs(defs, inputs({ files: 'src/main.rs' }))).toThrow();
    expect(() => validateInputs(defs, inputs({ files: ['src/main.rs'] }))).not.toThrow();
  });

  it('substitution_simple_string_replacement / substitution_multiple_inputs_in_same_template', () => {
    expect(substitute('Plan {{input.feature_name}}', inputs({ feature_name: 'auth' }))).toBe('Plan auth');
    expect(
      substitute(
        'Implement {{input.feature_name}}. Run: {{input.test_command}}',
        inputs({ feature_name: 'auth', test_command: 'cargo test auth' }),
      ),
    ).toBe('Implement auth. Run: cargo test auth');
  });

  it('substitution_file_list_rendered_as_newline_separated', () => {
    const files = inputs({ files: ['src/main.rs', 'src/lib.rs', 'src/config.rs'] });
    expect(substitute('Files:\n{{input.files}}', files)).toBe('Files:\nsrc/main.rs\nsrc/lib.rs\nsrc/config.rs');
  });

  it('substitution_missing_optional_uses_default_in_resolved_map', () => {
    const resolved = validateInputs(sample().inputs, inputs({ feature_name: 'auth' }));
    expect(substitute('Run: {{input.test_command}}', resolved)).toBe('Run: cargo test');
  });

  it('substitution_unrecognized_placeholder_left_as_is / substitution_number_input', () => {
    expect(substitute('Hello {{input.unknown}} world {{input.other}}', inputs({}))).toBe('Hello {{input.unknown}} world {{input.other}}');
    expect(substitute('Minimum score: {{input.threshold}}', inputs({ threshold: 42 }))).toBe('Minimum score: 42');
  });

  it('substitution_task_template_all_fields', () => {
    const result = substituteTemplate(
      template('plan', {
        title: 'Plan {{input.feature_name}}',
        description: 'Plan {{input.feature_name}} using {{input.test_command}}',
        skills: ['analysis', '{{input.language}}'],
        after: ['prereq'],
        role_hint: 'analyst',
        deliverables: ['docs/{{input.feature_name}}.md'],
        verify: '{{input.test_command}}',
        tags: ['impl'],
      }),
      inputs({ feature_name: 'auth', test_command: 'cargo test', language: 'rust' }),
    );
    expect(result).toMatchObject({
      title: 'Plan auth',
      description: 'Plan auth using cargo test',
      skills: ['analysis', 'rust'],
      deliverables: ['docs/auth.md'],
      verify: 'cargo test',
      template_id: 'plan',
      after: ['prereq'],
      role_hint: 'analyst',
      tags: ['impl'],
    });
  });

  it('validate_function_with_bad_after_reference / validate_function_with_bad_loops_to_reference', () => {
    const badAfter = sample();
    (badAfter.tasks[1] as { after: string[] }).after = ['nonexistent-task'];
    expect(() => validateFunction(badAfter)).toThrow('nonexistent-task');
    const badLoop = sample();
    (badLoop.tasks[3]?.loops_to[0] as { target: string }).target = 'nonexistent-task';
    expect(() => validateFunction(badLoop)).toThrow('nonexistent-task');
  });

  it('validate_function_with_duplicate_template_ids / validate_function_valid_passes', () => {
    const func = sample();
    (func.tasks[1] as { template_id: string }).template_id = 'plan';
    expect(() => validateFunction(func)).toThrow('Duplicate');
    expect(() => validateFunction(sample())).not.toThrow();
  });
});

describe('wg func extract, apply, list, show', () => {
  let p: InProcessProject;
  beforeEach(async () => {
    p = new InProcessProject('wg-itf-');
    await p.ok(['init']);
  });
  afterEach(() => p.remove());

  const funcDir = () => join(p.root, '.workgraph', 'functions');
  const setupFunction = (func: TraceFunction) => saveFunctionAt(func, join(funcDir(), `${func.id}.yaml`));
  const load = (id: string) => loadFunction(join(funcDir(), `${id}.yaml`));
  /** The task as `wg show --json` gives it, its `after` and `before` as ids. */
  const task = async (id: string): Promise<ShownTask> => {
    type Edges = Array<{ id: string }>;
    const shown = await p.json<Omit<ShownTask, 'after' | 'before'> & { after: Edges; before: Edges }>(['show', id]);
    return { ...shown, after: shown.after.map((a) => a.id), before: shown.before.map((b) => b.id) };
  };
  const exists = async (id: string) => (await p.wg(['show', id])).exitCode === 0;
  /** Done tasks, as upstream's setup_graph writes them (`status` given when not). */
  const doneTasks = (lines: Array<Record<string, unknown>>) => p.importTasks(lines.map((l) => ({ status: 'done', ...l })));

  it('extract_single_done_task_produces_valid_function', async () => {
    await doneTasks([
      { id: 'impl-config', title: 'Implement config', description: 'Add global config at src/config.rs', artifacts: ['src/config.rs'] },
    ]);
    await p.ok(['func', 'extract', 'impl-config', '--name', 'config-func']);
    const func = load('config-func');
    expect(func).toMatchObject({ id: 'config-func', kind: 'trace-function', version: 1 });
    expect(func.tasks.map((t) => t.template_id)).toEqual(['impl-config']);
    expect(func.outputs).not.toEqual([]);
    expect(() => validateFunction(func)).not.toThrow();
  });

  it('extract_from_subgraph_captures_all_tasks_and_dependencies', async () => {
    await doneTasks([
      { id: 'feature', title: 'Feature root' },
      { id: 'feature-plan', title: 'Plan feature', after: ['feature'] },
      { id: 'feature-build', title: 'Build feature', after: ['feature-plan'] },
    ]);
    await p.ok(['func', 'extract', 'feature', '--name', 'my-workflow', '--subgraph']);
    const func = load('my-workflow');
    expect(func.tasks).toHaveLength(3);
    expect(func.tasks.find((t) => t.template_id === 'plan')?.after).toEqual(['feature']);
    expect(func.tasks.find((t) => t.template_id === 'build')?.after).toEqual(['plan']);
    expect(() => validateFunction(func)).not.toThrow();
  });

  it('extract_from_non_done_task_errors', async () => {
    await p.importTasks([{ id: 'open-task', title: 'Not done yet', status: 'open' }]);
    const result = await p.wg(['func', 'extract', 'open-task']);
    expect(result.exitCode).not.toBe(0);
    expect(`${result.stderr}${result.stdout}`.toLowerCase()).toContain('done');
  });

  it('extract_detects_file_paths_and_commands', async () => {
    await doneTasks([
      {
        id: 'impl-auth',
        title: 'Implement auth',
        description: 'Add authentication to src/auth.rs and src/main.rs. Run cargo test to verify.',
        artifacts: ['src/auth.rs', 'src/main.rs'],
      },
    ]);
    await p.ok(['func', 'extract', 'impl-auth', '--name', 'auth-func']);
    const names = load('auth-func').inputs.map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['feature_name', 'source_files', 'test_command']));
  });

  it('extract_filters_evaluate_tasks_from_subgraph / extract_include_evaluations_keeps_all_tasks', async () => {
    await doneTasks([
      { id: 'root', title: 'Root task' },
      { id: 'root-impl', title: 'Implement feature', after: ['root'] },
      { id: 'evaluate-root-impl', title: 'Evaluate root-impl', after: ['root-impl'] },
      { id: 'assign-root-impl', title: 'Assign root-impl', after: ['root'] },
    ]);
    await p.ok(['func', 'extract', 'root', '--name', 'filtered-func', '--subgraph']);
    const filtered = load('filtered-func').tasks.map((t) => t.template_id);
    expect(filtered).toHaveLength(2);
    expect(filtered.some((id) => id.startsWith('evaluate') || id.startsWith('assign'))).toBe(false);
    await p.ok(['func', 'extract', 'root', '--name', 'unfiltered-func', '--subgraph', '--include-evaluations']);
    expect(load('unfiltered-func').tasks).toHaveLength(4);
  });

  it('extract_does_not_detect_random_numbers_as_params / extract_detects_contextual_numbers_as_params', async () => {
    await doneTasks([
      {
        id: 'impl-feature',
        title: 'Implement feature with 5 components',
        description: 'This task has 3 subtasks. The implementation took 42 lines of code across 7 files.',
      },
      { id: 'impl-config', title: 'Implement config', description: 'Set max retries to 3 and timeout threshold to 0.8 seconds.' },
    ]);
    await p.ok(['func', 'extract', 'impl-feature', '--name', 'no-random-nums']);
    expect(load('no-random-nums').inputs.filter((i) => i.type === 'number')).toEqual([]);
    await p.ok(['func', 'extract', 'impl-config', '--name', 'contextual-nums']);
    expect(load('contextual-nums').inputs.filter((i) => i.type === 'number')).not.toEqual([]);
  });

  it('apply_single_task_function_creates_task', async () => {
    setupFunction(
      sample({
        id: 'simple-func',
        name: 'Simple',
        description: 'A single task',
        extracted_from: [],
        extracted_by: undefined,
        extracted_at: undefined,
        tags: [],
        inputs: [input('feature_name', 'string')],
        tasks: [template('do-thing', { title: 'Do {{input.feature_name}}', description: 'Do the thing for {{input.feature_name}}' })],
        outputs: [],
      }),
    );
    await p.ok(['func', 'apply', 'simple-func', '--input', 'feature_name=auth']);
    const made = await task('auth-do-thing');
    expect(made).toMatchObject({ title: 'Do auth', status: 'open' });
    expect(made.description).toContain('Do the thing for auth');
  });

  it('apply_multi_task_function_correct_after / apply_maintains_blocks_symmetry / apply_adds_skill_and_role_tags / func_apply_creates_tasks', async () => {
    setupFunction(sample());
    await p.ok(['func', 'apply', 'impl-feature', '--input', 'feature_name=auth']);
    const plan = await task('auth-plan');
    const implement = await task('auth-implement');
    expect(plan.after).toEqual([]);
    expect(implement.after).toEqual(['auth-plan']);
    expect((await task('auth-validate')).after).toEqual(['auth-implement']);
    expect((await task('auth-refine')).after).toEqual(['auth-validate']);
    expect(plan.before).toContain('auth-implement');
    expect(implement.before).toContain('auth-validate');
    expect(plan.tags).toEqual(expect.arrayContaining(['skill:analysis', 'role:analyst']));
    expect(implement.tags).toEqual(expect.arrayContaining(['skill:implementation', 'role:programmer']));
  });

  it('apply_dry_run_does_not_modify_graph', async () => {
    setupFunction(sample());
    await p.ok(['func', 'apply', 'impl-feature', '--input', 'feature_name=auth', '--dry-run']);
    expect(await exists('auth-plan')).toBe(false);
    expect(await exists('auth-implement')).toBe(false);
  });

  it('apply_after_wires_root_tasks_to_external', async () => {
    setupFunction(sample());
    await p.importTasks([{ id: 'prerequisite', title: 'Prerequisite', status: 'open' }]);
    await p.ok(['func', 'apply', 'impl-feature', '--input', 'feature_name=auth', '--after', 'prerequisite']);
    expect((await task('auth-plan')).after).toContain('prerequisite');
    const implement = await task('auth-implement');
    expect(implement.after).not.toContain('prerequisite');
    expect(implement.after).toContain('auth-plan');
  });

  it('apply_duplicate_task_id_errors', async () => {
    setupFunction(sample());
    await p.ok(['func', 'apply', 'impl-feature', '--input', 'feature_name=auth']);
    const again = await p.wg(['func', 'apply', 'impl-feature', '--input', 'feature_name=auth']);
    expect(again.exitCode).not.toBe(0);
    expect(`${again.stdout}${again.stderr}`).toContain('already exists');
  });

  it('apply_with_prefix_override / apply_applies_model', async () => {
    setupFunction(sample());
    await p.ok(['func', 'apply', 'impl-feature', '--input', 'feature_name=auth', '--prefix', 'custom-prefix', '--model', 'sonnet']);
    for (const id of ['plan', 'implement', 'validate', 'refine']) expect((await task(`custom-prefix-${id}`)).model).toBe('sonnet');
  });

  it('apply_substitutes_template_values', async () => {
    setupFunction(sample());
    await p.ok(['func', 'apply', 'impl-feature', '--input', 'feature_name=auth', '--input', 'test_command=cargo test auth']);
    const plan = await task('auth-plan');
    expect(plan.title).toBe('Plan auth');
    expect(plan.description).toContain('auth');
    const implement = await task('auth-implement');
    expect(implement.title).toBe('Implement auth');
    expect(implement.description).toContain('cargo test auth');
  });

  it('apply_missing_required_input_errors / apply_function_not_found_errors', async () => {
    setupFunction(sample());
    const missing = await p.wg(['func', 'apply', 'impl-feature']);
    expect(missing.exitCode).not.toBe(0);
    expect(`${missing.stdout}${missing.stderr}`).toContain('feature_name');
    const unknown = await p.wg(['func', 'apply', 'nonexistent', '--input', 'feature_name=auth']);
    expect(unknown.exitCode).not.toBe(0);
    expect(`${unknown.stdout}${unknown.stderr}`).toContain('nonexistent');
  });

  it('apply_with_input_file', async () => {
    setupFunction(sample());
    const file = join(p.root, 'inputs.yaml');
    writeFileSync(file, 'feature_name: login\ntest_command: cargo test login\n');
    await p.ok(['func', 'apply', 'impl-feature', '--input-file', file]);
    expect((await task('login-plan')).title).toBe('Plan login');
  });

  it('round_trip_extract_then_instantiate_preserves_structure', async () => {
    await doneTasks([
      { id: 'proj-design', title: 'Design the project', description: 'Create architecture docs', skills: ['architecture'] },
      {
        id: 'proj-implement',
        title: 'Implement the project',
        description: 'Write the code',
        after: ['proj-design'],
        skills: ['coding'],
        artifacts: ['src/main.rs'],
      },
      { id: 'proj-test', title: 'Test the project', description: 'Run cargo test', after: ['proj-implement'], skills: ['testing'] },
    ]);
    await p.ok(['func', 'extract', 'proj-design', '--name', 'project-workflow', '--subgraph']);
    const func = load('project-workflow');
    expect(func.tasks).toHaveLength(3);
    expect(() => validateFunction(func)).not.toThrow();
    await p.ok(['func', 'apply', 'project-workflow', '--input', 'feature_name=new-proj', '--prefix', 'new-proj']);
    for (const t of func.tasks) expect((await task(`new-proj-${t.template_id}`)).status).toBe('open');
    const idOf = (word: string) => `new-proj-${func.tasks.find((t) => t.title.includes(word))?.template_id}`;
    expect((await task(idOf('Implement'))).after).toContain(idOf('Design'));
    expect((await task(idOf('Test'))).after).toContain(idOf('Implement'));
  });

  it('round_trip_multiple_instantiations_different_prefixes', async () => {
    await doneTasks([{ id: 'tmpl', title: 'Template task' }]);
    await p.ok(['func', 'extract', 'tmpl', '--name', 'reusable']);
    await p.ok(['func', 'apply', 'reusable', '--input', 'feature_name=first', '--prefix', 'first']);
    await p.ok(['func', 'apply', 'reusable', '--input', 'feature_name=second', '--prefix', 'second']);
    expect(await exists('first-tmpl')).toBe(true);
    expect(await exists('second-tmpl')).toBe(true);
  });

  it('func_list_succeeds_on_empty / func_show_on_existing_function / func_show_not_found_errors / func_extract_creates_function', async () => {
    expect((await p.wg(['func', 'list'])).exitCode).toBe(0);
    setupFunction(sample());
    const shown = await p.ok(['func', 'show', 'impl-feature']);
    expect(shown).toContain('impl-feature');
    expect(shown).toContain('Implement Feature');
    expect((await p.wg(['func', 'show', 'nonexistent'])).exitCode).not.toBe(0);
    await doneTasks([{ id: 'done-task', title: 'A done task' }]);
    await p.ok(['func', 'extract', 'done-task', '--name', 'cli-extract-test']);
    expect(load('cli-extract-test').id).toBe('cli-extract-test');
  });

  it('layer1_apply_v1_with_visibility_creates_tasks', async () => {
    setupFunction(visibilityFunction('internal'));
    await p.ok(['func', 'apply', 'vis-func', '--input', 'feature_name=auth']);
    expect(await task('auth-plan')).toMatchObject({ title: 'Plan auth', status: 'open', after: [] });
    expect(await task('auth-implement')).toMatchObject({ title: 'Implement auth', after: ['auth-plan'] });
  });
});

/* tests/integration_trace_function_layers.rs */

type Visibility = TraceFunction['visibility'];

/** Upstream's sample_v1_with_visibility. */
function visibilityFunction(visibility: Visibility): TraceFunction {
  return {
    kind: 'trace-function',
    version: 1,
    id: 'vis-func',
    name: 'Visibility Test Function',
    description: 'Testing visibility on a v1 function',
    extracted_from: [{ task_id: 'impl-config', run_id: 'run-007', timestamp: '2026-02-18T14:30:00Z' }],
    extracted_by: 'scout-abc123',
    extracted_at: '2026-02-19T12:00:00Z',
    tags: ['implementation', 'feature'],
    inputs: [
      input('feature_name', 'string', { description: 'Feature name', example: 'global-config' }),
      input('source_dir', 'string', {
        description: 'Source directory',
        required: false,
        default: '/home/user/project/src',
        example: 'src/lib.rs',
      }),
    ],
    tasks: [
      template('plan', {
        title: 'Plan {{input.feature_name}}',
        description: 'Design the implementation',
        skills: ['analysis'],
        role_hint: 'analyst',
      }),
      template('implement', {
        title: 'Implement {{input.feature_name}}',
        description: 'Build it',
        skills: ['implementation'],
        after: ['plan'],
        role_hint: 'programmer',
      }),
    ],
    outputs: [{ name: 'modified_files', description: 'Files changed', from_task: 'implement', field: 'artifacts' }],
    visibility,
    redacted_fields: ['extracted_by'],
  };
}

/** Upstream's sample_v2_generative. */
function generativeFunction(): TraceFunction {
  return {
    kind: 'trace-function',
    version: 2,
    id: 'gen-api',
    name: 'Implement API',
    description: 'Read API spec, plan, implement, validate',
    extracted_from: [],
    extracted_by: 'scout',
    extracted_at: '2026-02-19T12:00:00Z',
    tags: ['api'],
    inputs: [input('api_name', 'string', { description: 'API name' })],
    tasks: [
      template('implement', {
        title: 'Implement API',
        description: 'Fallback implementation',
        skills: ['implementation'],
        tags: ['implement'],
      }),
      template('test', { title: 'Test API', description: 'Fallback testing', skills: ['testing'], after: ['implement'], tags: ['test'] }),
    ],
    outputs: [],
    planning: {
      planner_template: template('plan-api', {
        title: 'Plan API implementation',
        description: 'Read the spec and produce a task plan.',
        skills: ['analysis', 'api-design'],
        role_hint: 'architect',
      }),
      output_format: 'workgraph-yaml',
      static_fallback: true,
      validate_plan: true,
    },
    constraints: {
      min_tasks: 2,
      max_tasks: 20,
      required_skills: ['implementation', 'testing'],
      max_depth: 4,
      allow_cycles: false,
      required_phases: ['implement', 'test'],
      forbidden_patterns: [{ tags: ['untested', 'production'], reason: 'Cannot deploy untested code' }],
    },
    visibility: 'peer',
    redacted_fields: ['extracted_by'],
  };
}

const defaultInclusions = (): MemoryInclusions => ({
  outcomes: true,
  scores: true,
  interventions: true,
  duration: true,
  retries: false,
  artifacts: false,
});

/** Upstream's sample_v3_adaptive. */
function adaptiveFunction(): TraceFunction {
  const func = generativeFunction();
  const planning = func.planning as NonNullable<TraceFunction['planning']>;
  return {
    ...func,
    version: 3,
    id: 'adaptive-deploy',
    name: 'Adaptive Deploy',
    description: 'Deploy with memory of past runs',
    visibility: 'internal',
    redacted_fields: [],
    memory: { max_runs: 5, include: defaultInclusions() },
    planning: {
      ...planning,
      planner_template: { ...planning.planner_template, description: 'Plan the deployment.\n\nPast runs:\n{{memory.run_summaries}}' },
    },
  };
}

/** Upstream's sample_run_summary. */
function runSummary(fields: Partial<RunSummary> = {}): RunSummary {
  return {
    applied_at: '2026-02-20T12:00:00Z',
    inputs: { feature_name: 'auth' },
    prefix: 'auth',
    task_outcomes: [
      { template_id: 'plan', task_id: 'auth-plan', status: 'Done', score: 0.9, duration_secs: 60, retry_count: 0 },
      { template_id: 'implement', task_id: 'auth-implement', status: 'Done', score: 0.85, duration_secs: 300, retry_count: 1 },
    ],
    interventions: [{ task_id: 'auth-implement', kind: 'retry', description: 'Flaky test, retried', timestamp: '2026-02-20T12:05:00Z' }],
    wall_clock_secs: 360,
    all_succeeded: true,
    avg_score: 0.875,
    ...fields,
  };
}

/** A run whose implement task failed. */
const failedRun = (appliedAt: string): RunSummary => {
  const run = runSummary({ applied_at: appliedAt, all_succeeded: false });
  (run.task_outcomes[1] as { status: string }).status = 'Failed';
  return run;
};

const none = (fields: Partial<StructuralConstraints> = {}): StructuralConstraints => ({
  required_skills: [],
  allow_cycles: false,
  required_phases: [],
  forbidden_patterns: [],
  ...fields,
});

const record = (run: RunSummary) => JSON.parse(JSON.stringify(run)) as Record<string, JsonValue>;

describe('layer 1: static functions', () => {
  it('layer1_yaml_round_trip_with_visibility_and_redacted_fields', () => {
    const loaded = fromYaml(functionYaml(visibilityFunction('peer')));
    expect(loaded).toMatchObject({ id: 'vis-func', visibility: 'peer', redacted_fields: ['extracted_by'], extracted_by: 'scout-abc123' });
    expect(loaded.tasks).toHaveLength(2);
    expect(loaded.inputs).toHaveLength(2);
    expect(loaded.extracted_from[0]?.run_id).toBe('run-007');
  });

  it('layer1_save_load_preserves_visibility_fields', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-itfl-'));
    try {
      saveFunctionAt(visibilityFunction('public'), join(dir, 'vis-func.yaml'));
      const loaded = loadFunction(join(dir, 'vis-func.yaml'));
      expect(loaded).toMatchObject({ visibility: 'public', redacted_fields: ['extracted_by'], tags: ['implementation', 'feature'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('layer1_v1_yaml_omits_layer2_layer3_fields', () => {
    const yaml = functionYaml(visibilityFunction('internal'));
    for (const field of ['planning:', 'constraints:', 'memory:']) expect(yaml).not.toContain(field);
  });

  it('layer1_blocked_by_alias_deserialized_as_after', () => {
    const func = fromYaml(`
kind: trace-function
version: 1
id: alias-test
name: "Alias Test"
description: "Test blocked_by → after alias"
tasks:
  - template_id: a
    title: A
    description: First
  - template_id: b
    title: B
    description: Second
    blocked_by: [a]
`);
    expect(func.tasks[1]?.after).toEqual(['a']);
  });

  it('visibility_serde_kebab_case', () => {
    const base = 'kind: trace-function\nversion: 1\nid: v\nname: V\ndescription: d\n';
    for (const visibility of ['internal', 'peer', 'public'] as const) {
      expect(fromYaml(`${base}visibility: "${visibility}"\n`).visibility).toBe(visibility);
    }
    expect(functionYaml(visibilityFunction('peer'))).toMatch(/^visibility: peer$/m);
  });
});

describe('layer 2: generative functions', () => {
  it('layer2_v2_yaml_round_trip', () => {
    const loaded = fromYaml(functionYaml(generativeFunction()));
    expect(loaded.version).toBe(2);
    expect(loaded.visibility).toBe('peer');
    expect(loaded.planning).toMatchObject({ output_format: 'workgraph-yaml', static_fallback: true, validate_plan: true });
    expect(loaded.planning?.planner_template.template_id).toBe('plan-api');
    expect(loaded.constraints).toMatchObject({
      min_tasks: 2,
      max_tasks: 20,
      required_skills: ['implementation', 'testing'],
      max_depth: 4,
      allow_cycles: false,
      required_phases: ['implement', 'test'],
    });
    expect(loaded.constraints?.forbidden_patterns).toHaveLength(1);
    expect(loaded.memory).toBeUndefined();
  });

  it('layer2_validate_plan_passes_valid_plan', () => {
    const tasks = [
      template('impl', { skills: ['implementation'], tags: ['implement'] }),
      template('test', { skills: ['testing'], tags: ['test'], after: ['impl'] }),
    ];
    const constraints = none({
      min_tasks: 2,
      max_tasks: 10,
      required_skills: ['implementation', 'testing'],
      required_phases: ['implement', 'test'],
      max_depth: 3,
    });
    expect(validatePlan(tasks, constraints)).toEqual([]);
  });

  it('layer2_validate_plan_too_few_tasks / layer2_validate_plan_too_many_tasks / layer2_validate_plan_missing_skills', () => {
    expect(validatePlan([template('a')], none({ min_tasks: 3 }))).toContain('too few tasks: 1 < minimum 3');
    const four = ['a', 'b', 'c', 'd'].map((id) => template(id));
    expect(validatePlan(four, none({ max_tasks: 2 }))).toContain('too many tasks: 4 > maximum 2');
    expect(validatePlan([template('a', { skills: ['rust'] })], none({ required_skills: ['rust', 'python'] }))).toEqual([
      'required skill not covered: python',
    ]);
  });

  it('layer2_validate_plan_forbidden_pattern_detected / layer2_validate_plan_forbidden_pattern_partial_match_ok', () => {
    const pattern = none({ forbidden_patterns: [{ tags: ['untested', 'production'], reason: 'Cannot deploy untested code' }] });
    const errors = validatePlan([template('deploy-prod', { tags: ['untested', 'production'] }), template('other')], pattern);
    expect(errors.some((e) => e.endsWith(': Cannot deploy untested code'))).toBe(true);
    expect(validatePlan([template('deploy', { tags: ['production'] })], pattern)).toEqual([]);
  });

  it('layer2_validate_plan_depth_exceeded / layer2_validate_plan_cycles_not_allowed', () => {
    const chain = [template('a'), template('b', { after: ['a'] }), template('c', { after: ['b'] }), template('d', { after: ['c'] })];
    expect(validatePlan(chain, none({ max_depth: 2 }))).toContain('dependency depth 3 exceeds maximum 2');
    const cycle = [template('a', { after: ['b'] }), template('b', { after: ['a'] })];
    expect(validatePlan(cycle, none()).some((e) => e.startsWith('cycles not allowed'))).toBe(true);
  });

  it('layer2_validate_plan_multiple_errors_collected', () => {
    expect(validatePlan([template('a')], none({ min_tasks: 3, required_skills: ['rust'], required_phases: ['test'] }))).toHaveLength(3);
  });

  it('layer2_validate_plan_max_total_iterations_exceeded', () => {
    const tasks = [
      template('a', { loops_to: [{ target: 'b', max_iterations: 5 }] }),
      template('b', { loops_to: [{ target: 'a', max_iterations: 4 }] }),
    ];
    expect(validatePlan(tasks, none({ allow_cycles: true, max_total_iterations: 8 }))).toContain(
      'total cycle iterations 9 exceeds maximum 8',
    );
  });

  it('layer2_v2_function_validation_passes', () => {
    expect(() => validateFunction(generativeFunction())).not.toThrow();
  });

  it('layer2_planning_config_defaults / layer2_constraints_defaults', () => {
    const func = fromYaml(`
kind: trace-function
version: 2
id: g
name: G
description: d
planning:
  planner_template:
    template_id: plan
    title: "Plan"
    description: "Plan it"
constraints: {}
`);
    expect(func.planning).toMatchObject({ output_format: 'workgraph-yaml', static_fallback: false, validate_plan: true });
    expect(func.constraints).toEqual({ required_skills: [], allow_cycles: false, required_phases: [], forbidden_patterns: [] });
  });

  it('cross_layer_validate_generated_plan_against_v2_constraints', () => {
    const constraints = generativeFunction().constraints as StructuralConstraints;
    const good = [
      template('impl', { skills: ['implementation'], tags: ['implement'] }),
      template('test', { skills: ['testing'], tags: ['test'], after: ['impl'] }),
    ];
    expect(validatePlan(good, constraints)).toEqual([]);
    const errors = validatePlan([template('lonely-task')], constraints);
    expect(errors.some((e) => e.startsWith('too few tasks'))).toBe(true);
    expect(errors.some((e) => e.startsWith('required skill not covered'))).toBe(true);
    expect(errors.some((e) => e.startsWith('required phase not present'))).toBe(true);
  });
});

describe('layer 3: adaptive functions (the runs.jsonl memory)', () => {
  let wgDir: string;
  beforeEach(() => {
    wgDir = mkdtempSync(join(tmpdir(), 'wg-itfl-'));
  });
  afterEach(() => rmSync(wgDir, { recursive: true, force: true }));

  const funcDir = () => join(wgDir, 'functions');

  it('layer3_save_load_jsonl_round_trip / layer3_jsonl_respects_max_runs', () => {
    appendRunRecord(funcDir(), 'test-func', record(runSummary()));
    const loaded = loadRuns(runsFile(funcDir(), 'test-func'), 10);
    expect(loaded).toHaveLength(1);
    expect(loaded[0]?.prefix).toBe('auth');
    for (let i = 0; i < 4; i++) appendRunRecord(funcDir(), 'test-func', record(runSummary()));
    expect(loadRuns(runsFile(funcDir(), 'test-func'), 2)).toHaveLength(2);
  });

  it('layer3_load_empty_returns_empty (its runs.jsonl half)', () => {
    expect(loadRuns(runsFile(funcDir(), 'nonexistent'), 10)).toEqual([]);
  });

  it('layer3_render_run_summaries_config_aware / layer3_render_run_summaries_with_retries', () => {
    const run = runSummary();
    const all = renderRunSummaries([run], defaultInclusions());
    for (const part of ['SUCCESS', '2/2 succeeded', '0.88', 'retry']) expect(all).toContain(part);
    const nothing = renderRunSummaries([run], {
      outcomes: false,
      scores: false,
      interventions: false,
      duration: false,
      retries: false,
      artifacts: false,
    });
    for (const part of ['SUCCESS', 'Avg Score', 'Duration', 'Interventions']) expect(nothing).not.toContain(part);
    expect(renderRunSummaries([run], { ...defaultInclusions(), retries: true })).toContain('Total Retries: 1');
  });

  it('layer3_v3_yaml_round_trip', () => {
    const loaded = fromYaml(functionYaml(adaptiveFunction()));
    expect(loaded.version).toBe(3);
    expect(loaded.memory).toEqual({ max_runs: 5, include: defaultInclusions() });
    expect(loaded.planning).toBeDefined();
    expect(loaded.constraints).toBeDefined();
  });

  it('cross_layer_v1_to_v2_to_v3_serialization', () => {
    const yaml1 = functionYaml(visibilityFunction('internal'));
    expect(yaml1).not.toContain('planning:');
    expect(yaml1).not.toContain('memory:');
    const yaml2 = functionYaml(generativeFunction());
    expect(yaml2).toContain('planning:');
    expect(yaml2).toContain('constraints:');
    expect(yaml2).not.toContain('memory:');
    const yaml3 = functionYaml(adaptiveFunction());
    for (const field of ['planning:', 'constraints:', 'memory:']) expect(yaml3).toContain(field);
  });

  it('cross_layer_v3_function_with_runs_full_cycle', () => {
    const func = adaptiveFunction();
    saveFunctionAt(func, join(funcDir(), `${func.id}.yaml`));
    appendRunRecord(funcDir(), func.id, record(failedRun('2026-02-18T10:00:00Z')));
    appendRunRecord(funcDir(), func.id, record(runSummary({ applied_at: '2026-02-19T10:00:00Z' })));
    expect(loadRuns(runsFile(funcDir(), func.id), func.memory?.max_runs)).toHaveLength(2);
    const memory = memoryText(wgDir, loadFunction(join(funcDir(), `${func.id}.yaml`)));
    for (const part of ['2 Previous Run', 'PARTIAL', 'SUCCESS']) expect(memory).toContain(part);
    const description = substitute(func.planning?.planner_template.description ?? '', inputs({ api_name: 'users' }))
      .split('{{memory.run_summaries}}')
      .join(memory);
    expect(description).toContain('Plan the deployment');
    expect(description).toContain('2 Previous Run');
    expect(description).not.toContain('{{memory.run_summaries}}');
  });
});
