import type { ApplyResult, ExtractResult, FunctionDetail, FunctionInput, ListedFunction, TaskTemplate } from '../shared/functions';
import type { JsonValue } from '../shared/task';

/** Upstream's words for `wg func list/show/extract/apply`. */

function inputSummary(input: FunctionInput, indent: string): string {
  return `${indent}${input.name} (${input.type}${input.required ? ', required' : ''}): ${input.description}`;
}

function templateSummary(t: TaskTemplate, indent: string): string {
  const deps = t.after.length > 0 ? ` (blocked by: ${t.after.join(', ')})` : '';
  const loops = t.loops_to.length > 0 ? ` (loops to: ${t.loops_to.map((l) => l.target).join(', ')})` : '';
  return `${indent}${t.template_id}: ${t.title}${deps}${loops}`;
}

const VISIBILITY_TAG: Record<string, string> = { internal: '', peer: ' [peer]', public: ' [public]' };

function functionTable(functions: readonly ListedFunction[], verbose: boolean, peer: string | null): string[] {
  const idWidth = Math.max(4, ...functions.map((f) => f.id.length));
  const nameWidth = Math.max(4, ...functions.map((f) => f.name.length)) + 2;
  const lines: string[] = [];
  for (const f of functions) {
    const id = peer ? `${peer}:${f.id}` : f.id;
    const width = peer ? Math.max(id.length, idWidth + peer.length + 1) : idWidth;
    lines.push(
      `  ${id.padEnd(width)}  ${`"${f.name}"`.padEnd(nameWidth)}  ${f.tasks.length} tasks, ${f.inputs.length} inputs${VISIBILITY_TAG[f.visibility] ?? ''}`,
    );
    if (!verbose) continue;
    if (f.inputs.length > 0) lines.push('    Inputs:', ...f.inputs.map((i) => inputSummary(i, '      ')));
    if (f.tasks.length > 0) lines.push('    Tasks:', ...f.tasks.map((t) => templateSummary(t, '      ')));
    lines.push('');
  }
  return lines;
}

export function funcListText(functions: readonly ListedFunction[], input: Readonly<Record<string, unknown>>): string {
  const peers = input.includePeers === true;
  const verbose = input.verbose === true;
  const local = functions.filter((f) => f.source === 'local');
  const bySource = new Map<string, ListedFunction[]>();
  for (const f of functions) if (f.source !== 'local') bySource.set(f.source, [...(bySource.get(f.source) ?? []), f]);
  if (functions.length === 0) {
    return [
      'No functions found.',
      '  Extract one with: wg func extract <task-id>',
      ...(peers ? [] : ['  Use --include-peers to search federated WG projects.']),
    ].join('\n');
  }
  const lines: string[] = [];
  if (local.length > 0) lines.push(peers ? 'Local functions:' : 'Functions:', ...functionTable(local, verbose, null));
  for (const [source, list] of bySource) {
    const name = source.replace(/^peer:/, '');
    if (local.length > 0) lines.push('');
    lines.push(`Peer functions (${name}):`, ...functionTable(list, verbose, name));
  }
  if (peers && bySource.size === 0 && local.length > 0) lines.push('', 'No functions found in peer WG projects.');
  return lines.join('\n').trimEnd();
}

/** Upstream's format_yaml_value: strings quoted, lists in brackets. */
function yamlValue(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return `[${value.map(yamlValue).join(', ')}]`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function inputDetail(input: FunctionInput): string[] {
  const lines = [`  - ${input.name} (${input.type}, ${input.required ? 'required' : 'optional'})`, `    ${input.description}`];
  if (input.default !== undefined) lines.push(`    Default: ${yamlValue(input.default)}`);
  if (input.example !== undefined) lines.push(`    Example: ${yamlValue(input.example)}`);
  if (input.values) lines.push(`    Values: ${input.values.join(', ')}`);
  if (input.min !== undefined) lines.push(`    Range: [${input.min}${input.max !== undefined ? `, ${input.max}]` : ', ∞)'}`);
  else if (input.max !== undefined) lines.push(`    Range: (-∞, ${input.max}]`);
  return lines;
}

function templateDetail(t: TaskTemplate): string[] {
  const lines = [`  - ${t.template_id} : ${t.title}`];
  const description = t.description.trim();
  if (description !== '') lines.push(...description.split('\n').map((line) => `    ${line}`));
  if (t.after.length > 0) lines.push(`    After: ${t.after.join(', ')}`);
  for (const edge of t.loops_to) {
    lines.push(
      `    Loops to: ${edge.target} (max ${edge.max_iterations})${edge.guard ? `, guard: ${edge.guard}` : ''}${edge.delay ? `, delay: ${edge.delay}` : ''}`,
    );
  }
  if (t.skills.length > 0) lines.push(`    Skills: ${t.skills.join(', ')}`);
  if (t.role_hint) lines.push(`    Role hint: ${t.role_hint}`);
  if (t.deliverables.length > 0) lines.push(`    Deliverables: ${t.deliverables.join(', ')}`);
  if (t.verify) lines.push(`    Verify: ${t.verify}`);
  if (t.tags.length > 0) lines.push(`    Tags: ${t.tags.join(', ')}`);
  return lines;
}

export function funcShowText({ function: f, runs }: FunctionDetail): string {
  const lines = [`Function: ${f.id}`, `Name: ${f.name}`];
  if (f.description !== '') lines.push(`Description: ${f.description}`);
  lines.push(`Version: ${f.version}`, `Visibility: ${f.visibility}`);
  if (f.tags.length > 0) lines.push(`Tags: ${f.tags.join(', ')}`);
  if (f.extracted_from.length > 0) {
    lines.push(
      '',
      'Extracted from:',
      ...f.extracted_from.map((s) => `  - ${s.task_id}${s.run_id ? ` (${s.run_id})` : ''} at ${s.timestamp}`),
    );
  }
  if (f.extracted_by) lines.push(`Extracted by: ${f.extracted_by}`);
  if (f.extracted_at) lines.push(`Extracted at: ${f.extracted_at}`);
  if (f.planning) {
    const p = f.planning;
    lines.push(
      '',
      'Planning:',
      `  Planner: ${p.planner_template.template_id} ("${p.planner_template.title}")`,
      `  Output format: ${p.output_format}`,
    );
    if (p.static_fallback) lines.push('  Static fallback: yes');
    if (!p.validate_plan) lines.push('  Plan validation: disabled');
  }
  if (f.constraints) {
    const c = f.constraints;
    lines.push('', 'Constraints:');
    if (c.min_tasks !== undefined)
      lines.push(`  Tasks: [${c.min_tasks}${c.max_tasks !== undefined ? `, ${c.max_tasks}]` : ', unbounded)'}`);
    else if (c.max_tasks !== undefined) lines.push(`  Max tasks: ${c.max_tasks}`);
    if (c.max_depth !== undefined) lines.push(`  Max depth: ${c.max_depth}`);
    if (c.allow_cycles) {
      lines.push('  Cycles: allowed');
      if (c.max_total_iterations !== undefined) lines.push(`  Max total iterations: ${c.max_total_iterations}`);
    }
    if (c.required_skills.length > 0) lines.push(`  Required skills: ${c.required_skills.join(', ')}`);
    if (c.required_phases.length > 0) lines.push(`  Required phases: ${c.required_phases.join(', ')}`);
    if (c.forbidden_patterns.length > 0) {
      lines.push(
        `  Forbidden patterns: ${c.forbidden_patterns.length}`,
        ...c.forbidden_patterns.map((p) => `    - [${p.tags.join(', ')}]: ${p.reason}`),
      );
    }
  }
  if (f.memory) {
    const m = f.memory;
    const includes = (['outcomes', 'scores', 'interventions', 'duration', 'retries', 'artifacts'] as const).filter((k) => m.include[k]);
    lines.push('', 'Memory:', `  Max runs: ${m.max_runs}`);
    if (includes.length > 0) lines.push(`  Includes: ${includes.join(', ')}`);
    if (m.storage_path) lines.push(`  Storage: ${m.storage_path}`);
  }
  if (f.inputs.length > 0) lines.push('', `Inputs (${f.inputs.length}):`, ...f.inputs.flatMap(inputDetail));
  if (f.tasks.length > 0) lines.push('', `Tasks (${f.tasks.length}):`, ...f.tasks.flatMap(templateDetail));
  if (f.outputs.length > 0) {
    lines.push(
      '',
      `Outputs (${f.outputs.length}):`,
      ...f.outputs.map((o) => `  - ${o.name} (from ${o.from_task}.${o.field}): ${o.description}`),
    );
  }
  if (f.redacted_fields.length > 0) lines.push('', `Redacted fields: ${f.redacted_fields.join(', ')}`);
  const last = runs.at(-1);
  if (last) {
    lines.push('', `Runs: ${runs.length} recorded`, `  Last run: ${last.applied_at}`);
    const score = last.avg_score !== undefined ? `  Last score: ${last.avg_score.toFixed(2)}` : '';
    lines.push(`${score}${last.all_succeeded ? '  (all succeeded)' : '  (had failures)'}`);
  }
  return lines.join('\n');
}

/** Upstream prints an input type by its Rust name (`{:?}`): FileList, Number… */
const TYPE_NAMES: Record<string, string> = {
  string: 'String',
  text: 'Text',
  file_list: 'FileList',
  file_content: 'FileContent',
  number: 'Number',
  url: 'Url',
  enum: 'Enum',
  json: 'Json',
};

function rendered(value: JsonValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(rendered).join('\n');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function funcExtractText(r: ExtractResult): string {
  const f = r.function;
  if (r.generative) {
    return [
      `Extracted generative function '${f.id}' from ${r.from.length} traces`,
      'Version: 2 (generative)',
      `Fallback tasks: ${f.tasks.length}`,
      `Constraints: ${f.constraints?.min_tasks ?? 0} to ${f.constraints?.max_tasks ?? 0} tasks`,
      ...(r.required_skills.length > 0 ? [`Required skills: ${r.required_skills.join(', ')}`] : []),
      '',
      `Saved to: ${r.saved_to}`,
    ].join('\n');
  }
  const n = f.tasks.length;
  const lines = [
    `Extracted trace function '${f.id}' from task '${r.from[0]}'`,
    '',
    `Tasks: ${n} (${n === 1 ? 'standalone task' : `${n} task subgraph`})`,
  ];
  if (f.inputs.length > 0) {
    lines.push('', 'Suggested parameters:');
    for (const i of f.inputs) {
      const example = i.example !== undefined ? ` — e.g. ${rendered(i.example)}` : '';
      lines.push(`  ${i.name} (${TYPE_NAMES[i.type] ?? i.type}${i.required ? ', required' : ''})${example}`);
    }
  }
  if (r.provenance_operations > 0) lines.push('', `Provenance: ${r.provenance_operations} operations recorded`);
  lines.push('', `Saved to: ${r.saved_to}`, '', 'Review and edit the function file to adjust parameters and descriptions.');
  return lines.join('\n');
}

export function funcApplyText(r: ApplyResult): string {
  if (r.dry_run) {
    const lines: string[] = [];
    for (const t of r.tasks) {
      lines.push(`  Task: ${t.id} (Open)`, `    Title: ${t.title}`);
      if (t.after.length > 0) lines.push(`    After: ${t.after.join(', ')}`);
      if (t.skills.length > 0) lines.push(`    Skills: ${t.skills.join(', ')}`);
      if (t.tags.length > 0) lines.push(`    Tags: ${t.tags.join(', ')}`);
      if (t.model) lines.push(`    Model: ${t.model}`);
      const description = t.description.split('\n');
      if (t.description !== '') {
        lines.push(`    Description: ${description[0]}`, ...description.slice(1, 3).map((line) => `      ${line}`));
        if (description.length > 3) lines.push(`      ... (${description.length - 3} more lines)`);
      }
      lines.push('');
    }
    lines.push('', `Dry run: would create ${r.task_count} tasks from function '${r.function_id}'`);
    return lines.join('\n');
  }
  return [
    `Created ${r.task_count} tasks from function '${r.function_id}':`,
    ...r.tasks.map((t) => `  ${t.id} (Open${t.after.length > 0 ? ` (blocked by ${t.after.join(', ')})` : ''})`),
  ].join('\n');
}
