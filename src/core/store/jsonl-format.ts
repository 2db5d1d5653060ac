import { nestedTooDeeply, TOO_DEEP } from '../../shared/json-depth';
import { NUL_HELD, nulAt } from '../../shared/nul-text';
import { z } from 'zod';
import { builtOnce } from '../../shared/built-once';
import { invalid } from '../../shared/errors';
import { firstProblem, PLAIN } from '../../shared/ops/plain-errors';
import { TASK_ID_PATTERN, TASK_ID_RULE, jsonValue } from '../../shared/ops/schemas';
import { parsePriority, PRIORITY_VALUES, TASK_STATUSES, type JsonValue, type TaskStatus } from '../../shared/task';

/*
 * One line of a graph.jsonl, as upstream workgraph writes it (`Task`, serde names) or as
 * this app exports it (the same names plus its own). What this app models is read into columns;
 * every other field is kept as it came (`extra`) and written back, so a graph survives a round trip.
 */

/** Fields this app reads into its own columns; anything else on a line is kept in `extra`. */
export const MODELED = new Set([
  'kind',
  'id',
  'title',
  'description',
  'status',
  'priority',
  'priority_value',
  'paused',
  'tags',
  'after',
  'blocked_by',
  'assigned',
  'agent',
  'model',
  'executor',
  'exec',
  'repo',
  'role',
  'schedule',
  'not_before',
  'created_at',
  'started_at',
  'completed_at',
  'log',
  'artifacts',
  'results',
  'retry_count',
  'max_retries',
  'rescue_count',
  'failure_reason',
  'evaluation',
  'session_id',
  'cost_usd',
  'tokens_in',
  'tokens_out',
]);

/** Statuses upstream reads besides its own: `pending-review` became `done`; the others are old spellings. */
const STATUS_ALIASES: Record<string, TaskStatus> = { 'pending-review': 'done', todo: 'open', in_progress: 'in-progress' };

/** Upstream's `token_usage`. */
const tokenUsage = builtOnce(() =>
  z.object({
    cost_usd: z.number().optional(),
    input_tokens: z.number().optional(),
    output_tokens: z.number().optional(),
    cache_read_input_tokens: z.number().optional(),
    cache_creation_input_tokens: z.number().optional(),
  }),
);

/** One task line, built when a graph.jsonl is first read (see builtOnce). */
const line = builtOnce(() => {
  const text = z.string().nullish();
  const logEntry = z.object({ timestamp: z.string(), actor: z.string().nullish(), user: z.string().nullish(), message: z.string() });
  const evaluation = z.object({
    score: z.number(),
    dimensions: z.record(z.string(), z.number()).default({}),
    evaluator: text,
    notes: text,
    timestamp: text,
    model: text,
    source: z.string().optional(),
  });
  // Lenient on purpose: upstream files carry many more fields, and optional ones may be null.
  return z.object({
    id: z.string().min(1, 'a task has no id'),
    title: z.string({ error: 'a task has no title' }),
    description: text,
    status: text,
    priority: jsonValue().nullish(),
    priority_value: z.number().int().min(0).nullish(),
    paused: z.boolean().nullish(),
    tags: z.array(z.string()).nullish(),
    after: z.array(z.string()).nullish(),
    blocked_by: z.array(z.string()).nullish(),
    assigned: text,
    agent: text,
    model: text,
    executor: text,
    exec: text,
    repo: text,
    role: text,
    schedule: text,
    not_before: text,
    created_at: text,
    started_at: text,
    completed_at: text,
    log: z.array(logEntry).nullish(),
    artifacts: z.array(z.string()).nullish(),
    results: z.record(z.string(), jsonValue()).nullish(),
    retry_count: z.number().int().min(0).nullish(),
    max_retries: z.number().int().min(0).nullish(),
    rescue_count: z.number().int().min(0).nullish(),
    failure_reason: text,
    evaluation: evaluation.nullish(),
    session_id: text,
    cost_usd: z.number().nullish(),
    tokens_in: z.number().int().nullish(),
    tokens_out: z.number().int().nullish(),
  });
});
type Line = z.infer<Awaited<ReturnType<typeof line>>>;

type ImportedLog = { timestamp: string; actor: string; user: string | null; message: string };

/** A task line read: the modeled fields (undefined when the line does not say) and the rest. */
export interface ImportedTask {
  id: string;
  title: string;
  fields: Line & { status?: TaskStatus; priority_number?: number; not_before_iso?: string | null };
  after: string[];
  log: ImportedLog[];
  extra: Record<string, JsonValue>;
}

export type ParsedLine =
  | { kind: 'task'; task: ImportedTask }
  | { kind: 'node'; id: string; node: Record<string, JsonValue> }
  | { kind: 'skip' };

/** A dependency may name a task of this graph or of a peer graph (`peer:task-id`, upstream federation). */
function validReference(ref: string): boolean {
  const colon = ref.indexOf(':');
  return TASK_ID_PATTERN.test(colon > 0 ? ref.slice(colon + 1) : ref);
}

/** An ISO time in UTC (comparable as text, as the ready query does); an unreadable one is left as written. */
function isoTime(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

export function parseLine(raw: string, lineNumber: number): ParsedLine {
  const where = `line ${lineNumber}`;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid(`${where}: this is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${where}: a line must be one JSON object`);
  if (nestedTooDeeply(value)) throw invalid(`${where} ${TOO_DEEP}`);
  // `\u0000` in a line is a NUL once parsed: refused on every store alike (nul-text.ts), before any line is written.
  // A raw NUL is not valid JSON, so a line without that text is not walked.
  const nul = raw.includes('\\u0000') ? nulAt(value) : null;
  if (nul !== null) throw invalid(`${where}: ${nul} ${NUL_HELD}`);
  const object = value as Record<string, JsonValue>;
  const kind = object.kind ?? 'task';
  if (kind === 'actor') return { kind: 'skip' }; // upstream skips these legacy nodes too
  if (kind !== 'task') {
    if (typeof object.id !== 'string' || object.id === '') throw invalid(`${where}: a ${String(kind)} node has no id`);
    return { kind: 'node', id: object.id, node: object };
  }
  const parsed = line().safeParse(object, PLAIN);
  if (!parsed.success) throw invalid(`${where}: ${firstProblem(parsed.error)}`);
  const fields = parsed.data;
  if (!TASK_ID_PATTERN.test(fields.id)) throw invalid(`${where}: '${fields.id}' is not a valid task id: ${TASK_ID_RULE}`);
  const after = [...new Set([...(fields.after ?? []), ...(fields.blocked_by ?? [])])];
  const badRef = after.find((ref) => !validReference(ref));
  if (badRef !== undefined) throw invalid(`${where}: task '${fields.id}' depends on '${badRef}', which is not a valid task id`);
  let status: TaskStatus | undefined;
  if (typeof fields.status === 'string') {
    status = (TASK_STATUSES as readonly string[]).includes(fields.status) ? (fields.status as TaskStatus) : STATUS_ALIASES[fields.status];
    if (!status) throw invalid(`${where}: '${fields.status}' is not a workgraph status (${TASK_STATUSES.join(', ')})`);
  }
  const extra: Record<string, JsonValue> = {};
  for (const [key, field] of Object.entries(object)) if (!MODELED.has(key)) extra[key] = field;
  // Upstream reads a priority it does not know (a map, a fraction, a name it lacks) as normal (its
  // deserialize_priority); so does this app, rather than refusing the whole graph over one row.
  const priorityNumber =
    fields.priority_value ??
    (fields.priority === undefined || fields.priority === null ? undefined : (parsePriority(fields.priority) ?? PRIORITY_VALUES.normal));
  return {
    kind: 'task',
    task: {
      id: fields.id,
      title: fields.title,
      after,
      fields: { ...fields, status, priority_number: priorityNumber, not_before_iso: isoTime(fields.not_before) },
      log: (fields.log ?? []).map((e) => ({ timestamp: e.timestamp, actor: e.actor ?? '', user: e.user ?? null, message: e.message })),
      extra,
    },
  };
}

export interface TokenTotals {
  cost_usd: number;
  tokens_in: number;
  tokens_out: number;
}

/** Upstream's `token_usage` as this app's totals (input counts cached tokens too, as upstream's total_input). */
export function totalsFromTokenUsage(value: JsonValue | undefined): TokenTotals | null {
  const parsed = tokenUsage().safeParse(value);
  if (!parsed.success) return null;
  const u = parsed.data;
  return {
    cost_usd: u.cost_usd ?? 0,
    tokens_in: (u.input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0),
    tokens_out: u.output_tokens ?? 0,
  };
}

/** Upstream's cron fields (`cron_enabled`, `cron_schedule`, `next_cron_fire`, `last_cron_fire`) as a schedule of this app. */
export function scheduleFromCron(
  extra: Record<string, JsonValue>,
): { schedule: string; next: string | null; lastFire: string | null } | null {
  if (extra.cron_enabled !== true || typeof extra.cron_schedule !== 'string') return null;
  const next = typeof extra.next_cron_fire === 'string' ? (isoTime(extra.next_cron_fire) ?? null) : null;
  const lastFire = typeof extra.last_cron_fire === 'string' ? (isoTime(extra.last_cron_fire) ?? null) : null;
  return { schedule: extra.cron_schedule, next, lastFire };
}
