import { sql } from 'kysely';
import { z } from 'zod';
import { builtOnce } from '../../shared/built-once';
import { DELIVERY_STATUSES, MESSAGE_PRIORITIES } from '../../shared/message';
import { jsonValue } from '../../shared/ops/schemas';
import type { JsonValue, Task } from '../../shared/task';
import { recountAll } from '../store/dependency-writes';
import { ownLine, upstreamLine } from '../store/jsonl-export';
import type { StoreCore } from '../store/store-core';
import { dependentsByTask } from '../store/task-reads';
import { touch } from '../store/task-writes';
import type { ArchiveLine } from './archive-file';

/*
 * What `wg archive` keeps of a task beside upstream's line in archive.jsonl, so that `--undo` and `restore` put the
 * task back as it was, not only what upstream's line holds. Under one key upstream's wg does not read (KEPT_KEY):
 * this app's own line of the task where it says otherwise than upstream's (its evaluation, results, executor, usage…),
 * the task's place in the graph's order, its messages with each reader's place in them, and where other tasks named
 * it (a dependency; upstream's `before` and `requires`), which the archive takes out of them as upstream's
 * remove_node does. Upstream's wg keeps a task's dependents on its line as `before` and nothing more: a line it
 * archived (or rewrote, dropping this key) gets those dependencies back from that, which upstream's undo does not do.
 */

const KEPT_KEY = 'desktop';

type Line = Record<string, JsonValue>;

/** Upstream's lists of task ids, besides the dependencies, that name the task archived (store/task-removal.ts). */
const ID_LISTS = ['before', 'requires'] as const;

/** The kept part as read back (a file others may edit: read as one, or not at all), built when first read. */
const keptPart = builtOnce(() =>
  z.object({
    set: z.record(z.string(), jsonValue()),
    unset: z.array(z.string()),
    seq: z.number().int(),
    messages: z.array(
      z.object({
        seq: z.number().int().min(1),
        timestamp: z.string(),
        sender: z.string(),
        body: z.string(),
        priority: z.enum(MESSAGE_PRIORITIES),
        status: z.enum(DELIVERY_STATUSES),
        read_at: z.string().nullable(),
        agent_id: z.string().nullable(),
      }),
    ),
    cursors: z.array(z.object({ reader: z.string(), cursor: z.number().int() })),
    links: z.array(
      z.object({ task: z.string(), list: z.enum(['after', ...ID_LISTS]), at: z.number().int().min(0), cycle: z.boolean().optional() }),
    ),
    /**
     * Its own dependencies that closed a loop (its back edges, kept apart as kind 'cycle'): its line names them in
     * `after` like any other, and read back alone they would be ordinary, leaving the loop a cycle of dependencies.
     */
    loop_back: z.array(z.string()).optional(),
  }),
);
type Kept = z.infer<ReturnType<typeof keptPart>>;

const byTask = <T extends { task_id: string }>(rows: readonly T[]) => {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(row.task_id, [...(map.get(row.task_id) ?? []), row]);
  return map;
};

/** Where the tasks left in the graph name each of `ids`: their dependencies, and upstream's lists kept in `extra`. */
async function linksTo(core: StoreCore, ids: ReadonlySet<string>): Promise<Map<string, Kept['links']>> {
  const list = [...ids];
  const links = new Map<string, Kept['links']>();
  const add = (id: string, link: Kept['links'][number]) => links.set(id, [...(links.get(id) ?? []), link]);
  const edges = await core.all(
    core.build
      .selectFrom('deps')
      .select(['task_id', 'dep_id', sql.lit('dep').as('kind')])
      .where(core.fn.inList(sql.ref('dep_id'), list))
      .unionAll(
        core.build
          .selectFrom('loose_deps')
          .select(['task_id', 'dep_id', 'kind'])
          .where(core.fn.inList(sql.ref('dep_id'), list)),
      ),
  );
  for (const edge of edges) {
    if (ids.has(edge.task_id)) continue;
    add(edge.dep_id, { task: edge.task_id, list: 'after', at: 0, ...(edge.kind === 'cycle' ? { cycle: true } : {}) });
  }
  const named = await core.all(
    core.build
      .selectFrom('tasks')
      .select(['id', 'extra'])
      .where((eb) => eb.or(ID_LISTS.map((key) => eb(core.fn.jsonText(sql.ref('extra'), key), 'is not', null)))),
  );
  for (const row of named) {
    if (ids.has(row.id)) continue;
    const extra = JSON.parse(row.extra) as Line;
    for (const key of ID_LISTS) {
      const values = extra[key];
      if (!Array.isArray(values)) continue;
      values.forEach((value, at) => {
        if (typeof value === 'string' && ids.has(value)) add(value, { task: row.id, list: key, at });
      });
    }
  }
  return links;
}

/** The archive's line of each task: upstream's line (its dependents as `before`, as upstream's own), and what is kept. */
export async function archiveLines(core: StoreCore, tasks: readonly Task[]): Promise<ArchiveLine[]> {
  const ids = tasks.map((t) => t.id);
  const dependents = await dependentsByTask(core, ids);
  const seqs = new Map(
    (
      await core.all(
        core.build
          .selectFrom('tasks')
          .select(['id', 'seq'])
          .where(core.fn.inList(sql.ref('id'), ids)),
      )
    ).map((row) => [row.id, row.seq]),
  );
  const messages = byTask(
    (await core.all(
      core.build
        .selectFrom('messages')
        .select(['task_id', 'seq', 'timestamp', 'sender', 'body', 'priority', 'status', 'read_at', 'agent_id'])
        .where(core.fn.inList(sql.ref('task_id'), ids))
        .orderBy('task_id')
        .orderBy('seq'),
    )) as Array<Kept['messages'][number] & { task_id: string }>,
  );
  const cursors = byTask(
    await core.all(
      core.build
        .selectFrom('message_cursors')
        .select(['task_id', 'reader', 'cursor'])
        .where(core.fn.inList(sql.ref('task_id'), ids))
        .orderBy('task_id')
        .orderBy('reader'),
    ),
  );
  const links = await linksTo(core, new Set(ids));
  const loopBack = byTask(
    await core.all(
      core.build
        .selectFrom('loose_deps')
        .select(['task_id', 'dep_id'])
        .where(core.fn.inList(sql.ref('task_id'), ids))
        .where('kind', '=', 'cycle')
        .orderBy('task_id')
        .orderBy('dep_id'),
    ),
  );
  return tasks.map((task) => {
    const up = upstreamLine(task, dependents.get(task.id) ?? []);
    const own = ownLine(task);
    const set: Line = {};
    for (const [key, value] of Object.entries(own)) if (JSON.stringify(value) !== JSON.stringify(up[key])) set[key] = value;
    const part: Kept = {
      set,
      unset: Object.keys(up).filter((key) => !(key in own)),
      seq: seqs.get(task.id) ?? 0,
      messages: (messages.get(task.id) ?? []).map(({ task_id: _task, ...m }) => m),
      cursors: (cursors.get(task.id) ?? []).map(({ task_id: _task, ...c }) => c),
      links: links.get(task.id) ?? [],
      ...(loopBack.has(task.id) ? { loop_back: (loopBack.get(task.id) ?? []).map((row) => row.dep_id) } : {}),
    };
    return { ...up, [KEPT_KEY]: part as unknown as JsonValue };
  });
}

/**
 * The task's line to import, this app's own where the archive kept it, and what else was kept (null: a line upstream's
 * wg archived or rewrote, or a kept part that no longer reads as one, which upstream's line stands in for alone).
 */
export function restoredLine(line: ArchiveLine): { line: Line; kept: Kept | null } {
  const { [KEPT_KEY]: part, ...up } = line;
  const read = keptPart().safeParse(part);
  if (!read.success) return { line: up, kept: null };
  const merged: Line = { ...up };
  for (const key of read.data.unset) delete merged[key];
  Object.assign(merged, read.data.set);
  return { line: merged, kept: read.data };
}

/** `at` within the list, the id put back there (once). */
function insertedAt(values: JsonValue[], at: number, id: string): JsonValue[] {
  return values.includes(id) ? values : [...values.slice(0, at), id, ...values.slice(at)];
}

async function linkBack(core: StoreCore, id: string, link: Kept['links'][number], rev: number): Promise<void> {
  if (link.list === 'after') {
    if (link.cycle) {
      await core.send(
        core.build
          .insertInto('loose_deps')
          .values({ task_id: link.task, dep_id: id, kind: 'cycle' })
          .onConflict((oc) => oc.doNothing()),
      );
    } else {
      await core.send(
        core.build
          .insertInto('deps')
          .values({ task_id: link.task, dep_id: id })
          .onConflict((oc) => oc.doNothing()),
      );
    }
  } else {
    const row = await core.get(core.build.selectFrom('tasks').select('extra').where('id', '=', link.task));
    if (!row) return;
    const extra = JSON.parse(row.extra) as Line;
    const values = Array.isArray(extra[link.list]) ? (extra[link.list] as JsonValue[]) : [];
    extra[link.list] = insertedAt(values, link.at, id);
    await core.send(
      core.build
        .updateTable('tasks')
        .set({ extra: JSON.stringify(extra) })
        .where('id', '=', link.task),
    );
  }
  await touch(core, link.task, rev);
}

/** A task imported again from the archive: its id, what was kept of it (if anything) and its archive line. */
interface Restored {
  id: string;
  kept: Kept | null;
  line: ArchiveLine;
}

/**
 * Inside a write, the tasks just imported again: each one's place, messages and readers' places, and the tasks left in
 * the graph that named it name it again (a task gone meanwhile is left out). Without a kept part, upstream's `before`
 * on the line (its dependents) gives the dependencies back.
 */
export async function putBack(core: StoreCore, tasks: readonly Restored[], rev: number): Promise<void> {
  const exists = async (task: string) =>
    (await core.get(core.build.selectFrom('tasks').select(sql.lit(1).as('one')).where('id', '=', task))) !== undefined;
  for (const { id, kept: part, line } of tasks) {
    if (part) {
      if (part.seq > 0) await core.send(core.build.updateTable('tasks').set({ seq: part.seq }).where('id', '=', id));
      for (const m of part.messages) {
        await core.send(
          core.build
            .insertInto('messages')
            .values({
              task_id: id,
              seq: m.seq,
              timestamp: m.timestamp,
              sender: m.sender,
              body: m.body,
              priority: m.priority,
              status: m.status,
              read_at: m.read_at,
              agent_id: m.agent_id,
            })
            .onConflict((oc) => oc.doNothing()),
        );
      }
      for (const c of part.cursors) {
        await core.send(
          core.build
            .insertInto('message_cursors')
            .values({ reader: c.reader, task_id: id, cursor: c.cursor })
            .onConflict((oc) => oc.doNothing()),
        );
      }
      for (const link of part.links) if (link.task !== id && (await exists(link.task))) await linkBack(core, id, link, rev);
      // Its own back edges, imported from its line as ordinary dependencies: back to what they were.
      for (const dep of part.loop_back ?? []) {
        const { changes } = await core.run(core.build.deleteFrom('deps').where('task_id', '=', id).where('dep_id', '=', dep));
        if (changes === 0) continue;
        await core.send(
          core.build
            .insertInto('loose_deps')
            .values({ task_id: id, dep_id: dep, kind: 'cycle' })
            .onConflict((oc) => oc.columns(['task_id', 'dep_id']).doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind') }))),
        );
      }
    } else {
      const before = Array.isArray(line.before) ? line.before.filter((v): v is string => typeof v === 'string') : [];
      for (const task of before) if (task !== id && (await exists(task))) await linkBack(core, id, { task, list: 'after', at: 0 }, rev);
    }
  }
  await recountAll(core);
}
