/**
 * Upstream's trace functions (`wg func`): a subgraph saved as a template with parameters, in
 * `functions/<id>.yaml` of the workgraph folder, field for field as upstream's `TraceFunction`
 * (serde names), so a function moves between the two tools as a file.
 */
import type { JsonValue } from './task';

export const INPUT_TYPES = ['string', 'text', 'file_list', 'file_content', 'number', 'url', 'enum', 'json'] as const;
type InputType = (typeof INPUT_TYPES)[number];

/**
 * A function's id is the name of its file (`functions/<id>.yaml`): a plain file name, so no id, given
 * or read from a file, can name a file elsewhere (`../../x`, `/tmp/x`, `.hidden`).
 */
export function functionNameProblem(id: string): string | null {
  if (id === '') return 'the function name is empty';
  if (/[/\\\0]/.test(id) || id.includes('..') || id.startsWith('.')) {
    return `'${id}' is not a function name: a function name is a plain file name (no "/", "\\", ".." or leading ".")`;
  }
  return null;
}

export const VISIBILITIES = ['internal', 'peer', 'public'] as const;
type FunctionVisibility = (typeof VISIBILITIES)[number];

interface ExtractionSource {
  task_id: string;
  run_id?: string;
  timestamp: string;
}

export interface FunctionInput {
  name: string;
  type: InputType;
  description: string;
  required: boolean;
  default?: JsonValue;
  example?: JsonValue;
  min?: number;
  max?: number;
  values?: string[];
}

export interface LoopEdgeTemplate {
  target: string;
  max_iterations: number;
  guard?: string;
  delay?: string;
}

export interface TaskTemplate {
  template_id: string;
  title: string;
  description: string;
  skills: string[];
  after: string[];
  loops_to: LoopEdgeTemplate[];
  role_hint?: string;
  deliverables: string[];
  verify?: string;
  tags: string[];
}

export interface FunctionOutput {
  name: string;
  description: string;
  from_task: string;
  field: string;
}

interface PlanningConfig {
  planner_template: TaskTemplate;
  output_format: string;
  static_fallback: boolean;
  validate_plan: boolean;
}

interface ForbiddenPattern {
  tags: string[];
  reason: string;
}

export interface StructuralConstraints {
  min_tasks?: number;
  max_tasks?: number;
  required_skills: string[];
  max_depth?: number;
  allow_cycles: boolean;
  max_total_iterations?: number;
  required_phases: string[];
  forbidden_patterns: ForbiddenPattern[];
}

export interface MemoryInclusions {
  outcomes: boolean;
  scores: boolean;
  interventions: boolean;
  duration: boolean;
  retries: boolean;
  artifacts: boolean;
}

interface TraceMemoryConfig {
  max_runs: number;
  include: MemoryInclusions;
  storage_path?: string;
}

export interface TraceFunction {
  kind: string;
  version: number;
  id: string;
  name: string;
  description: string;
  extracted_from: ExtractionSource[];
  extracted_by?: string;
  extracted_at?: string;
  tags: string[];
  inputs: FunctionInput[];
  tasks: TaskTemplate[];
  outputs: FunctionOutput[];
  planning?: PlanningConfig;
  constraints?: StructuralConstraints;
  memory?: TraceMemoryConfig;
  visibility: FunctionVisibility;
  redacted_fields: string[];
}

/** One past application of a function (upstream's `RunSummary`, a line of `<id>.runs.jsonl`). */
export interface RunSummary {
  applied_at: string;
  inputs: Record<string, JsonValue>;
  prefix: string;
  task_outcomes: Array<{
    template_id: string;
    task_id: string;
    status: string;
    score?: number;
    duration_secs?: number;
    retry_count: number;
  }>;
  interventions: Array<{ task_id: string; kind: string; description?: string; timestamp: string }>;
  wall_clock_secs?: number;
  all_succeeded: boolean;
  avg_score?: number;
}

/** `wg func list`: a function and where it was found (`local`, or `peer:<name>`). */
export type ListedFunction = TraceFunction & { source: string };

/** `wg func show`: the function, and the past runs its runs file holds. */
export interface FunctionDetail {
  function: TraceFunction;
  runs: RunSummary[];
}

/** `wg func extract`: what was saved where, and what upstream's summary lines say. */
export interface ExtractResult {
  function: TraceFunction;
  saved_to: string;
  /** The root task (static) or the traces compared (generative). */
  from: string[];
  generative: boolean;
  /** Operations in upstream's operations log about the extracted tasks. */
  provenance_operations: number;
  /** The skills every trace shares (generative). */
  required_skills: string[];
}

/** One task `wg func apply` creates (or, in a dry run, would). */
export interface AppliedTask {
  id: string;
  title: string;
  description: string;
  after: string[];
  skills: string[];
  tags: string[];
  model: string | null;
}

/** `wg func apply`: upstream's JSON fields, and the tasks for people. */
export interface ApplyResult {
  dry_run?: true;
  function_id: string;
  prefix: string;
  task_count: number;
  task_ids: string[];
  tasks: AppliedTask[];
}
