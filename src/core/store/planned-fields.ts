import type { JsonValue } from '../../shared/task';
import type { StoreCore } from './store-core';

/**
 * Upstream's planning fields, set by `wg add`/`wg edit` (`--hours`, `--cost`, `--input`, `--deliverable`):
 * kept where an import keeps them, in `extra` under upstream's names (`estimate: {hours, cost}`, `inputs`,
 * `deliverables`), so `wg cost`, `wg critical-path` and `wg context` read them (graph/analysis/task-index.ts)
 * and export and the graph.jsonl sync write them as upstream has them.
 */
export interface PlannedFields {
  hours?: number;
  cost?: number;
  inputs?: string[];
  deliverables?: string[];
}

function isObject(value: JsonValue | undefined): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `extra` with the fields given written in (an estimate keeps the half not given); null: none given. */
export function withPlannedFields(extra: Readonly<Record<string, JsonValue>>, fields: PlannedFields): Record<string, JsonValue> | null {
  const { hours, cost, inputs, deliverables } = fields;
  if (hours === undefined && cost === undefined && inputs === undefined && deliverables === undefined) return null;
  const changed = { ...extra };
  if (hours !== undefined || cost !== undefined) {
    const estimate = isObject(changed.estimate) ? { ...changed.estimate } : {};
    if (hours !== undefined) estimate.hours = hours;
    if (cost !== undefined) estimate.cost = cost;
    changed.estimate = estimate;
  }
  if (inputs !== undefined) changed.inputs = inputs;
  if (deliverables !== undefined) changed.deliverables = deliverables;
  return changed;
}

/** `extra` with keys set (a value) or removed (null), the rest kept. */
export function withExtraChanges(
  extra: Readonly<Record<string, JsonValue>>,
  changes: Readonly<Record<string, JsonValue | null>>,
): Record<string, JsonValue> {
  const changed = { ...extra };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete changed[key];
    else changed[key] = value;
  }
  return changed;
}

/** Writes the fields given (withPlannedFields). Call inside a write; false: none given. */
export async function writePlannedFields(core: StoreCore, id: string, fields: PlannedFields): Promise<boolean> {
  if (withPlannedFields({}, fields) === null) return false;
  const extra = withPlannedFields(await extraOf(core, id), fields) ?? {};
  await core.send(
    core.build
      .updateTable('tasks')
      .set({ extra: JSON.stringify(extra) })
      .where('id', '=', id),
  );
  return true;
}

/**
 * Sets (a value) or removes (null) keys of a task's `extra`, the rest kept. Call inside a write. `current`: the task's
 * extra as this write already asked for it (extraOf), else it is read here.
 */
export async function updateExtra(
  core: StoreCore,
  id: string,
  changes: Readonly<Record<string, JsonValue | null>>,
  current?: Promise<Record<string, JsonValue>>,
): Promise<void> {
  const extra = withExtraChanges(await (current ?? extraOf(core, id)), changes);
  await core.send(
    core.build
      .updateTable('tasks')
      .set({ extra: JSON.stringify(extra) })
      .where('id', '=', id),
  );
}

/** A task's `extra`, as an object ({} for a task not found). */
export async function extraOf(core: StoreCore, id: string): Promise<Record<string, JsonValue>> {
  const row = await core.get(core.build.selectFrom('tasks').select('extra').where('id', '=', id));
  return JSON.parse(row?.extra ?? '{}') as Record<string, JsonValue>;
}
