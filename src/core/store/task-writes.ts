import { sql, type Updateable } from 'kysely';
import { filterAsync } from '../../shared/async-arrays';
import { PRIORITY_VALUES, type JsonValue, type TaskStatus } from '../../shared/task';
import { conflict, invalid } from '../../shared/errors';
import { closestName } from '../../shared/closest-name';
import { nextDue } from '../graph/schedule';
import { slugify, uniqueId } from '../graph/slug';
import {
  addMissingDependency,
  linkDependency,
  looseDependenciesOf,
  taskAppeared,
  unlinkDependency,
  updateDependents,
} from './dependency-writes';
import { updateExtra, withExtraChanges, withPlannedFields, writePlannedFields, type PlannedFields } from './planned-fields';
import { allDone } from './in-flight';
import type { TasksTable } from './query/tables';
import type { StoreCore } from './store-core';
import { dependenciesOf, findTaskRow, idsLike, requireTaskRow, type TaskState } from './task-reads';

/* Low-level row changes used inside one `core.write` transaction. They keep `blockers` true to the rule. */

export interface NewTask extends PlannedFields {
  title: string;
  id?: string;
  description?: string;
  after?: string[];
  tags?: string[];
  /** Upstream's number (PRIORITY_VALUES for the named levels). */
  priority?: number;
  model?: string;
  executor?: string;
  exec?: string;
  repo?: string;
  role?: string;
  schedule?: string;
  paused?: boolean;
  maxRetries?: number;
  /** Who it is for (upstream's `--assign`): the coordinator leaves it to them. */
  assigned?: string;
  /** Not started before this time (ISO; upstream's `--delay` / `--not-before`). */
  notBefore?: string;
  /** A dependency not in the graph yet is kept as a forward reference (upstream's `--allow-phantom`), as a paused task's is. */
  allowPhantom?: boolean;
  /** Upstream's fields kept in `extra` by their graph.jsonl names (`skills`, `verify`, …): a value sets one, null removes it. */
  extra?: Record<string, JsonValue | null>;
}

/** A change of a task; `schedule: null` clears its schedule (and the time it waits for). */
export type TaskPatch = Omit<
  NewTask,
  'id' | 'title' | 'paused' | 'schedule' | 'assigned' | 'notBefore' | 'model' | 'executor' | 'exec' | 'maxRetries'
> & {
  title?: string;
  /** Null clears it (`wg edit --clear FIELD`): the project's default applies again. */
  model?: string | null;
  executor?: string | null;
  exec?: string | null;
  maxRetries?: number | null;
  schedule?: string | null;
  /** Null clears it (upstream's `wg reschedule` without a time). */
  notBefore?: string | null;
};

/** A log line; `interaction` false for a line that records what did not happen (a refused report), which changes nothing people see. */
export async function appendLog(core: StoreCore, id: string, actor: string, message: string, interaction = true): Promise<void> {
  await core.send(core.build.insertInto('task_log').values({ task_id: id, timestamp: core.nowIso(), actor, message }));
  if (interaction) core.noteInteraction(id);
}

export async function touch(core: StoreCore, id: string, rev: number): Promise<void> {
  await core.send(core.build.updateTable('tasks').set({ rev }).where('id', '=', id));
}

/**
 * Every dependency named exists, else one line in upstream's words (its phantom-edge tests look for "does not exist",
 * the nearest id and the flags that allow a task not made yet): `allowedBy` names those flags.
 */
async function requireDependencies(core: StoreCore, ids: readonly string[], allowedBy: string): Promise<void> {
  await refuseMissing(core, ids, await presentIds(core, ids), allowedBy);
}

/** Which of `ids` are tasks in the graph: one statement, one parameter however many they are (`inList`). */
async function presentIds(core: StoreCore, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await core.all(
    core.build
      .selectFrom('tasks')
      .select('id')
      .where(core.fn.inList(sql.ref('id'), ids)),
  );
  return new Set(rows.map((row) => row.id));
}

async function refuseMissing(core: StoreCore, ids: readonly string[], present: ReadonlySet<string>, allowedBy: string): Promise<void> {
  const missing = ids.find((id) => !present.has(id));
  if (missing === undefined) return;
  const all = (await core.all(core.build.selectFrom('tasks').select('id'))).map((row) => row.id);
  const near = closestName(missing, all);
  throw invalid(
    `dependency '${missing}' does not exist${near ? ` (did you mean '${near}'?)` : ''}; ${allowedBy} lets a task name one made later`,
  );
}

async function setTags(core: StoreCore, id: string, tags: readonly string[]): Promise<void> {
  await core.send(core.build.deleteFrom('task_tags').where('task_id', '=', id));
  for (const tag of tags) {
    await core.send(
      core.build
        .insertInto('task_tags')
        .values({ task_id: id, tag })
        .onConflict((oc) => oc.doNothing()),
    );
  }
}

function scheduleStart(core: StoreCore, schedule: string | null | undefined): string | null {
  return schedule ? nextDue(schedule, core.clock()).toISOString() : null;
}

/** An UPDATE of one task's columns, given by name (each a column of `tasks`). */
function setColumns(core: StoreCore, id: string, columns: Readonly<Record<string, string | number | null>>) {
  return core.build
    .updateTable('tasks')
    .set(columns as Updateable<TasksTable>)
    .where('id', '=', id);
}

/**
 * On PostgreSQL, inside a write about to change `row` as it was read (a coordinator's claim): the transaction fails at
 * the server unless the row's status and holder are still as read, after waiting for any other transaction's change
 * of it (FOR UPDATE). Every write holds the project's lock, so this never fires while that holds; it makes a task
 * claimed twice by two coordinators impossible whatever let a read go stale. Sent with what follows (no round trip of
 * its own). SQLite's write lock makes the read and the write one moment.
 */
export async function failUnlessAsRead(core: StoreCore, row: Pick<TaskState, 'id' | 'status' | 'assigned'>): Promise<void> {
  if (core.kind !== 'postgres') return;
  await core.send(
    core.build
      .selectFrom('tasks')
      .select(
        sql<number>`1 / (CASE WHEN status = ${row.status} AND assigned IS NOT DISTINCT FROM ${row.assigned} THEN 1 ELSE 0 END)`.as(
          'as_read',
        ),
      )
      .where('id', '=', row.id)
      .forUpdate(),
  );
}

export async function insertTask(core: StoreCore, input: NewTask, rev: number): Promise<string> {
  const wanted = [...new Set(input.after ?? [])];
  if (input.id && wanted.includes(input.id)) throw invalid(`Task '${input.id}' cannot block itself`);
  const given = input.id;
  const base = given ? '' : slugify(input.title);
  // Asked for together (one round trip on PostgreSQL, where each was one of its own): which dependencies named are in
  // the graph, whether the id given is taken (or which ids the title's would meet), and the task's number.
  const [present, taken, seq] = await allDone<[Set<string>, (id: string) => boolean, number]>([
    presentIds(core, wanted),
    given ? findTaskRow(core, given).then((row) => (id: string) => row !== undefined && id === given) : idsLike(core, base),
    core.bump('task_seq'),
  ]);
  // A paused task may name dependencies not made yet: upstream checks them when it is published.
  const notYet = input.paused || input.allowPhantom ? wanted.filter((dep) => !present.has(dep)) : [];
  const after = wanted.filter((dep) => !notYet.includes(dep));
  await refuseMissing(core, after, present, '--paused or --allow-phantom');
  if (given && taken(given)) throw conflict(`task '${given}' already exists`);
  const id = given || uniqueId(base, taken);
  if (notYet.includes(id)) throw invalid(`task '${id}' cannot depend on itself`);
  const extra = withExtraChanges(withPlannedFields({}, input) ?? {}, input.extra ?? {});
  await core.send(
    core.build.insertInto('tasks').values({
      id,
      seq,
      title: input.title,
      description: input.description ?? '',
      status: 'open',
      paused: input.paused ? 1 : 0,
      priority: input.priority ?? PRIORITY_VALUES.normal,
      model: input.model ?? null,
      executor: input.executor ?? null,
      exec: input.exec ?? null,
      repo: input.repo ?? null,
      role: input.role ?? null,
      schedule: input.schedule ?? null,
      not_before: input.notBefore ?? scheduleStart(core, input.schedule),
      created_at: core.nowIso(),
      max_retries: input.maxRetries ?? null,
      assigned: input.assigned ?? null,
      extra: JSON.stringify(extra),
      rev,
    }),
  );
  // A new task has no dependents, so none of its dependencies can close a cycle: its edges and forward references go
  // in as they are, and its blockers are counted by the rule at the server, with no look at its dependencies first.
  if (after.length > 0) await core.send(core.build.insertInto('deps').values(after.map((dep) => ({ task_id: id, dep_id: dep }))));
  if (notYet.length > 0) {
    await core.send(
      core.build.insertInto('loose_deps').values(notYet.map((dep) => ({ task_id: id, dep_id: dep, kind: 'missing' as const }))),
    );
  }
  if (wanted.length > 0)
    await core.send(core.build.updateTable('tasks').set({ blockers: core.ready.blockersOfRow, rev }).where('id', '=', id));
  await setTags(core, id, input.tags ?? []);
  await taskAppeared(core, id, rev);
  core.noteInteraction(id);
  return id;
}

const PATCHABLE = {
  title: 'title',
  description: 'description',
  model: 'model',
  executor: 'executor',
  exec: 'exec',
  repo: 'repo',
  role: 'role',
  maxRetries: 'max_retries',
} as const;

export async function patchTask(core: StoreCore, id: string, patch: TaskPatch, rev: number): Promise<void> {
  await requireTaskRow(core, id);
  for (const [field, column] of Object.entries(PATCHABLE)) {
    const value = patch[field as keyof typeof PATCHABLE];
    if (value !== undefined) await core.send(setColumns(core, id, { [column]: value }));
  }
  if (patch.priority !== undefined) await core.send(setColumns(core, id, { priority: patch.priority }));
  if (patch.schedule !== undefined) {
    await core.send(setColumns(core, id, { schedule: patch.schedule, not_before: scheduleStart(core, patch.schedule) }));
  }
  if (patch.notBefore !== undefined) await core.send(setColumns(core, id, { not_before: patch.notBefore }));
  if (patch.tags !== undefined) await setTags(core, id, patch.tags);
  await writePlannedFields(core, id, patch);
  if (patch.extra) await updateExtra(core, id, patch.extra);
  if (patch.after !== undefined) {
    const wanted = new Set(patch.after);
    // A dependency kept from an import (not an edge) may stay as it is; a new one must exist, unless forward references are allowed.
    const missing = new Set(await looseDependenciesOf(core, id));
    const phantoms = patch.allowPhantom
      ? await filterAsync([...wanted], async (dep) => !missing.has(dep) && !(await findTaskRow(core, dep)))
      : [];
    if (phantoms.includes(id)) throw invalid(`task '${id}' cannot depend on itself`);
    await requireDependencies(
      core,
      [...wanted].filter((dep) => !missing.has(dep) && !phantoms.includes(dep)),
      '--allow-phantom',
    );
    for (const dep of [...(await dependenciesOf(core, id)), ...missing]) if (!wanted.has(dep)) await unlinkDependency(core, id, dep, rev);
    for (const dep of wanted) if (!missing.has(dep) && !phantoms.includes(dep)) await linkDependency(core, id, dep, rev);
    for (const dep of phantoms) await addMissingDependency(core, id, dep, rev);
  }
  await touch(core, id, rev);
  core.noteInteraction(id);
}

export interface Transition {
  status?: TaskStatus;
  assigned?: string | null;
  agent?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  failure_reason?: string | null;
  retry_count?: number;
  rescue_count?: number;
  eval_attempts?: number;
  paused?: boolean;
  artifacts?: string[];
  results?: Record<string, JsonValue>;
  evaluation?: string | null;
  not_before?: string | null;
  session_id?: string | null;
}

type PlainColumn = Exclude<keyof Transition, 'status' | 'paused' | 'artifacts' | 'results'>;

/** The columns of a transition stored as given (a Record: the compiler wants every one listed). */
const PLAIN_COLUMNS = Object.keys({
  assigned: true,
  agent: true,
  started_at: true,
  completed_at: true,
  failure_reason: true,
  retry_count: true,
  evaluation: true,
  not_before: true,
  session_id: true,
  rescue_count: true,
  eval_attempts: true,
} satisfies Record<PlainColumn, true>) as PlainColumn[];

/**
 * A task opened again for another attempt: open, no one's, not started. Every way of reopening (a retry, a requeue, a
 * killed or dead run's task, a rescue, a reset) goes through here; what it keeps or clears beside (its failure, its
 * session, its counts, a pause) is in `beside`.
 */
export async function reopen(
  core: StoreCore,
  row: TaskState,
  rev: number,
  beside: Omit<Transition, 'status' | 'assigned' | 'started_at'> = {},
): Promise<void> {
  await transition(core, row, { ...beside, status: 'open', assigned: null, started_at: null }, rev);
}

/** Applies a state transition to one task in one UPDATE; a status change also moves its dependents' blocker counts. */
export async function transition(core: StoreCore, row: TaskState, change: Transition, rev: number): Promise<void> {
  // One UPDATE for the row (a coordinator makes two transitions per run), its columns in a fixed order
  // and without object spreads (which take V8's slow path for each key added).
  const columns: Record<string, string | number | null> = {};
  const set = (name: string, value: string | number | null) => {
    columns[name] = value;
  };
  // A key given as undefined clears its column, as null does.
  for (const name of PLAIN_COLUMNS) if (name in change) set(name, change[name] ?? null);
  set('rev', rev);
  const { status, paused, artifacts, results } = change;
  const changesStatus = status !== undefined && status !== row.status;
  if (changesStatus) set('status', status);
  if (paused !== undefined) set('paused', paused ? 1 : 0);
  if (artifacts !== undefined) set('artifacts', JSON.stringify(artifacts));
  if (results !== undefined) set('results', JSON.stringify(results));
  await core.send(setColumns(core, row.id, columns));
  core.noteInteraction(row.id);
  if (changesStatus) await updateDependents(core, row.id, row.status, status, rev);
}
