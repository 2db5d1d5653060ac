import { sql } from 'kysely';
import { PRIORITY_VALUES, type JsonValue } from '../../shared/task';
import { repeats } from '../graph/schedule';
import { recountAll } from '../store/dependency-writes';
import { importJsonl } from '../store/import-export';
import { MODELED, scheduleFromCron } from '../store/jsonl-format';
import type { StoreCore } from '../store/store-core';
import { holdDependentsOfDoneWhileWorking } from './done-while-working';
import type { Line, StoreChange } from './task-merge';

/*
 * Puts what graph.jsonl's side changed into the store, inside the sync's transaction. Lines go through
 * the import (its parsing, ids, priorities, times, cycles): a new task whole, a changed one as a line
 * of only the changed fields, which the import merges over the row. What the import never removes is
 * removed here: a field the line no longer has is cleared, dependencies and tags become exactly the
 * line's, a removed unmodeled field leaves `extra`, a removed cron ends the schedule made from it. Log
 * entries are only ever added.
 */

/** How upstream reads a field its line leaves out (serde defaults), for the fields this app models. */
const CLEARED: Record<string, JsonValue> = {
  description: null,
  status: 'open',
  priority: PRIORITY_VALUES.normal,
  paused: false,
  assigned: null,
  agent: null,
  model: null,
  exec: null,
  not_before: null,
  started_at: null,
  completed_at: null,
  artifacts: [],
  retry_count: 0,
  max_retries: null,
  rescue_count: 0,
  failure_reason: null,
  session_id: null,
  tags: [],
  after: [],
  blocked_by: [],
};

/** Upstream's cron fields are read together (jsonl-format `scheduleFromCron`): one changed brings the others. */
const CRON_FIELDS = ['cron_enabled', 'cron_schedule', 'next_cron_fire'];

export interface StoreEdit {
  id: string;
  change: StoreChange;
  /** The merged line (for `remove`, the line graph.jsonl had). */
  line: Line;
}

function partialLine(id: string, line: Line, fields: string[]): Line {
  const out: Line = { kind: 'task', id, title: line.title ?? id };
  const wanted = new Set(fields);
  if (fields.some((f) => CRON_FIELDS.includes(f))) for (const f of CRON_FIELDS) wanted.add(f);
  for (const field of wanted) {
    const value = line[field];
    if (value !== undefined) out[field] = value;
    else if (field in CLEARED) out[field] = CLEARED[field] as JsonValue;
  }
  return out;
}

function namesOf(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Dependencies and tags exactly as the line has them; true when anything was removed. */
async function trimRelations(core: StoreCore, id: string, line: Line, fields: string[]): Promise<boolean> {
  let removed = false;
  if (fields.includes('after') || fields.includes('blocked_by')) {
    const wanted = [...new Set([...namesOf(line.after), ...namesOf(line.blocked_by)])];
    for (const table of ['deps', 'loose_deps'] as const) {
      const gone = await core.run(
        core.build
          .deleteFrom(table)
          .where('task_id', '=', id)
          .where(core.fn.notInList(sql.ref('dep_id'), wanted)),
      );
      removed = gone.changes > 0 || removed;
    }
  }
  if (fields.includes('tags')) {
    await core.send(
      core.build
        .deleteFrom('task_tags')
        .where('task_id', '=', id)
        .where(core.fn.notInList(sql.ref('tag'), namesOf(line.tags))),
    );
  }
  return removed;
}

/** Fields the line no longer has that the import keeps: `extra` keys, and a `not_before` (read as "no change" when null). */
async function clearLeftovers(core: StoreCore, id: string, line: Line, fields: string[]): Promise<void> {
  const gone = fields.filter((f) => line[f] === undefined);
  const extraGone = gone.filter((f) => !MODELED.has(f));
  if (extraGone.length) {
    const row = await core.get(core.build.selectFrom('tasks').select('extra').where('id', '=', id));
    if (row) {
      const extra = JSON.parse(row.extra) as Record<string, JsonValue>;
      for (const f of extraGone) delete extra[f];
      await core.send(
        core.build
          .updateTable('tasks')
          .set({ extra: JSON.stringify(extra) })
          .where('id', '=', id),
      );
    }
  }
  if (gone.includes('not_before')) await core.send(core.build.updateTable('tasks').set({ not_before: null }).where('id', '=', id));
}

/**
 * A cron the line no longer has (upstream's `wg edit --cron ""` leaves its fields out): the import reads
 * absent fields as "no change", so the repeating schedule made from them would stay and the task would keep
 * running. Only a repeating schedule came from the cron; a one-off one, or no schedule, is left alone. The
 * next run of a repeating schedule is kept in `not_before` but is upstream's next_cron_fire, which the clear
 * removed too: `not_before` becomes the line's own one, the wait upstream keeps, or none.
 */
async function clearRemovedCron(core: StoreCore, id: string, line: Line, fields: string[]): Promise<void> {
  if (!fields.some((f) => CRON_FIELDS.includes(f)) || scheduleFromCron(line)) return;
  const row = await core.get(core.build.selectFrom('tasks').select('schedule').where('id', '=', id));
  if (!row?.schedule || !repeats(row.schedule)) return;
  const wait = typeof line.not_before === 'string' ? Date.parse(line.not_before) : Number.NaN;
  const notBefore = Number.isNaN(wait) ? null : new Date(wait).toISOString();
  await core.send(core.build.updateTable('tasks').set({ schedule: null, not_before: notBefore }).where('id', '=', id));
}

/**
 * A task graph.jsonl no longer has: its dependents keep their dependency on it (as on an id not in
 * the graph, which blocks, as upstream reads such a dependency), then it goes with its log and tags.
 */
async function removeTask(core: StoreCore, id: string, rev: number): Promise<void> {
  await core.send(
    core.build
      .insertInto('loose_deps')
      .columns(['task_id', 'dep_id', 'kind'])
      .expression((eb) =>
        eb
          .selectFrom('deps')
          .select(['task_id', 'dep_id', sql.lit('missing').as('kind')])
          .where('dep_id', '=', id),
      )
      .onConflict((oc) => oc.doNothing()),
  );
  await core.send(core.build.deleteFrom('tasks').where('id', '=', id));
  // A window asking what changed since before this gets every task instead (Store.snapshot).
  await core.send(
    core.build
      .insertInto('meta')
      .values({ key: 'tasks_removed_rev', value: rev })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
  );
}

/** Applies the edits; call inside the sync's write (of revision `rev`). */
export async function applyToStore(core: StoreCore, edits: StoreEdit[], rev: number): Promise<void> {
  await holdDependentsOfDoneWhileWorking(core, edits, rev);
  const lines: Line[] = [];
  for (const { id, change, line } of edits) {
    if (change.kind === 'add') lines.push(line);
    else if (change.kind === 'fields') lines.push(partialLine(id, line, change.fields));
  }
  if (lines.length) await importJsonl(core, lines.map((l) => JSON.stringify(l)).join('\n'));
  let recount = false;
  for (const { id, change, line } of edits) {
    if (change.kind === 'fields') {
      recount = (await trimRelations(core, id, line, change.fields)) || recount;
      await clearLeftovers(core, id, line, change.fields);
      await clearRemovedCron(core, id, line, change.fields);
    } else if (change.kind === 'remove') {
      await removeTask(core, id, rev);
      recount = true;
    }
  }
  if (recount) await recountAll(core);
}
