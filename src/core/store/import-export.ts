import { type Insertable, sql, type UpdateObject } from 'kysely';
import { isSystemTaskId, PRIORITY_VALUES, type JsonValue } from '../../shared/task';
import { backEdgesFrom, loopsOf } from '../graph/analysis/loops';
import { nextDue } from '../graph/schedule';
import { recountAll } from './dependency-writes';
import { parseLine, scheduleFromCron, totalsFromTokenUsage, type ImportedTask } from './jsonl-format';
import type { TaskRow } from './rows';
import type { StoreCore } from './store-core';
import type { Tables, TasksTable } from './query/tables';
import { findTaskRow } from './task-reads';
import { highestAgentNumber, raiseAgentSeq } from './agent-records';

export { exportJsonl } from './jsonl-export';

export interface ImportResult {
  imported: number;
  updated: number;
  /** Dependencies that close a cycle (upstream allows loops): kept as back edges that do not block, "task -> dependency". */
  loops: string[];
}

/**
 * Reads a graph.jsonl (upstream's or this app's) and MERGES it into the store in one transaction:
 * what a line says is written; nothing the file does not mention is removed (another task's
 * dependency on an imported task, log entries, tags, fields the line leaves out). Ids follow the
 * rule of every other command; a dependency on an id not in the graph is kept and blocks, as
 * upstream treats it. A bad line refuses the whole file, naming the line.
 */
export async function importJsonl(core: StoreCore, jsonl: string): Promise<ImportResult> {
  const { tasks, nodes } = parseJsonl(jsonl);
  return core.write(async (rev) => {
    const now = core.nowIso();
    const found = await rowsOf(core, [...new Set(tasks.map((task) => task.id))]);
    const fresh = new Set(tasks.map((task) => task.id).filter((id) => !found.has(id))).size;
    // The new tasks' numbers, in the file's order, taken at once.
    let seq = fresh > 0 ? await core.take('task_seq', fresh) : 0;
    const seen = new Set<string>();
    let updated = 0;
    // Upstream reads a repeated id as a later definition of the same task: merging in order does the same (a repeated
    // line merges into what the line before it wrote).
    let rows: Array<Insertable<TasksTable>> = [];
    for (const task of tasks) {
      const again = seen.has(task.id);
      if (again) {
        await writeTaskRows(core, rows);
        rows = [];
      }
      const existing = again ? await findTaskRow(core, task.id) : found.get(task.id);
      if (existing && !again) updated++;
      seen.add(task.id);
      rows.push(taskRow(core, task, existing, existing ? existing.seq : seq++, rev, now));
    }
    await writeTaskRows(core, rows);
    await linkImported(core, tasks);
    let nodeSeq = nodes.length > 0 ? await core.take('task_seq', nodes.length) : 0;
    for (const { id, node } of nodes) {
      const seq = nodeSeq++;
      await core.send(
        core.build
          .insertInto('other_nodes')
          .values({ id, seq, node: JSON.stringify(node) })
          .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ node: eb.ref('excluded.node') }))),
      );
    }
    const loops = await keepCyclesAsBackEdges(core);
    await raiseAgentSeq(core, highestAgentNumber(tasks.map((task) => task.fields.assigned)));
    // Work to merge goes with the done it was held for: a line that takes a task out of done lets it go, as a status
    // change here does (dependency-writes.ts updateDependents).
    await core.send(
      core.build
        .updateTable('worktrees')
        .set({ merge_at_end: 0, rev })
        .where('merge_at_end', '=', 1)
        .where('task_id', 'in', (eb) => eb.selectFrom('tasks').select('id').where('status', '<>', 'done')),
    );
    await recountAll(core);
    return { imported: seen.size - updated, updated, loops };
  });
}

/**
 * The tasks and other nodes of a JSONL text, read exactly as the import reads them: what a person's token may import is
 * judged on these (person-authority.ts), never on a reading of its own that could see a line otherwise. Throws on a
 * bad line, naming it.
 */
export function parseJsonl(jsonl: string): { tasks: ImportedTask[]; nodes: Array<{ id: string; node: Record<string, JsonValue> }> } {
  const tasks: ImportedTask[] = [];
  const nodes: Array<{ id: string; node: Record<string, JsonValue> }> = [];
  jsonl.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const parsed = parseLine(trimmed, index + 1);
    if (parsed.kind === 'task') tasks.push(parsed.task);
    else if (parsed.kind === 'node') nodes.push(parsed);
  });
  return { tasks, nodes };
}

type Value = string | number | null;

/** The line's value for a column, or the row's when the line does not say. */
function pick<T extends Value>(given: T | undefined, kept: T | undefined, fallback: T): T {
  if (given !== undefined) return given;
  return kept !== undefined ? kept : fallback;
}

/** The rows of the tasks with these ids that the store has, by id: a few statements however many there are. */
async function rowsOf(core: StoreCore, ids: readonly string[]): Promise<Map<string, TaskRow>> {
  const rows = new Map<string, TaskRow>();
  for (const part of inParts(ids, 1)) {
    for (const row of await core.all(core.build.selectFrom('tasks').selectAll().where('id', 'in', part).$castTo<TaskRow>()))
      rows.set(row.id, row);
  }
  return rows;
}

/** The row a line makes of its task: what the line says, else what the store's row has, else the default. */
function taskRow(
  core: StoreCore,
  task: ImportedTask,
  row: TaskRow | undefined,
  seq: number,
  rev: number,
  now: string,
): Insertable<TasksTable> {
  const f = task.fields;
  const extra = { ...(row ? (JSON.parse(row.extra) as Record<string, JsonValue>) : {}), ...task.extra };
  const cron = f.schedule === undefined ? scheduleFromCron(task.extra) : null;
  const totals = totalsFromTokenUsage(task.extra.token_usage);
  const schedule = cron?.schedule ?? f.schedule;
  // A cron task upstream holds back by a not_before as well waits for both, as upstream's (the later of the two).
  const given = f.not_before_iso ?? undefined;
  const next = cron?.next ?? undefined;
  let notBefore = given !== undefined && next !== undefined ? (given > next ? given : next) : (given ?? next);
  if (notBefore === undefined && cron && !row) {
    // As upstream's is_cron_due: a run missed since the last fire is due now, not at the next slot.
    const lastFire = cron.lastFire ? new Date(cron.lastFire) : null;
    notBefore = nextDue(cron.schedule, lastFire && !Number.isNaN(lastFire.getTime()) ? lastFire : core.clock()).toISOString();
  }
  const values: Record<string, Value> = {
    title: task.title,
    description: pick(f.description === null ? '' : f.description, row?.description, ''),
    status: pick(f.status, row?.status, 'open'),
    paused: pick(f.paused === undefined || f.paused === null ? undefined : f.paused ? 1 : 0, row?.paused, 0),
    priority: pick(f.priority_number, row?.priority, PRIORITY_VALUES.normal),
    model: pick(f.model, row?.model, null),
    executor: pick(f.executor, row?.executor, null),
    exec: pick(f.exec, row?.exec, null),
    repo: pick(f.repo, row?.repo, null),
    role: pick(f.role, row?.role, null),
    schedule: pick(schedule, row?.schedule, null),
    not_before: pick(notBefore, row?.not_before, null),
    assigned: pick(f.assigned, row?.assigned, null),
    agent: pick(f.agent, row?.agent, null),
    created_at: pick(f.created_at ?? undefined, row?.created_at, now),
    started_at: pick(f.started_at, row?.started_at, null),
    completed_at: pick(f.completed_at, row?.completed_at, null),
    artifacts: pick(f.artifacts ? JSON.stringify(f.artifacts) : undefined, row?.artifacts, '[]'),
    results: pick(f.results ? JSON.stringify(f.results) : undefined, row?.results, '{}'),
    retry_count: pick(f.retry_count ?? undefined, row?.retry_count, 0),
    max_retries: pick(f.max_retries, row?.max_retries, null),
    rescue_count: pick(f.rescue_count ?? undefined, row?.rescue_count, 0),
    failure_reason: pick(f.failure_reason, row?.failure_reason, null),
    evaluation: pick(
      f.evaluation
        ? JSON.stringify({
            ...f.evaluation,
            evaluator: f.evaluation.evaluator ?? null,
            notes: f.evaluation.notes ?? null,
            timestamp: f.evaluation.timestamp ?? now,
          })
        : undefined,
      row?.evaluation,
      null,
    ),
    session_id: pick(f.session_id, row?.session_id, null),
    cost_usd: pick(f.cost_usd ?? totals?.cost_usd, row?.cost_usd, 0),
    tokens_in: pick(f.tokens_in ?? totals?.tokens_in, row?.tokens_in, 0),
    tokens_out: pick(f.tokens_out ?? totals?.tokens_out, row?.tokens_out, 0),
    extra: JSON.stringify(extra),
  };
  return { id: task.id, seq, rev, ...values } as Insertable<TasksTable>;
}

/** Writes the tasks' rows, new or merged, a few hundred to a statement (no id twice among them: an upsert would refuse it). */
async function writeTaskRows(core: StoreCore, rows: ReadonlyArray<Insertable<TasksTable>>): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first) as Array<keyof TasksTable>;
  const changed = columns.filter((column) => column !== 'id' && column !== 'seq');
  for (const part of inParts(rows, columns.length)) {
    await core.send(
      core.build
        .insertInto('tasks')
        .values(part)
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet(Object.fromEntries(changed.map((c) => [c, sql.ref(`excluded.${c}`)])) as UpdateObject<Tables, 'tasks'>),
        ),
    );
  }
}

/**
 * The most values one statement of the import binds (SQLite allows 32,766, PostgreSQL 65,535): a line's lists are
 * written in statements of at most this many values, however long they grow.
 */
const MAX_VALUES = 10_000;

function inParts<T>(items: readonly T[], perItem: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_VALUES / perItem));
  const parts: T[][] = [];
  for (let start = 0; start < items.length; start += size) parts.push(items.slice(start, start + size));
  return parts;
}

/** Two ids as one key of a set (a NUL is in no id). */
const pair = (a: string, b: string) => `${a}\u0000${b}`;

/**
 * Adds each line's dependencies, tags and log entries to what its task has (never removes any). The whole file is read
 * and written a few statements at a time, not a statement or two a task or an item: `wg import` of a graph of thousands,
 * and graph.jsonl's sync, which merges each changed line again (one of upstream's tasks can wait on hundreds of others
 * and carry as many log entries). On PostgreSQL each read is a round trip.
 */
async function linkImported(core: StoreCore, tasks: readonly ImportedTask[]): Promise<void> {
  const ids = [...new Set(tasks.map((task) => task.id))];
  // A dependency the store keeps aside (a loop's back edge, a missing task's) stays where it is.
  const aside = new Set<string>();
  for (const part of inParts(ids, 1)) {
    const rows = await core.all(core.build.selectFrom('loose_deps').select(['task_id', 'dep_id']).where('task_id', 'in', part));
    for (const row of rows) aside.add(pair(row.task_id, row.dep_id));
  }
  const named = [...new Set(tasks.flatMap((task) => task.after))];
  const existing = new Set<string>();
  for (const part of inParts(named, 1)) {
    for (const { id } of await core.all(core.build.selectFrom('tasks').select('id').where('id', 'in', part))) existing.add(id);
  }
  const deps: Array<{ task_id: string; dep_id: string }> = [];
  const missing: Array<{ task_id: string; dep_id: string; kind: string }> = [];
  const tags: Array<{ task_id: string; tag: string }> = [];
  const listed = new Set<string>();
  for (const task of tasks) {
    for (const dep of task.after) {
      const key = pair(task.id, dep);
      if (aside.has(key) || listed.has(key)) continue;
      listed.add(key);
      // A dependency on an id not in the graph is kept and blocks, as upstream treats it.
      if (existing.has(dep)) deps.push({ task_id: task.id, dep_id: dep });
      else missing.push({ task_id: task.id, dep_id: dep, kind: 'missing' });
    }
    for (const tag of task.fields.tags ?? []) tags.push({ task_id: task.id, tag });
  }
  for (const part of inParts(deps, 2))
    await core.send(
      core.build
        .insertInto('deps')
        .values(part)
        .onConflict((oc) => oc.doNothing()),
    );
  for (const part of inParts(missing, 3)) {
    await core.send(
      core.build
        .insertInto('loose_deps')
        .values(part)
        .onConflict((oc) => oc.doNothing()),
    );
  }
  // A task imported now may be the one an earlier dependency named: the edge becomes real.
  for (const part of inParts(ids, 1)) {
    await core.send(
      core.build
        .insertInto('deps')
        .columns(['task_id', 'dep_id'])
        .expression((eb) =>
          eb.selectFrom('loose_deps').select(['task_id', 'dep_id']).where('dep_id', 'in', part).where('kind', '=', 'missing'),
        )
        .onConflict((oc) => oc.doNothing()),
    );
    await core.send(core.build.deleteFrom('loose_deps').where('dep_id', 'in', part).where('kind', '=', 'missing'));
  }
  for (const part of inParts(tags, 2))
    await core.send(
      core.build
        .insertInto('task_tags')
        .values(part)
        .onConflict((oc) => oc.doNothing()),
    );
  await addLogEntries(core, tasks);
}

/** The lines' log entries their tasks do not have yet (the same time, actor and message), in the file's order. */
async function addLogEntries(core: StoreCore, tasks: readonly ImportedTask[]): Promise<void> {
  const entryKey = (id: string, e: { timestamp: string; actor: string; message: string }) =>
    JSON.stringify([id, e.timestamp, e.actor, e.message]);
  const logged = [...new Set(tasks.filter((task) => task.log.length > 0).map((task) => task.id))];
  const known = new Set<string>();
  for (const part of inParts(logged, 1)) {
    const rows = await core.all(
      core.build.selectFrom('task_log').select(['task_id', 'timestamp', 'actor', 'message']).where('task_id', 'in', part),
    );
    for (const row of rows) known.add(entryKey(row.task_id, row));
  }
  const added = tasks.flatMap((task) =>
    task.log.flatMap((e) => {
      const key = entryKey(task.id, e);
      if (known.has(key)) return [];
      known.add(key);
      return [{ task_id: task.id, timestamp: e.timestamp, actor: e.actor, message: e.message, user: e.user }];
    }),
  );
  for (const part of inParts(added, 5)) await core.send(core.build.insertInto('task_log').values(part));
}

/**
 * Upstream graphs may loop (structural cycles, with their `cycle_config` kept in `extra`). Each loop's
 * back edges are chosen as upstream's cycle analysis chooses them (its extract_cycle_metadata,
 * which its `wg ready` exempts): the loop's header is the member a task outside it leads to (the first
 * by id when several do, or none), and every edge a depth-first walk from the header, over dependents
 * in id order, finds closing onto its own path is a back edge. So the header starts, and each member
 * after it in turn. A back edge is kept and written back, not counted; this app does not run further
 * rounds. System tasks lead into no loop here, as upstream leaves its agency tasks out of the analysis
 * (and as `wg check` names the header, graph-check.ts structuralCycles).
 */
async function keepCyclesAsBackEdges(core: StoreCore): Promise<string[]> {
  const successors = new Map<string, string[]>();
  const predecessors = new Map<string, string[]>();
  const rows = await core.all(
    core.build.selectFrom('deps').select(['dep_id as from', 'task_id as to']).orderBy('dep_id').orderBy('task_id'),
  );
  for (const { from, to } of rows) {
    const out = successors.get(from);
    if (out) out.push(to);
    else successors.set(from, [to]);
    const into = predecessors.get(to);
    if (into) into.push(from);
    else predecessors.set(to, [from]);
  }
  const loops: string[] = [];
  for (const members of loopsOf(successors)) {
    const inside = new Set(members);
    const entries = members.filter((id) => (predecessors.get(id) ?? []).some((from) => !inside.has(from) && !isSystemTaskId(from)));
    const header = entries[0] ?? (members[0] as string);
    for (const [dep, task] of backEdgesFrom(header, inside, successors)) {
      await core.send(core.build.deleteFrom('deps').where('task_id', '=', task).where('dep_id', '=', dep));
      await core.send(
        core.build
          .insertInto('loose_deps')
          .values({ task_id: task, dep_id: dep, kind: 'cycle' })
          .onConflict((oc) => oc.columns(['task_id', 'dep_id']).doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind') }))),
      );
      loops.push(`${task} -> ${dep}`);
    }
  }
  return loops;
}
