import type { TaskTemplate, TraceFunction } from '../../shared/functions';
import type { JsonValue } from '../../shared/task';

/*
 * Upstream's `TraceFunction` as serde writes it: its fields in its structs' order, the ones its
 * `skip_serializing_if` skips left out. The function file's YAML and `wg func show --json` both.
 */

type Fields = Record<string, JsonValue | undefined>;

/** The fields in the order given, the unset and (where upstream skips them) empty ones left out. */
function ordered(fields: Array<[string, JsonValue | undefined, 'always' | 'skip-empty' | 'skip-none']>): Fields {
  const out: Fields = {};
  for (const [key, value, rule] of fields) {
    if (value === undefined) continue;
    if (rule === 'skip-empty' && Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

function templateFields(t: TaskTemplate): Fields {
  return ordered([
    ['template_id', t.template_id, 'always'],
    ['title', t.title, 'always'],
    ['description', t.description, 'always'],
    ['skills', t.skills, 'skip-empty'],
    ['after', t.after, 'skip-empty'],
    [
      'loops_to',
      t.loops_to.map((l) =>
        ordered([
          ['target', l.target, 'always'],
          ['max_iterations', l.max_iterations, 'always'],
          ['guard', l.guard, 'skip-none'],
          ['delay', l.delay, 'skip-none'],
        ]),
      ) as JsonValue,
      'skip-empty',
    ],
    ['role_hint', t.role_hint, 'skip-none'],
    ['deliverables', t.deliverables, 'skip-empty'],
    ['verify', t.verify, 'skip-none'],
    ['tags', t.tags, 'skip-empty'],
  ]);
}

/** The function as upstream's serde writes it (as JSON-able fields, in its order). */
export function functionFields(f: TraceFunction): Fields {
  const c = f.constraints;
  return ordered([
    ['kind', f.kind, 'always'],
    ['version', f.version, 'always'],
    ['id', f.id, 'always'],
    ['name', f.name, 'always'],
    ['description', f.description, 'always'],
    [
      'extracted_from',
      f.extracted_from.map((s) =>
        ordered([
          ['task_id', s.task_id, 'always'],
          ['run_id', s.run_id, 'skip-none'],
          ['timestamp', s.timestamp, 'always'],
        ]),
      ) as JsonValue,
      'skip-empty',
    ],
    ['extracted_by', f.extracted_by, 'skip-none'],
    ['extracted_at', f.extracted_at, 'skip-none'],
    ['tags', f.tags, 'skip-empty'],
    [
      'inputs',
      f.inputs.map((i) =>
        ordered([
          ['name', i.name, 'always'],
          ['type', i.type, 'always'],
          ['description', i.description, 'always'],
          ['required', i.required, 'always'],
          ['default', i.default, 'skip-none'],
          ['example', i.example, 'skip-none'],
          ['min', i.min, 'skip-none'],
          ['max', i.max, 'skip-none'],
          ['values', i.values, 'skip-none'],
        ]),
      ) as JsonValue,
      'skip-empty',
    ],
    ['tasks', f.tasks.map(templateFields) as JsonValue, 'skip-empty'],
    ['outputs', f.outputs.map((o) => ({ name: o.name, description: o.description, from_task: o.from_task, field: o.field })), 'skip-empty'],
    [
      'planning',
      f.planning
        ? ({
            planner_template: templateFields(f.planning.planner_template),
            output_format: f.planning.output_format,
            static_fallback: f.planning.static_fallback,
            validate_plan: f.planning.validate_plan,
          } as JsonValue)
        : undefined,
      'skip-none',
    ],
    [
      'constraints',
      c
        ? (ordered([
            ['min_tasks', c.min_tasks, 'skip-none'],
            ['max_tasks', c.max_tasks, 'skip-none'],
            ['required_skills', c.required_skills, 'skip-empty'],
            ['max_depth', c.max_depth, 'skip-none'],
            ['allow_cycles', c.allow_cycles, 'always'],
            ['max_total_iterations', c.max_total_iterations, 'skip-none'],
            ['required_phases', c.required_phases, 'skip-empty'],
            ['forbidden_patterns', c.forbidden_patterns.map((p) => ({ tags: p.tags, reason: p.reason })), 'skip-empty'],
          ]) as JsonValue)
        : undefined,
      'skip-none',
    ],
    [
      'memory',
      f.memory
        ? (ordered([
            ['max_runs', f.memory.max_runs, 'always'],
            ['include', { ...f.memory.include }, 'always'],
            ['storage_path', f.memory.storage_path, 'skip-none'],
          ]) as JsonValue)
        : undefined,
      'skip-none',
    ],
    ['visibility', f.visibility, 'always'],
    ['redacted_fields', f.redacted_fields, 'skip-empty'],
  ]);
}
