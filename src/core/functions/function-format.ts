import { stringify } from 'yaml';
import { z } from 'zod';
import { builtOnce } from '../../shared/built-once';
import { functionNameProblem, INPUT_TYPES, VISIBILITIES, type TaskTemplate, type TraceFunction } from '../../shared/functions';
import { firstProblem, PLAIN } from '../../shared/ops/plain-errors';
import { jsonValue } from '../../shared/ops/schemas';
import { functionFields } from './function-fields';

/*
 * Upstream's function file, read and written. Reading is as lenient as serde is: unknown fields are
 * dropped, the optional ones take serde's defaults (`required: false`, `validate_plan: true`, …).
 * Writing puts the fields in the order of upstream's structs and leaves out what its
 * `skip_serializing_if` leaves out, so a file written here reads as one written there.
 */

const strings = () => z.array(z.string()).default([]);
const count = () => z.number().int().min(0);

const template = builtOnce(() =>
  z
    .object({
      template_id: z.string(),
      title: z.string(),
      description: z.string(),
      skills: strings(),
      after: z.array(z.string()).optional(),
      // Upstream's alias for `after`.
      blocked_by: z.array(z.string()).optional(),
      loops_to: z
        .array(z.object({ target: z.string(), max_iterations: count(), guard: z.string().optional(), delay: z.string().optional() }))
        .default([]),
      role_hint: z.string().optional(),
      deliverables: strings(),
      verify: z.string().optional(),
      tags: strings(),
    })
    .transform(({ blocked_by, after, ...rest }): TaskTemplate => ({ ...rest, after: after ?? blocked_by ?? [] })),
);

export const templateList = builtOnce(() => z.array(template()));

const traceFunction = builtOnce(() =>
  z.object({
    kind: z.string(),
    version: count(),
    id: z.string(),
    name: z.string(),
    description: z.string(),
    extracted_from: z.array(z.object({ task_id: z.string(), run_id: z.string().optional(), timestamp: z.string() })).default([]),
    extracted_by: z.string().optional(),
    extracted_at: z.string().optional(),
    tags: strings(),
    inputs: z
      .array(
        z.object({
          name: z.string(),
          type: z.enum(INPUT_TYPES),
          description: z.string(),
          required: z.boolean().default(false),
          default: jsonValue().optional(),
          example: jsonValue().optional(),
          min: z.number().optional(),
          max: z.number().optional(),
          values: z.array(z.string()).optional(),
        }),
      )
      .default([]),
    tasks: z.array(template()).default([]),
    outputs: z.array(z.object({ name: z.string(), description: z.string(), from_task: z.string(), field: z.string() })).default([]),
    planning: z
      .object({
        planner_template: template(),
        output_format: z.string().default('workgraph-yaml'),
        static_fallback: z.boolean().default(false),
        validate_plan: z.boolean().default(true),
      })
      .optional(),
    constraints: z
      .object({
        min_tasks: count().optional(),
        max_tasks: count().optional(),
        required_skills: strings(),
        max_depth: count().optional(),
        allow_cycles: z.boolean().default(false),
        max_total_iterations: count().optional(),
        required_phases: strings(),
        forbidden_patterns: z.array(z.object({ tags: z.array(z.string()), reason: z.string() })).default([]),
      })
      .optional(),
    memory: z
      .object({
        max_runs: count().default(10),
        include: z.object({
          outcomes: z.boolean().default(true),
          scores: z.boolean().default(true),
          interventions: z.boolean().default(true),
          duration: z.boolean().default(true),
          retries: z.boolean().default(false),
          artifacts: z.boolean().default(false),
        }),
        storage_path: z.string().optional(),
      })
      .optional(),
    visibility: z.enum(VISIBILITIES).default('internal'),
    redacted_fields: strings(),
  }),
);

/** A function read from its parsed YAML, or the first thing wrong with it. */
export function readFunction(value: unknown): { ok: true; func: TraceFunction } | { ok: false; problem: string } {
  // A file written by hand or by another tool is bad input too: its first problem in plain words, naming the field.
  const parsed = traceFunction().safeParse(value, PLAIN);
  if (!parsed.success) return { ok: false, problem: firstProblem(parsed.error) };
  // Its runs are kept in `functions/<id>.runs.jsonl`: an id that is not a plain name would put them elsewhere.
  const problem = functionNameProblem(parsed.data.id);
  return problem === null ? { ok: true, func: parsed.data as TraceFunction } : { ok: false, problem: `id: ${problem}` };
}

/** The function's file text: YAML as serde_yaml lays it out (a list's items at its key's indentation). */
export function functionYaml(f: TraceFunction): string {
  return stringify(functionFields(f), { indentSeq: false, lineWidth: 0 });
}
