import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isScalar, parse } from 'yaml';
import type { AgencyTransfer, EvaluationRecord, Role } from '../../../shared/agency';
import type { Store } from '../../store/store';
import { upstreamEvaluation } from '../evaluation-shape';
import type { Extra } from '../../store/agency/agency-rows';
import { CONTENT_TAGS, FIELD_ORDER, LAYOUT, ordered, WRITE_OPTIONS, type EntityKind } from './yaml-shapes';
import { AgencyFolderWriter, fileText } from './synced-files';

interface EvaluationRef {
  score: number;
  task_id: string;
  timestamp: string;
  context_id: string;
}

/** Upstream's PerformanceRecord, recomputed from this store's evaluations. */
function performance(refs: readonly EvaluationRef[]): Record<string, unknown> {
  // A ref read from upstream's file may lack its score (mergedPerformance): it counts, but not in the average.
  const scores = refs.map((r) => r.score).filter((s): s is number => typeof s === 'number');
  return {
    task_count: refs.length,
    avg_score: scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
    ...(refs.length > 0 ? { evaluations: refs } : {}),
  };
}

/** The `performance` a YAML file's text records (undefined: no file, or one that does not parse). */
function performanceIn(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return (parse(text, { customTags: CONTENT_TAGS }) as { performance?: unknown } | null)?.performance;
  } catch {
    return undefined;
  }
}

/**
 * The performance a file about to be overwritten already records, with this store's evaluations added: upstream's
 * record is accumulated (its `wg agency pull --no-evaluations` brings entries without evaluation files), so an
 * entry this store has no evaluation for is kept, and one it has is not counted twice (upstream's
 * record_evaluation: the count and the list grow, the average is the list's).
 */
function mergedPerformance(onDisk: unknown, ours: Record<string, unknown>): Record<string, unknown> {
  const disk = (onDisk ?? {}) as { task_count?: unknown; evaluations?: unknown };
  const theirs = Array.isArray(disk.evaluations) ? (disk.evaluations as EvaluationRef[]) : [];
  if (theirs.length === 0 && typeof disk.task_count !== 'number') return ours;
  const key = (r: EvaluationRef) => `${r.task_id}\u0000${r.timestamp}\u0000${r.context_id}`;
  const known = new Set(theirs.map(key));
  const added = ((ours.evaluations as EvaluationRef[] | undefined) ?? []).filter((r) => !known.has(key(r)));
  return {
    ...performance([...theirs, ...added]),
    task_count: (typeof disk.task_count === 'number' ? disk.task_count : theirs.length) + added.length,
  };
}

function lineage(extra: Extra, createdAt: string): unknown {
  return extra.lineage ?? { generation: 0, created_by: 'human', created_at: createdAt };
}

/** Who each evaluation counts for, with upstream's context ids (record_evaluation). */
function refsBy(evaluations: readonly EvaluationRecord[], roles: ReadonlyMap<string, Role>) {
  const refs = new Map<string, EvaluationRef[]>();
  const add = (kind: EntityKind, id: string | null, e: EvaluationRecord, context: string | null) => {
    if (!id) return;
    const key = `${kind}:${id}`;
    const list = refs.get(key) ?? [];
    list.push({ score: e.score, task_id: e.task_id, timestamp: e.timestamp, context_id: context ?? '' });
    refs.set(key, list);
  };
  for (const e of evaluations) {
    add('agents', e.agent_id, e, e.role_id);
    add('roles', e.role_id, e, e.tradeoff_id);
    add('tradeoffs', e.tradeoff_id, e, e.role_id);
    const role = e.role_id ? roles.get(e.role_id) : undefined;
    for (const component of role?.component_ids ?? []) add('components', component, e, e.role_id);
    if (role?.outcome_id) add('outcomes', role.outcome_id, e, e.agent_id);
  }
  return (kind: EntityKind, id: string) => performance(refs.get(`${kind}:${id}`) ?? []);
}

const NONE = { extra: {} as Extra, created_at: '' };

/** Upstream's serde_json Evaluation, named as upstream names the file (or as the file it was imported from was named). */
function evaluationFile(e: EvaluationRecord): { name: string; body: Record<string, unknown> } {
  const body = upstreamEvaluation(e);
  // A name from the store is written only as a plain file name of the folder (a store may come from elsewhere).
  const kept = e.upstream_file !== null && /^[^/\\.][^/\\]*\.json$/.test(e.upstream_file) ? e.upstream_file : null;
  return { name: kept ?? `${body.id}.json`, body: { ...body } };
}

/**
 * Writes the project's agency as upstream's YAML folder, so `wg` of upstream workgraph reads the same
 * roles, tradeoffs and agents (with the same ids). Files of entities this store does not have are
 * left alone: the folder may be shared with upstream, which keeps primitives this app does not use. A file
 * upstream changed since this app last read or wrote it is kept and named in `skipped` (synced-files.ts), and the
 * performance a file records is added to, never dropped (mergedPerformance).
 */
export async function exportAgency(store: Store, dir: string): Promise<AgencyTransfer> {
  const { agency } = store;
  const roles = await agency.roles();
  const evaluations = await store.evaluations.all();
  const perf = refsBy(evaluations, new Map(roles.map((r) => [r.id, r])));
  const counts = { components: 0, outcomes: 0, tradeoffs: 0, roles: 0, agents: 0, evaluations: 0 };
  const files = await AgencyFolderWriter.open(store.core, dir);
  const write = (kind: EntityKind, id: string, fields: Record<string, unknown>) => {
    const folder = join(dir, LAYOUT[kind]);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, `${id}.yaml`);
    const before = fileText(path);
    const ours = fields.performance as Record<string, unknown>;
    const text = toYaml(kind, { ...fields, performance: mergedPerformance(performanceIn(before), ours) });
    if (files.write(path, text, before)) counts[kind]++;
  };
  const extras = (kind: EntityKind) => agency.extras(kind);
  const accessDefault = { owner: 'local', policy: 'open' };

  const componentExtras = await extras('components');
  for (const c of await agency.components()) {
    const { extra, created_at: created } = componentExtras.get(c.id) ?? NONE;
    write('components', c.id, {
      access_control: accessDefault,
      ...extra,
      id: c.id,
      name: c.name,
      description: c.description,
      scope: c.scope ?? undefined,
      category: c.category,
      content: c.content,
      performance: perf('components', c.id),
      lineage: lineage(extra, created),
    });
  }
  const outcomeExtras = await extras('outcomes');
  for (const o of await agency.outcomes()) {
    const { extra, created_at: created } = outcomeExtras.get(o.id) ?? NONE;
    write('outcomes', o.id, {
      access_control: accessDefault,
      requires_human_oversight: true,
      ...extra,
      id: o.id,
      name: o.name,
      description: o.description,
      scope: o.scope ?? undefined,
      success_criteria: o.success_criteria.length > 0 ? o.success_criteria : undefined,
      performance: perf('outcomes', o.id),
      lineage: lineage(extra, created),
    });
  }
  const tradeoffExtras = await extras('tradeoffs');
  for (const t of await agency.tradeoffs()) {
    const { extra } = tradeoffExtras.get(t.id) ?? NONE;
    write('tradeoffs', t.id, {
      access_control: accessDefault,
      ...extra,
      id: t.id,
      name: t.name,
      description: t.description,
      scope: t.scope ?? undefined,
      acceptable_tradeoffs: t.acceptable.length > 0 ? t.acceptable : undefined,
      unacceptable_tradeoffs: t.unacceptable.length > 0 ? t.unacceptable : undefined,
      performance: perf('tradeoffs', t.id),
      lineage: lineage(extra, t.created_at),
    });
  }
  const roleExtras = await extras('roles');
  for (const r of roles) {
    const { extra } = roleExtras.get(r.id) ?? NONE;
    write('roles', r.id, {
      ...extra,
      id: r.id,
      name: r.name,
      description: r.description,
      component_ids: r.component_ids.length > 0 ? r.component_ids : undefined,
      outcome_id: r.outcome_id,
      performance: perf('roles', r.id),
      lineage: lineage(extra, r.created_at),
      default_context_scope: r.default_context_scope ?? undefined,
      default_exec_mode: r.default_exec_mode ?? undefined,
    });
  }
  const agentExtras = await extras('agents');
  for (const a of await agency.identities()) {
    const { extra } = agentExtras.get(a.id) ?? NONE;
    write('agents', a.id, {
      attractor_weight: 0.5,
      ...extra,
      id: a.id,
      role_id: a.role_id,
      tradeoff_id: a.tradeoff_id,
      name: a.name,
      performance: perf('agents', a.id),
      lineage: lineage(extra, a.created_at),
      capabilities: a.capabilities.length > 0 ? a.capabilities : undefined,
      // Upstream leaves out its default executor.
      executor: a.executor === 'claude' ? undefined : a.executor,
      preferred_model: a.model ?? undefined,
      preferred_provider: a.provider ?? undefined,
    });
  }
  counts.evaluations = writeEvaluationFiles(files, dir, evaluations);
  await files.remember();
  return { path: dir, counts, skipped: files.skipped };
}

/** Upstream's evaluation files of `evaluations` in the agency folder `dir`, by the writer's rule; how many were written. */
export function writeEvaluationFiles(files: AgencyFolderWriter, dir: string, evaluations: readonly EvaluationRecord[]): number {
  const evalDir = join(dir, LAYOUT.evaluations);
  mkdirSync(evalDir, { recursive: true });
  let written = 0;
  for (const e of evaluations) {
    const file = evaluationFile(e);
    if (files.write(join(evalDir, file.name), `${JSON.stringify(file.body, null, 2)}\n`)) written++;
  }
  return written;
}

function toYaml(kind: EntityKind, fields: Record<string, unknown>): string {
  const content = fields.content as { kind: string; value: string } | undefined;
  const doc = new Document(ordered(kind, { ...fields, content: undefined }));
  if (content) {
    // serde_yaml's externally tagged enum: `content: !name code-writing`, in its place after `category`.
    const node = doc.createNode(content.value);
    node.tag = `!${content.kind}`;
    doc.set('content', node);
    const order = FIELD_ORDER[kind] as readonly string[];
    const map = doc.contents as unknown as { items: Array<{ key: unknown }> };
    const keyOf = (key: unknown) => String(isScalar(key) ? key.value : key);
    map.items.sort((a, b) => rank(order, keyOf(a.key)) - rank(order, keyOf(b.key)));
  }
  return doc.toString(WRITE_OPTIONS);
}

const rank = (order: readonly string[], key: string) => {
  const at = order.indexOf(key);
  return at === -1 ? order.length : at;
};
