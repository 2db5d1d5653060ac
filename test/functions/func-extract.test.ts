import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTemplate, collectSubgraph, formatLoopGuard, isCoordinatorNoise } from '../../src/core/functions/extract';
import { loadFunction } from '../../src/core/functions/function-files';
import { jsonFromResponse, yamlFromResponse } from '../../src/core/functions/generalize';
import { maxDepth } from '../../src/core/functions/generative';
import {
  deriveFeatureName,
  detectParameters,
  extractCliCommands,
  extractContextualNumbers,
  extractUrls,
  sanitizeId,
  stripPrefix,
  titleCase,
} from '../../src/core/functions/parameter-detection';
import type { Task } from '../../src/shared/task';
import { FuncProject } from './func-support';

/* Upstream's `wg func extract` (src/commands/func_extract.rs), its cases ported by name. */

let p: FuncProject;
beforeEach(async () => {
  p = await FuncProject.create();
});
afterEach(() => p.dispose());

/** A done task as upstream's tests make one (its fields as the scanners read them). */
function scanned(id: string, title: string, description = '', artifacts: string[] = []) {
  return { id, title, description, artifacts };
}

const load = (id: string) => loadFunction(join(p.funcDir, `${id}.yaml`));

describe('names and text scanners', () => {
  // upstream: src/commands/func_extract.rs test_sanitize_id
  it('test_sanitize_id', () => {
    expect(sanitizeId('impl-feature')).toBe('impl-feature');
    expect(sanitizeId('My Feature!')).toBe('my-feature');
    expect(sanitizeId('---test---')).toBe('test');
  });

  // upstream: src/commands/func_extract.rs test_strip_prefix
  it('test_strip_prefix', () => {
    expect(stripPrefix('root-sub1', 'root')).toBe('sub1');
    expect(stripPrefix('root-sub1-detail', 'root')).toBe('sub1-detail');
    expect(stripPrefix('other-task', 'root')).toBe('other-task');
    expect(stripPrefix('root', 'root')).toBe('root');
  });

  // upstream: src/commands/func_extract.rs test_title_case
  it('test_title_case', () => {
    expect(titleCase('impl-feature')).toBe('Impl Feature');
    expect(titleCase('hello')).toBe('Hello');
    expect(titleCase('a-b-c')).toBe('A B C');
  });

  // upstream: src/commands/func_extract.rs test_extract_urls
  it('test_extract_urls', () => {
    const urls = extractUrls('Check https://api.example.com/v1 and http://localhost:3000/test');
    expect(urls).toHaveLength(2);
    expect(urls).toContain('https://api.example.com/v1');
    expect(urls).toContain('http://localhost:3000/test');
  });

  // upstream: src/commands/func_extract.rs test_extract_cli_commands
  it('test_extract_cli_commands', () => {
    const commands = extractCliCommands('After changes, run:\ncargo test --lib\nand verify output');
    expect(commands.some((c) => c.startsWith('cargo test'))).toBe(true);
  });

  // upstream: src/commands/func_extract.rs test_extract_cli_commands_rejects_sentence_fragments
  it('test_extract_cli_commands_rejects_sentence_fragments', () => {
    const commands = extractCliCommands('Implement the configuration system for the project.\nEnsure cargo test passes.');
    const tools = ['cargo', 'npm', 'yarn', 'pytest', 'python', 'go', 'make', 'git', 'wg'];
    expect(commands.every((c) => tools.includes(c.split(/\s+/)[0] ?? ''))).toBe(true);
  });

  // upstream: src/commands/func_extract.rs test_extract_cli_commands_backtick_quoted
  it('test_extract_cli_commands_backtick_quoted', () => {
    expect(extractCliCommands('Run `cargo test --lib` to verify and `npm run build` for frontend')).toContain('cargo test --lib');
  });

  // upstream: src/commands/func_extract.rs test_extract_contextual_numbers
  it('test_extract_contextual_numbers', () => {
    const names = extractContextualNumbers('Set threshold to 0.8 and max retries to 3').map(([name]) => name);
    expect(names).toContain('threshold');
    expect(names).toContain('retries');
  });

  // upstream: src/commands/func_extract.rs test_extract_contextual_numbers_skips_random
  it('test_extract_contextual_numbers_skips_random', () => {
    expect(extractContextualNumbers('Task has 5 subtasks across 3 files and took 42 seconds to run')).toEqual([]);
  });

  // upstream: src/commands/func_extract.rs test_extract_contextual_numbers_flag_syntax
  it('test_extract_contextual_numbers_flag_syntax', () => {
    const numbers = extractContextualNumbers('Run with --max-iterations 5 and --batch-size 32');
    expect(numbers).toContainEqual(['iterations', 5]);
    expect(numbers).toContainEqual(['batch', 32]);
  });

  // upstream: src/commands/func_extract.rs test_extract_contextual_numbers_ignores_versions
  it('test_extract_contextual_numbers_ignores_versions', () => {
    expect(extractContextualNumbers('Version 1.2.3 released')).toEqual([]);
  });

  // upstream: src/commands/func_extract.rs test_derive_feature_name
  it('test_derive_feature_name', () => {
    expect(deriveFeatureName('impl-auth-system')).toBe('auth-system');
    expect(deriveFeatureName('add-dark-mode')).toBe('dark-mode');
    expect(deriveFeatureName('fix-login-bug')).toBe('login-bug');
    expect(deriveFeatureName('auth-system')).toBe('auth-system');
    expect(deriveFeatureName('create-api')).toBe('api');
  });

  // upstream: src/commands/func_extract.rs test_extract_yaml_from_response_fenced
  it('test_extract_yaml_from_response_fenced', () => {
    expect(yamlFromResponse('Here is the result:\n```yaml\nkind: trace-function\nid: test\n```\nDone.')).toBe(
      'kind: trace-function\nid: test',
    );
  });

  // upstream: src/commands/func_extract.rs test_extract_yaml_from_response_bare
  it('test_extract_yaml_from_response_bare', () => {
    expect(yamlFromResponse('kind: trace-function\nid: test\n')).toBe('kind: trace-function\nid: test');
  });

  // upstream: src/commands/func_extract.rs test_extract_yaml_from_response_generic_fence
  it('test_extract_yaml_from_response_generic_fence', () => {
    expect(yamlFromResponse('```\nkind: trace-function\nid: test\n```')).toBe('kind: trace-function\nid: test');
  });

  // upstream: src/commands/func_extract.rs test_extract_json_from_response_fenced
  it('test_extract_json_from_response_fenced', () => {
    const response = 'Here is the result:\n```json\n[{"template_id": "t1", "role": "data-model"}]\n```\nDone.';
    expect(jsonFromResponse(response)).toBe('[{"template_id": "t1", "role": "data-model"}]');
  });

  // upstream: src/commands/func_extract.rs test_extract_json_from_response_bare_object
  it('test_extract_json_from_response_bare_object', () => {
    expect(jsonFromResponse('Sure, here is the result: {"name": "test"} end')).toBe('{"name": "test"}');
  });

  // upstream: src/commands/func_extract.rs test_extract_json_from_response_bare_array
  it('test_extract_json_from_response_bare_array', () => {
    expect(jsonFromResponse('Result:\n[{"a": 1}, {"b": 2}]\nDone.')).toBe('[{"a": 1}, {"b": 2}]');
  });

  // upstream: src/commands/func_extract.rs test_extract_json_from_response_generic_fence
  it('test_extract_json_from_response_generic_fence', () => {
    expect(jsonFromResponse('```\n{"key": "value"}\n```')).toBe('{"key": "value"}');
  });

  // upstream: src/commands/func_extract.rs test_format_loop_guard_always
  it('test_format_loop_guard_always', () => {
    expect(formatLoopGuard('Always')).toBe('always');
  });

  // upstream: src/commands/func_extract.rs test_format_loop_guard_iteration
  it('test_format_loop_guard_iteration', () => {
    expect(formatLoopGuard({ IterationLessThan: 5 })).toBe('iteration < 5');
  });

  // upstream: src/commands/func_extract.rs test_format_loop_guard_task_status
  it('test_format_loop_guard_task_status', () => {
    expect(formatLoopGuard({ TaskStatus: { task: 'check-task', status: 'done' } })?.startsWith('task_status:check-task:')).toBe(true);
  });

  // upstream: src/commands/func_extract.rs test_is_coordinator_noise
  it('test_is_coordinator_noise', () => {
    expect(isCoordinatorNoise('evaluate-func-impl')).toBe(true);
    expect(isCoordinatorNoise('assign-func-impl')).toBe(true);
    expect(isCoordinatorNoise('.evaluate-func-impl')).toBe(true);
    expect(isCoordinatorNoise('.assign-func-impl')).toBe(true);
    expect(isCoordinatorNoise('impl-feature')).toBe(false);
  });
});

describe('parameter detection', () => {
  // upstream: src/commands/func_extract.rs test_detect_parameters_with_description
  it('test_detect_parameters_with_description', () => {
    const params = detectParameters([
      scanned('impl-auth', 'Implement auth', 'Add authentication to src/auth.rs and src/main.rs. Run cargo test auth to verify.', [
        'src/auth.rs',
        'src/main.rs',
      ]),
    ]);
    expect(params.find((i) => i.name === 'feature_name')?.example).toBe('auth');
    expect(params.some((i) => i.name === 'source_files')).toBe(true);
    expect(params.some((i) => i.name === 'test_command')).toBe(true);
  });

  // upstream: src/commands/func_extract.rs test_detect_parameters_no_source_files_without_artifacts
  it('test_detect_parameters_no_source_files_without_artifacts', () => {
    const params = detectParameters([scanned('impl-auth', 'Implement auth', 'Add authentication to src/auth.rs and src/main.rs.')]);
    expect(params.some((i) => i.name === 'source_files')).toBe(false);
  });

  // upstream: src/commands/func_extract.rs test_detect_parameters_no_random_numbers
  it('test_detect_parameters_no_random_numbers', () => {
    const params = detectParameters([
      scanned(
        'impl-feature',
        'Implement feature with 5 components',
        'This task has 3 subtasks. The implementation took 42 lines of code across 7 files.',
      ),
    ]);
    expect(params.filter((i) => i.type === 'number')).toEqual([]);
  });

  // upstream: src/commands/func_extract.rs test_detect_parameters_with_url
  it('test_detect_parameters_with_url', () => {
    const params = detectParameters([scanned('fetch-data', 'Fetch data', 'Download data from https://api.example.com/v2/data endpoint')]);
    expect(params.some((i) => i.name === 'url' && i.type === 'url')).toBe(true);
  });
});

describe('subgraphs and templates', () => {
  const tasksOf = () => p.temp.store.list();

  // upstream: src/commands/func_extract.rs test_collect_subgraph_standalone
  it('test_collect_subgraph_standalone', async () => {
    await p.tasks([{ id: 'alone' }]);
    expect(collectSubgraph('alone', await tasksOf()).map((t) => t.id)).toEqual(['alone']);
  });

  // upstream: src/commands/func_extract.rs test_collect_subgraph_chain
  it('test_collect_subgraph_chain', async () => {
    await p.tasks([{ id: 'a' }, { id: 'b', after: ['a'] }, { id: 'c', after: ['b'] }]);
    expect(collectSubgraph('a', await tasksOf())).toHaveLength(3);
  });

  // upstream: src/commands/func_extract.rs test_collect_subgraph_no_external_deps
  it('test_collect_subgraph_no_external_deps', async () => {
    await p.tasks([{ id: 'root' }, { id: 'child', after: ['root'] }, { id: 'external', after: ['unrelated'] }]);
    expect(collectSubgraph('root', await tasksOf())).toHaveLength(2);
  });

  // upstream: src/commands/func_extract.rs test_build_template_captures_cycle_config
  it('test_build_template_captures_cycle_config', async () => {
    await p.tasks([
      {
        id: 'root-header',
        after: ['root-step'],
        cycle_config: { max_iterations: 3, guard: { IterationLessThan: 3 }, delay: '5s', restart_on_failure: true },
      },
      { id: 'root-step', after: ['root-header'] },
    ]);
    const tasks = await tasksOf();
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const header = byId.get('root-header') as Task;
    const built = await buildTemplate(header, 'root', new Set(['root-header', 'root-step']), byId);
    expect(built.loops_to).toHaveLength(1);
    expect(built.loops_to[0]).toMatchObject({ target: 'step', max_iterations: 3, delay: '5s' });
    expect(built.loops_to[0]?.guard).toBeDefined();
  });

  // upstream: src/commands/func_extract.rs test_build_template_no_cycle_config
  it('test_build_template_no_cycle_config', async () => {
    await p.tasks([{ id: 't1', title: 'Simple task' }]);
    const task = await p.task('t1');
    expect((await buildTemplate(task, 't1', new Set(['t1']), new Map([['t1', task]]))).loops_to).toEqual([]);
  });

  // upstream: src/commands/func_extract.rs test_compute_max_depth_linear
  it('test_compute_max_depth_linear', async () => {
    await p.tasks([{ id: 'a' }, { id: 'b', after: ['a'] }, { id: 'c', after: ['b'] }]);
    expect(maxDepth(await tasksOf())).toBe(2);
  });

  // upstream: src/commands/func_extract.rs test_compute_max_depth_single
  it('test_compute_max_depth_single', async () => {
    await p.tasks([{ id: 'a' }]);
    expect(maxDepth(await tasksOf())).toBe(0);
  });
});

describe('wg func extract', () => {
  // upstream: src/commands/func_extract.rs test_extract_single_done_task
  it('test_extract_single_done_task', async () => {
    await p.tasks([
      { id: 'impl-config', title: 'Implement config', description: 'Add global config at src/config.rs', artifacts: ['src/config.rs'] },
    ]);
    await p.run('func:extract', { taskIds: ['impl-config'], name: 'my-func' });
    expect(existsSync(join(p.funcDir, 'my-func.yaml'))).toBe(true);
    const func = load('my-func');
    expect(func.id).toBe('my-func');
    expect(func.tasks.map((t) => t.template_id)).toEqual(['impl-config']);
  });

  // upstream: src/commands/func_extract.rs test_extract_rejects_non_done_task
  it('test_extract_rejects_non_done_task', async () => {
    await p.tasks([{ id: 't1', title: 'Open task', status: 'open' }]);
    await expect(p.run('func:extract', { taskIds: ['t1'] })).rejects.toThrow(
      "Task 't1' is in 'open' status. Only completed (done) tasks can be extracted into trace functions.",
    );
    expect(existsSync(p.funcDir)).toBe(false);
  });

  // upstream: src/commands/func_extract.rs test_extract_with_subgraph
  it('test_extract_with_subgraph', async () => {
    await p.tasks([
      { id: 'root', title: 'Root task' },
      { id: 'root-child1', title: 'Child 1', after: ['root'] },
      { id: 'root-child2', title: 'Child 2', after: ['root-child1'] },
    ]);
    await p.run('func:extract', { taskIds: ['root'], name: 'subgraph-func', subgraph: true });
    const func = load('subgraph-func');
    expect(func.tasks).toHaveLength(3);
    expect(func.tasks.find((t) => t.template_id === 'child1')?.after).toEqual(['root']);
    expect(func.tasks.find((t) => t.template_id === 'child2')?.after).toEqual(['child1']);
  });

  // upstream: src/commands/func_extract.rs test_extract_force_overwrite
  it('test_extract_force_overwrite', async () => {
    await p.tasks([{ id: 't1', title: 'Task 1' }]);
    await p.run('func:extract', { taskIds: ['t1'], name: 'overwrite-test' });
    await expect(p.run('func:extract', { taskIds: ['t1'], name: 'overwrite-test' })).rejects.toThrow('already exists');
    await expect(p.run('func:extract', { taskIds: ['t1'], name: 'overwrite-test', force: true })).resolves.toBeDefined();
  });

  it('refuses an --output inside the project folder (a function written over graph.jsonl or graph.db destroyed the graph) or naming a folder', async () => {
    await p.tasks([{ id: 't1', title: 'Task 1' }]);
    writeFileSync(join(p.wgDir, 'graph.jsonl'), 'kept\n');
    for (const output of [join(p.wgDir, 'graph.jsonl'), join(p.wgDir, 'graph.db'), join(p.wgDir, 'new.yaml')]) {
      await expect(p.run('func:extract', { taskIds: ['t1'], name: 'inside', output, force: true })).rejects.toThrow(
        `--output ${output} is inside the project's own folder (${p.wgDir}); choose a file outside it, or leave --output out`,
      );
    }
    expect(readFileSync(join(p.wgDir, 'graph.jsonl'), 'utf8')).toBe('kept\n');
    expect(existsSync(join(p.wgDir, 'new.yaml'))).toBe(false);
    const folder = join(p.temp.dir, 'a-folder');
    mkdirSync(folder);
    await expect(p.run('func:extract', { taskIds: ['t1'], name: 'folder', output: folder, force: true })).rejects.toThrow(
      `--output ${folder} is a folder; name a file`,
    );
    // The project's functions folder is where extract writes without --output: naming it is fine.
    await p.run('func:extract', { taskIds: ['t1'], name: 'in-functions', output: join(p.wgDir, 'functions', 'x.yaml') });
    expect(existsSync(join(p.wgDir, 'functions', 'x.yaml'))).toBe(true);
  });

  // upstream: src/commands/func_extract.rs test_extract_custom_output_path
  it('test_extract_custom_output_path', async () => {
    await p.tasks([{ id: 't1', title: 'Task 1' }]);
    const out = join(p.temp.dir, 'custom', 'output.yaml');
    await p.run('func:extract', { taskIds: ['t1'], name: 'custom-out', output: out });
    expect(existsSync(out)).toBe(true);
    expect(loadFunction(out).id).toBe('custom-out');
  });

  // upstream: src/commands/func_extract.rs test_extract_generalize_warns
  it('test_extract_generalize_warns: a generalization that fails keeps the raw extraction, with a warning', async () => {
    // The Claude CLI its passes ask cannot start: a unit test starts no process (test/setup/no-processes.ts).
    await p.tasks([{ id: 't1', title: 'Task 1' }]);
    await p.run('func:extract', { taskIds: ['t1'], name: 'gen-test', generalize: true });
    expect(load('gen-test').tasks.map((t) => t.title)).toEqual(['Task 1']);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(/^Warning: Generalization failed: Claude CLI failed: .+\. Saving raw extraction\.$/s);
  });

  // upstream: src/commands/func_extract.rs test_extract_subgraph_filters_coordinator_noise
  it('test_extract_subgraph_filters_coordinator_noise', async () => {
    await p.tasks([
      { id: 'root', title: 'Root task' },
      { id: 'root-impl', title: 'Implementation', after: ['root'] },
      { id: 'evaluate-root-impl', title: 'Evaluate root-impl', after: ['root-impl'] },
      { id: 'assign-root-impl', title: 'Assign root-impl', after: ['root'] },
    ]);
    await p.run('func:extract', { taskIds: ['root'], name: 'filtered', subgraph: true });
    expect(load('filtered').tasks).toHaveLength(2);
    await p.run('func:extract', { taskIds: ['root'], name: 'unfiltered', subgraph: true, includeEvaluations: true });
    expect(load('unfiltered').tasks).toHaveLength(4);
  });

  // upstream: src/commands/func_extract.rs test_generative_requires_two_tasks
  it('test_generative_requires_two_tasks', async () => {
    await p.tasks([{ id: 't1', title: 'Task 1' }]);
    await expect(p.run('func:extract', { taskIds: ['t1'], generative: true })).rejects.toThrow('at least 2');
  });

  // upstream: src/commands/func_extract.rs test_generative_identical_traces_fallback
  it('test_generative_identical_traces_fallback', async () => {
    await p.tasks([
      { id: 'r1', title: 'Root 1', skills: ['rust'] },
      { id: 'r1-child', title: 'Child', skills: ['testing'], after: ['r1'] },
      { id: 'r2', title: 'Root 2', skills: ['rust'] },
      { id: 'r2-child', title: 'Child', skills: ['testing'], after: ['r2'] },
    ]);
    await p.run('func:extract', { taskIds: ['r1', 'r2'], name: 'ident-test', generative: true });
    expect(load('ident-test').version).toBe(1);
    expect(p.warnings).toContain('All 2 traces have identical topology. Falling back to static extraction.');
  });

  // upstream: src/commands/func_extract.rs test_generative_different_traces
  it('test_generative_different_traces', async () => {
    await p.tasks([
      { id: 'r1', title: 'Root 1', skills: ['rust'] },
      { id: 'r1-child', title: 'Child', skills: ['testing'], after: ['r1'] },
      { id: 'r2', title: 'Root 2', skills: ['rust'] },
      { id: 'r2-a', title: 'Step A', skills: ['design'], after: ['r2'] },
      { id: 'r2-b', title: 'Step B', skills: ['testing'], after: ['r2-a'] },
    ]);
    const result = await p.run('func:extract', { taskIds: ['r1', 'r2'], name: 'gen-diff', generative: true });
    const func = load('gen-diff');
    expect(func.version).toBe(2);
    expect(func.planning).toBeDefined();
    expect(func.constraints).toMatchObject({ min_tasks: 2, max_tasks: 3 });
    expect(func.constraints?.required_skills).toContain('rust');
    expect(result.generative).toBe(true);
  });

  it("says what it saved in upstream's words, and keeps skills, deliverables and verify as upstream's task has them", async () => {
    await p.tasks([
      {
        id: 'impl-config',
        title: 'Implement config',
        description: 'Add global config at src/config.rs. Run `cargo test config`.',
        artifacts: ['src/config.rs'],
        skills: ['rust'],
        deliverables: ['src/config.rs'],
        verify: 'cargo test passes',
      },
    ]);
    const text = await p.text('func:extract', { taskIds: ['impl-config'] });
    expect(text.split('\n')).toEqual([
      "Extracted trace function 'impl-config' from task 'impl-config'",
      '',
      'Tasks: 1 (standalone task)',
      '',
      'Suggested parameters:',
      '  feature_name (String, required) — e.g. config',
      '  source_files (FileList) — e.g. src/config.rs',
      '  test_command (String)',
      '',
      `Saved to: ${join(p.funcDir, 'impl-config.yaml')}`,
      '',
      'Review and edit the function file to adjust parameters and descriptions.',
    ]);
    expect(load('impl-config').tasks[0]).toMatchObject({ skills: ['rust'], deliverables: ['src/config.rs'], verify: 'cargo test passes' });
    expect(readFileSync(join(p.funcDir, 'impl-config.yaml'), 'utf8')).toContain('outputs:\n- name: impl_config_artifacts\n');
  });
});

describe('--generalize', () => {
  it('applies the three passes: roles as hints, rewritten text, new placeholders as inputs (required where named)', async () => {
    const { generalizeFunction } = await import('../../src/core/functions/generalize');
    const { sampleFunction } = await import('./func-support');
    const asked: string[] = [];
    const answers = [
      'Roles:\n```json\n[{"template_id": "plan", "role": "design"}, {"template_id": "implement", "role": "implementation"}]\n```',
      JSON.stringify([
        {
          template_id: 'plan',
          title: 'Design {{input.feature_name}}',
          description: 'Design {{input.feature_name}} for {{input.audience}}',
        },
        { template_id: '__function__', title: 'Build A Feature', description: 'Design and build a feature' },
      ]),
      'Here: [{"name": "audience", "type": "string", "description": "Who uses it", "example": "admins"}]',
    ];
    const result = await generalizeFunction(sampleFunction(), async (prompt) => {
      asked.push(prompt);
      return answers[asked.length - 1] as string;
    });
    expect(asked).toHaveLength(3);
    expect(result).toMatchObject({ name: 'Build A Feature', description: 'Design and build a feature' });
    expect(result.tasks[0]).toMatchObject({ title: 'Design {{input.feature_name}}', role_hint: 'design' });
    expect(result.tasks[1]).toMatchObject({ role_hint: 'implementation', title: 'Implement {{input.feature_name}}' });
    expect(result.inputs.find((i) => i.name === 'audience')).toMatchObject({ type: 'string', required: true, example: 'admins' });
  });

  it('fails as a whole when an answer is not the JSON asked for (the raw extraction is then kept)', async () => {
    const { generalizeFunction } = await import('../../src/core/functions/generalize');
    const { sampleFunction } = await import('./func-support');
    await expect(generalizeFunction(sampleFunction(), async () => 'I cannot help with that.')).rejects.toThrow('Pass 1');
  });
});
