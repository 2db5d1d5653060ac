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

/** Writes the fields given (an estimate keeps the half not given). Call inside a write; false: none given. */
export async function writePlannedFields(core: StoreCore, id: string, fields: PlannedFields): Promise<boolean> {
  const { hours, cost, inputs, deliverables } = fields;
  if (hours === undefined && cost === undefined && inputs === undefined && deliverables === undefined) return false;
  const row = await core.get(core.build.selectFrom('tasks').select('extra').where('id', '=', id));
  const extra = JSON.parse(row?.extra ?? '{}') as Record<string, JsonValue>;
  if (hours !== undefined || cost !== undefined) {
    const estimate = isObject(extra.estimate) ? { ...extra.estimate } : {};
    if (hours !== undefined) estimate.hours = hours;
    if (cost !== undefined) estimate.cost = cost;
    extra.estimate = estimate;
  }
  if (inputs !== undefined) extra.inputs = inputs;
  if (deliverables !== undefined) extra.deliverables = deliverables;
  await core.send(
    core.build
      .updateTable('tasks')
      .set({ extra: JSON.stringify(extra) })
      .where('id', '=', id),
  );
  return true;
}

/** Sets (a value) or removes (null) keys of a task's `extra`, the rest kept. Call inside a write. */
export async function updateExtra(core: StoreCore, id: string, changes: Readonly<Record<string, JsonValue | null>>): Promise<void> {
  const row = await core.get(core.build.selectFrom('tasks').select('extra').where('id', '=', id));
  const extra = JSON.parse(row?.extra ?? '{}') as Record<string, JsonValue>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete extra[key];
    else extra[key] = value;
  }
  await core.send(
    core.build
      .updateTable('tasks')
      .set({ extra: JSON.stringify(extra) })
      .where('id', '=', id),
  );
}
