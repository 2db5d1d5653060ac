import { z } from 'zod';
import type { ScalarTag } from 'yaml';
import type { ContentRef } from '../../../shared/agency';

/**
 * Upstream workgraph's agency folder (`.wg/agency/`): one YAML file per entity,
 * named by its id, fields in the order of upstream's structs.
 */
export const LAYOUT = {
  components: 'primitives/components',
  outcomes: 'primitives/outcomes',
  tradeoffs: 'primitives/tradeoffs',
  roles: 'cache/roles',
  agents: 'cache/agents',
  evaluations: 'evaluations',
} as const;

const PRIMITIVE_HEAD = [
  'id',
  'name',
  'description',
  'quality',
  'domain_specificity',
  'domain',
  'scope',
  'origin_instance_id',
  'parent_content_hash',
];
const PRIMITIVE_TAIL = ['domain_tags', 'metadata', 'former_agents', 'former_deployments'];

export const FIELD_ORDER = {
  components: [...PRIMITIVE_HEAD, 'category', 'content', 'performance', 'lineage', 'access_control', ...PRIMITIVE_TAIL],
  outcomes: [
    ...PRIMITIVE_HEAD,
    'success_criteria',
    'performance',
    'lineage',
    'access_control',
    'requires_human_oversight',
    ...PRIMITIVE_TAIL,
  ],
  tradeoffs: [
    ...PRIMITIVE_HEAD,
    'acceptable_tradeoffs',
    'unacceptable_tradeoffs',
    'performance',
    'lineage',
    'access_control',
    ...PRIMITIVE_TAIL,
  ],
  roles: [
    'id',
    'name',
    'description',
    'component_ids',
    'outcome_id',
    'performance',
    'lineage',
    'default_context_scope',
    'default_exec_mode',
  ],
  agents: [
    'id',
    'role_id',
    'tradeoff_id',
    'name',
    'performance',
    'lineage',
    'capabilities',
    'rate',
    'capacity',
    'trust_level',
    'contact',
    'executor',
    'preferred_model',
    'preferred_provider',
    'deployment_history',
    'attractor_weight',
    'staleness_flags',
  ],
} as const;

export type EntityKind = keyof typeof FIELD_ORDER;

/** The fields this app models; everything else an upstream file holds is kept as it is. */
const MODELLED: Record<EntityKind, readonly string[]> = {
  components: ['id', 'name', 'description', 'scope', 'category', 'content', 'performance'],
  outcomes: ['id', 'name', 'description', 'scope', 'success_criteria', 'performance'],
  tradeoffs: ['id', 'name', 'description', 'scope', 'acceptable_tradeoffs', 'unacceptable_tradeoffs', 'performance'],
  roles: ['id', 'name', 'description', 'component_ids', 'outcome_id', 'default_context_scope', 'default_exec_mode', 'performance'],
  agents: [
    'id',
    'role_id',
    'tradeoff_id',
    'motivation_id',
    'name',
    'capabilities',
    'executor',
    'preferred_model',
    'preferred_provider',
    'performance',
  ],
};

/** serde_yaml writes ContentRef as a tagged scalar: `content: !name code-writing`. */
export const CONTENT_TAGS: ScalarTag[] = (['name', 'file', 'url', 'inline'] as const).map((kind) => ({
  tag: `!${kind}`,
  identify: () => false,
  resolve: (value: string): ContentRef => ({ kind, value }),
}));

/** As serde_yaml writes: block sequences flush with their key, no folding, single quotes where needed. */
export const WRITE_OPTIONS = { indentSeq: false, lineWidth: 0, singleQuote: true } as const;

const text = z.string();
const texts = z.array(z.string()).default([]);
const optionalText = z.string().nullish();
const contentRef = z.union([
  z.object({ kind: z.enum(['name', 'file', 'url', 'inline']), value: z.string() }),
  // A content written without a tag (`content: testing`) is a name.
  z.string().transform((value): ContentRef => ({ kind: 'name', value })),
]);

/** Lenient readers: upstream requires these fields; anything else is carried along untouched. */
export const READERS = {
  components: z.object({
    id: text,
    name: text,
    description: text,
    scope: optionalText,
    category: z.enum(['translated', 'enhanced', 'novel']).default('translated'),
    content: contentRef,
  }),
  outcomes: z.object({ id: text, name: text, description: text, scope: optionalText, success_criteria: texts }),
  tradeoffs: z.object({
    id: text,
    name: text,
    description: text,
    scope: optionalText,
    acceptable_tradeoffs: texts,
    unacceptable_tradeoffs: texts,
  }),
  roles: z.object({
    id: text,
    name: text,
    description: text,
    component_ids: texts,
    outcome_id: z.string().default(''),
    // Upstream's Role has no default for it: a role file without it (one cut off mid-write) is not read.
    performance: z.record(z.string(), z.unknown()),
    default_context_scope: optionalText,
    default_exec_mode: optionalText,
  }),
  agents: z
    .object({
      id: text,
      role_id: text,
      tradeoff_id: z.string().optional(),
      motivation_id: z.string().optional(),
      name: text,
      capabilities: texts,
      executor: z.string().default('claude'),
      preferred_model: optionalText,
      preferred_provider: optionalText,
    })
    .refine((a) => (a.tradeoff_id ?? a.motivation_id) !== undefined, { message: 'tradeoff_id is missing' }),
  evaluations: z
    .object({
      task_id: text,
      agent_id: z.string().default(''),
      role_id: z.string().default(''),
      tradeoff_id: z.string().optional(),
      motivation_id: z.string().optional(),
      score: z.number().optional(),
      value: z.number().optional(),
      dimensions: z.record(z.string(), z.number()).default({}),
      notes: z.string().optional(),
      reasoning: z.string().optional(),
      evaluator: z.string().optional(),
      evaluated_by: z.string().optional(),
      timestamp: text,
      model: optionalText,
      source: z.string().default('llm'),
      id: z.string().default(''),
      loop_iteration: z.number().int().nonnegative().default(0),
    })
    .refine((e) => (e.score ?? e.value) !== undefined, { message: 'score is missing' }),
};

/** The `created_at` an upstream file records (in its lineage), if any. */
export function lineageCreatedAt(raw: Record<string, unknown>): string | undefined {
  const lineage = raw.lineage;
  if (typeof lineage !== 'object' || lineage === null) return undefined;
  const created = (lineage as Record<string, unknown>).created_at;
  return typeof created === 'string' ? created : created instanceof Date ? created.toISOString() : undefined;
}

/** The fields of a parsed file this app does not model. */
export function extraOf(kind: EntityKind, raw: Record<string, unknown>): Record<string, unknown> {
  const modelled = new Set(MODELLED[kind]);
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !modelled.has(key)));
}

/** Upstream's struct order for a file: known fields where they belong, unknown ones after. */
export function ordered(kind: EntityKind, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of FIELD_ORDER[kind]) if (fields[key] !== undefined) out[key] = fields[key];
  for (const [key, value] of Object.entries(fields)) if (!(key in out) && value !== undefined) out[key] = value;
  return out;
}
