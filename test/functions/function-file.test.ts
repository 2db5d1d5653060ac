import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findFunctionByPrefix, loadAllFunctions, loadFunction, saveFunctionAt } from '../../src/core/functions/function-files';
import { functionYaml, readFunction } from '../../src/core/functions/function-format';
import { substitute, substituteTemplate, validateInputs, type Inputs } from '../../src/core/functions/function-inputs';
import { validateFunction } from '../../src/core/functions/function-validate';
import { renderRunSummaries } from '../../src/core/functions/run-memory';
import type { FunctionInput, TraceFunction } from '../../src/shared/functions';
import { sampleFunction, template } from './func-support';

/* Upstream's function file, inputs and templates (src/function.rs `mod tests`), its cases ported by name. */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wg-func-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const save = (f: TraceFunction) => saveFunctionAt(f, join(dir, `${f.id}.yaml`));

/** A function as upstream's serde reads it from YAML text. */
function fromYaml(text: string): TraceFunction {
  const read = readFunction(parse(text));
  if (!read.ok) throw new Error(read.problem);
  return read.func;
}

const inputs = (entries: Record<string, unknown>): Inputs => new Map(Object.entries(entries)) as Inputs;

describe('the function file', () => {
  // upstream: src/function.rs yaml_round_trip
  it('yaml_round_trip', () => {
    const func = sampleFunction();
    const loaded = fromYaml(functionYaml(func));
    expect(loaded.id).toBe(func.id);
    expect(loaded.tasks).toHaveLength(func.tasks.length);
    expect(loaded.inputs).toHaveLength(func.inputs.length);
    expect(loaded.inputs[0]?.type).toBe('string');
    expect(loaded).toEqual(func);
  });

  // upstream: src/function.rs save_and_load
  it('save_and_load', () => {
    save(sampleFunction());
    const loaded = loadFunction(join(dir, 'impl-feature.yaml'));
    expect(loaded.id).toBe('impl-feature');
    expect(loaded.name).toBe('Implement Feature');
  });

  // upstream: src/function.rs load_all_sorts_by_id
  it('load_all_sorts_by_id', () => {
    save(sampleFunction({ id: 'zebra' }));
    save(sampleFunction({ id: 'alpha' }));
    expect(loadAllFunctions(dir).map((f) => f.id)).toEqual(['alpha', 'zebra']);
  });

  // upstream: src/function.rs load_all_empty_dir
  it('load_all_empty_dir', () => {
    expect(loadAllFunctions(dir)).toEqual([]);
  });

  // upstream: src/function.rs load_all_nonexistent_dir
  it('load_all_nonexistent_dir', () => {
    expect(loadAllFunctions('/nonexistent/path')).toEqual([]);
  });

  // upstream: src/function.rs find_by_exact_id
  it('find_by_exact_id', () => {
    save(sampleFunction());
    expect(findFunctionByPrefix(dir, 'impl-feature').id).toBe('impl-feature');
  });

  // upstream: src/function.rs find_by_prefix_match
  it('find_by_prefix_match', () => {
    save(sampleFunction());
    expect(findFunctionByPrefix(dir, 'impl').id).toBe('impl-feature');
  });

  // upstream: src/function.rs find_by_prefix_ambiguous
  it('find_by_prefix_ambiguous', () => {
    save(sampleFunction({ id: 'impl-feature' }));
    save(sampleFunction({ id: 'impl-bug' }));
    expect(() => findFunctionByPrefix(dir, 'impl')).toThrow("Prefix 'impl' matches 2 functions");
  });

  // upstream: src/function.rs find_by_prefix_not_found
  it('find_by_prefix_not_found', () => {
    save(sampleFunction());
    expect(() => findFunctionByPrefix(dir, 'nonexistent')).toThrow("No function matching 'nonexistent'");
  });

  // upstream: src/function.rs deserialize_yaml_from_design_doc
  it('deserialize_yaml_from_design_doc', () => {
    const func = fromYaml(`
kind: trace-function
version: 1
id: impl-feature
name: "Implement Feature"
description: "Plan, implement, test, and commit a new feature"
extracted_from:
  - task_id: impl-global-config
    run_id: run-003
    timestamp: "2026-02-18T14:30:00Z"
extracted_by: scout
extracted_at: "2026-02-19T12:00:00Z"
tags: [implementation, feature]
inputs:
  - name: feature_name
    type: string
    description: "Short name for the feature"
    required: true
    example: "global-config"
  - name: threshold
    type: number
    description: "Minimum score"
    required: false
    default: 0.8
    min: 0.0
    max: 1.0
  - name: language
    type: enum
    description: "Primary language"
    values: [rust, python, go]
    default: rust
tasks:
  - template_id: plan
    title: "Plan {{input.feature_name}}"
    description: "Design the implementation"
    skills: [analysis]
    role_hint: analyst
  - template_id: implement
    title: "Implement {{input.feature_name}}"
    description: "Build it"
    after: [plan]
    skills: [implementation]
  - template_id: refine
    title: "Refine {{input.feature_name}}"
    description: "Fix issues"
    after: [implement]
    loops_to:
      - target: implement
        max_iterations: 3
outputs:
  - name: modified_files
    description: "Files changed"
    from_task: implement
    field: artifacts
`);
    expect(func).toMatchObject({ id: 'impl-feature', version: 1 });
    expect(func.inputs.map((i) => i.type)).toEqual(['string', 'number', 'enum']);
    expect(func.inputs[1]).toMatchObject({ min: 0, max: 1 });
    expect(func.inputs[2]?.values).toEqual(['rust', 'python', 'go']);
    expect(func.tasks[1]?.after).toEqual(['plan']);
    expect(func.tasks[2]?.loops_to).toEqual([{ target: 'implement', max_iterations: 3 }]);
    expect(func.outputs).toHaveLength(1);
    expect(func.visibility).toBe('internal');
    expect(func.planning).toBeUndefined();
    expect(func.constraints).toBeUndefined();
    expect(func.memory).toBeUndefined();
    expect(func.redacted_fields).toEqual([]);
  });

  // upstream: src/function.rs deserialize_v2_generative_function
  it('deserialize_v2_generative_function', () => {
    const func = fromYaml(`
kind: trace-function
version: 2
id: impl-api
name: "Implement API from Spec"
description: "Read an API spec, plan tasks per endpoint, implement, validate."
visibility: peer
inputs:
  - name: api_spec
    type: file_content
    description: "The API specification"
    required: true
planning:
  planner_template:
    template_id: plan-api
    title: "Plan API implementation"
    description: "Read the API spec and produce a task plan."
    skills: [analysis, api-design]
    role_hint: architect
  output_format: workgraph-yaml
  static_fallback: true
  validate_plan: true
constraints:
  min_tasks: 2
  max_tasks: 20
  required_skills: [implementation, testing]
  required_phases: [implement, test]
  max_depth: 4
  forbidden_patterns:
    - tags: [untested, production]
      reason: "Cannot deploy untested code"
tasks:
  - template_id: implement
    title: "Implement API"
    description: "Fallback implementation"
    skills: [implementation]
redacted_fields:
  - extracted_by
`);
    expect(func).toMatchObject({ version: 2, visibility: 'peer', redacted_fields: ['extracted_by'] });
    expect(func.planning).toMatchObject({ output_format: 'workgraph-yaml', static_fallback: true, validate_plan: true });
    expect(func.planning?.planner_template.template_id).toBe('plan-api');
    expect(func.constraints).toMatchObject({
      min_tasks: 2,
      max_tasks: 20,
      required_skills: ['implementation', 'testing'],
      required_phases: ['implement', 'test'],
      max_depth: 4,
      allow_cycles: false,
    });
    expect(func.constraints?.forbidden_patterns[0]?.tags).toEqual(['untested', 'production']);
    expect(func.memory).toBeUndefined();
  });

  // upstream: src/function.rs deserialize_v3_adaptive_function
  it('deserialize_v3_adaptive_function', () => {
    const func = fromYaml(`
kind: trace-function
version: 3
id: deploy-production
name: "Deploy to Production"
description: "Build, test, stage, deploy with memory of past deploys."
visibility: internal
planning:
  planner_template:
    template_id: plan-deploy
    title: "Plan deployment"
    description: "Plan the deployment."
  validate_plan: true
constraints:
  required_phases: [build, test, deploy]
memory:
  max_runs: 10
  include:
    outcomes: true
    scores: true
    interventions: true
    duration: true
    retries: false
    artifacts: false
tasks:
  - template_id: build
    title: "Build"
    description: "Build step"
`);
    expect(func.version).toBe(3);
    expect(func.memory).toEqual({
      max_runs: 10,
      include: { outcomes: true, scores: true, interventions: true, duration: true, retries: false, artifacts: false },
    });
  });

  // upstream: src/function.rs v2_function_round_trip
  it('v2_function_round_trip', () => {
    const func = sampleFunction({
      version: 2,
      visibility: 'peer',
      redacted_fields: ['extracted_by'],
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
      constraints: {
        min_tasks: 2,
        max_tasks: 10,
        required_skills: ['implementation'],
        allow_cycles: false,
        required_phases: [],
        forbidden_patterns: [],
      },
    });
    expect(fromYaml(functionYaml(func))).toEqual(func);
  });

  // upstream: src/function.rs v1_yaml_omits_new_fields
  it('v1_yaml_omits_new_fields', () => {
    const yaml = functionYaml(sampleFunction());
    for (const field of ['planning:', 'constraints:', 'memory:', 'redacted_fields:']) expect(yaml).not.toContain(field);
    expect(yaml).toContain('visibility: internal');
  });

  // upstream: src/function.rs planning_config_defaults
  it('planning_config_defaults', () => {
    const func = fromYaml(
      'kind: trace-function\nversion: 2\nid: f\nname: F\ndescription: d\nplanning:\n  planner_template:\n    template_id: plan\n    title: Plan\n    description: Plan it\n',
    );
    expect(func.planning).toMatchObject({ output_format: 'workgraph-yaml', static_fallback: false, validate_plan: true });
  });

  // upstream: src/function.rs structural_constraints_defaults
  it('structural_constraints_defaults', () => {
    const func = fromYaml('kind: trace-function\nversion: 2\nid: f\nname: F\ndescription: d\nconstraints: {}\n');
    expect(func.constraints).toEqual({ required_skills: [], allow_cycles: false, required_phases: [], forbidden_patterns: [] });
  });

  // upstream: src/function.rs memory_inclusions_defaults
  it('memory_inclusions_defaults', () => {
    const func = fromYaml('kind: trace-function\nversion: 3\nid: f\nname: F\ndescription: d\nmemory:\n  include: {}\n');
    expect(func.memory?.include).toEqual({
      outcomes: true,
      scores: true,
      interventions: true,
      duration: true,
      retries: false,
      artifacts: false,
    });
    expect(func.memory?.max_runs).toBe(10);
  });

  // upstream: src/function.rs visibility_default_is_internal
  it('visibility_default_is_internal', () => {
    expect(fromYaml('kind: trace-function\nversion: 1\nid: f\nname: F\ndescription: d\n').visibility).toBe('internal');
  });

  it('refuses a file that is not a function in one line, naming it', () => {
    mkdirSync(join(dir, 'bad'), { recursive: true });
    writeFileSync(join(dir, 'bad', 'broken.yaml'), 'kind: trace-function\nversion: one\n');
    expect(() => loadFunction(join(dir, 'bad', 'broken.yaml'))).toThrow(
      "broken.yaml is not a function file (version must be a whole number (got 'one'))",
    );
  });

  it("says what is wrong with a hand-written file in plain words, never the parser's", () => {
    mkdirSync(join(dir, 'bad'), { recursive: true });
    const cases: Array<[string, string]> = [
      ['id: 5\nname: []\n', 'kind is required'],
      ['kind: trace-function\nid: f\nname: 5\ndescription: d\nversion: 1\n', "name must be text (got '5')"],
      ['kind: trace-function\nid: f\nname: F\ndescription: d\nversion: 1\ntasks: [{title: 3}]\n', 'tasks.item 1.'],
    ];
    for (const [text, said] of cases) {
      writeFileSync(join(dir, 'bad', 'weird.yaml'), text);
      let message = '';
      try {
        loadFunction(join(dir, 'bad', 'weird.yaml'), 'functions/weird.yaml');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain(`functions/weird.yaml is not a function file (${said}`);
      expect(message).not.toMatch(/expected|received|Invalid input/i);
    }
  });
});

describe('inputs and substitution', () => {
  // upstream: src/function.rs validate_inputs_required_present
  it('validate_inputs_required_present', () => {
    const resolved = validateInputs(sampleFunction().inputs, inputs({ feature_name: 'my-feature' }));
    expect(resolved.get('feature_name')).toBe('my-feature');
    expect(resolved.get('test_command')).toBe('cargo test');
  });

  // upstream: src/function.rs validate_inputs_missing_required
  it('validate_inputs_missing_required', () => {
    expect(() => validateInputs(sampleFunction().inputs, inputs({}))).toThrow('feature_name');
  });

  // upstream: src/function.rs validate_inputs_wrong_type
  it('validate_inputs_wrong_type', () => {
    expect(() => validateInputs(sampleFunction().inputs, inputs({ feature_name: 42 }))).toThrow(
      'Input \'feature_name\' must be a string, got "number"',
    );
  });

  // upstream: src/function.rs validate_number_range
  it('validate_number_range', () => {
    const defs: FunctionInput[] = [{ name: 'threshold', type: 'number', description: 'Score threshold', required: true, min: 0, max: 1 }];
    expect(() => validateInputs(defs, inputs({ threshold: 0.5 }))).not.toThrow();
    expect(() => validateInputs(defs, inputs({ threshold: -0.1 }))).toThrow('below minimum 0');
    expect(() => validateInputs(defs, inputs({ threshold: 1.5 }))).toThrow('exceeds maximum 1');
  });

  // upstream: src/function.rs validate_enum_values
  it('validate_enum_values', () => {
    const defs: FunctionInput[] = [
      { name: 'language', type: 'enum', description: 'Language', required: true, values: ['rust', 'python', 'go'] },
    ];
    expect(() => validateInputs(defs, inputs({ language: 'rust' }))).not.toThrow();
    expect(() => validateInputs(defs, inputs({ language: 'java' }))).toThrow(
      "Input 'language' value 'java' is not one of: rust, python, go",
    );
  });

  // upstream: src/function.rs validate_file_list
  it('validate_file_list', () => {
    const defs: FunctionInput[] = [{ name: 'files', type: 'file_list', description: 'Source files', required: true }];
    expect(() => validateInputs(defs, inputs({ files: ['src/main.rs', 'src/lib.rs'] }))).not.toThrow();
    expect(() => validateInputs(defs, inputs({ files: 'src/main.rs' }))).toThrow('must be a list');
  });

  // upstream: src/function.rs substitute_simple
  it('substitute_simple', () => {
    expect(substitute('Plan {{input.feature_name}}', inputs({ feature_name: 'my-feature' }))).toBe('Plan my-feature');
  });

  // upstream: src/function.rs substitute_multiple
  it('substitute_multiple', () => {
    expect(
      substitute(
        'Implement {{input.feature_name}}. Run: {{input.test_command}}',
        inputs({ feature_name: 'auth', test_command: 'cargo test auth' }),
      ),
    ).toBe('Implement auth. Run: cargo test auth');
  });

  // upstream: src/function.rs substitute_number
  it('substitute_number', () => {
    expect(substitute('Score must be at least {{input.threshold}}', inputs({ threshold: 42 }))).toBe('Score must be at least 42');
  });

  // upstream: src/function.rs substitute_file_list
  it('substitute_file_list', () => {
    expect(substitute('Files:\n{{input.files}}', inputs({ files: ['src/main.rs', 'src/lib.rs'] }))).toBe('Files:\nsrc/main.rs\nsrc/lib.rs');
  });

  // upstream: src/function.rs substitute_missing_placeholder_unchanged
  it('substitute_missing_placeholder_unchanged', () => {
    expect(substitute('Hello {{input.unknown}}', inputs({}))).toBe('Hello {{input.unknown}}');
  });

  // upstream: src/function.rs substitute_task_template_all_fields
  it('substitute_task_template_all_fields', () => {
    const result = substituteTemplate(
      template('plan', {
        title: 'Plan {{input.feature_name}}',
        description: 'Plan {{input.feature_name}} using {{input.test_command}}',
        skills: ['analysis', '{{input.language}}'],
        role_hint: 'analyst',
        deliverables: ['docs/{{input.feature_name}}.md'],
        verify: '{{input.test_command}}',
      }),
      inputs({ feature_name: 'auth', test_command: 'cargo test', language: 'rust' }),
    );
    expect(result).toMatchObject({
      title: 'Plan auth',
      description: 'Plan auth using cargo test',
      skills: ['analysis', 'rust'],
      deliverables: ['docs/auth.md'],
      verify: 'cargo test',
    });
  });
});

describe('validate_function', () => {
  // upstream: src/function.rs validate_function_valid
  it('validate_function_valid', () => {
    expect(() => validateFunction(sampleFunction())).not.toThrow();
  });

  // upstream: src/function.rs validate_function_bad_after
  it('validate_function_bad_after', () => {
    const func = sampleFunction();
    (func.tasks[1] as { after: string[] }).after = ['nonexistent'];
    expect(() => validateFunction(func)).toThrow('nonexistent');
  });

  // upstream: src/function.rs validate_function_bad_loops_to
  it('validate_function_bad_loops_to', () => {
    const func = sampleFunction();
    (func.tasks[3]?.loops_to[0] as { target: string }).target = 'nonexistent';
    expect(() => validateFunction(func)).toThrow('nonexistent');
  });

  // upstream: src/function.rs validate_function_duplicate_template_ids
  it('validate_function_duplicate_template_ids', () => {
    const func = sampleFunction();
    (func.tasks[1] as { template_id: string }).template_id = 'plan';
    expect(() => validateFunction(func)).toThrow('Duplicate');
  });
});

describe('run memory', () => {
  it("renders past runs as upstream's render_run_summaries does", () => {
    const include = { outcomes: true, scores: true, interventions: true, duration: true, retries: true, artifacts: false };
    expect(renderRunSummaries([], include)).toBe('No previous runs recorded.');
    const text = renderRunSummaries(
      [
        {
          applied_at: '2026-02-20T12:00:00Z',
          inputs: { version: '1.0' },
          prefix: 'deploy-1.0/',
          task_outcomes: [
            { template_id: 'build', task_id: 'deploy-1.0/build', status: 'Done', retry_count: 1 },
            { template_id: 'test', task_id: 'deploy-1.0/test', status: 'Failed', retry_count: 0 },
          ],
          interventions: [{ task_id: 'deploy-1.0/test', kind: 'manual-retry', description: 'Flaky test, retried', timestamp: 't' }],
          wall_clock_secs: 300,
          all_succeeded: false,
          avg_score: 0.95,
        },
      ],
      include,
    );
    expect(text).toBe(
      [
        '=== 1 Previous Run(s) ===',
        '',
        '--- Run 1 (prefix: deploy-1.0/) ---',
        '  Applied: 2026-02-20T12:00:00Z',
        '  Inputs: version=1.0',
        '  Outcome: PARTIAL (1/2 succeeded, 1 failed)',
        '  Avg Score: 0.95',
        '  Duration: 5m',
        '  Interventions: 1',
        '    - manual-retry on deploy-1.0/test: Flaky test, retried',
        '  Total Retries: 1',
      ].join('\n'),
    );
  });
});
