import { sqlText } from '../helpers/sql-text';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/store/store';
import { removeTasks } from '../../src/core/store/task-removal';
import { listTasks, tasksChangedSince } from '../../src/core/store/task-reads';
import type { Task } from '../../src/shared/task';
import { PART_ROWS, TASK_COLUMNS, tableAsText, tasksOfPart, tasksOfTable } from '../../src/shared/task-table';
import { graphHandlers } from '../../src/core/ops/graph-handlers';
import { roundTripsDuring } from '../helpers/round-trips';
import { seededRandom } from '../helpers/seeded-random';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/**
 * `graph:snapshot` answers its tasks as a table (the window's first graph and every refresh after it): made
 * whole again, each task equals, field by field, what the store's whole-task read (`list`) gives, on a random
 * plan with every kind of field filled (tags, dependencies on missing ids, logs with and without a user,
 * evaluations, results, upstream's extra fields, worktrees), after random changes, for every `since` and
 * after a removal (`full`).
 */
const STATUSES = ['open', 'in-progress', 'done', 'failed', 'blocked', 'abandoned', 'incomplete'] as const;
const PRIORITIES = [100, 50, 10, 5, 0, 70];

async function randomPlan(store: Store, random: () => number, size: number): Promise<void> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const maybe = <T>(value: T): T | null => (random() < 0.5 ? value : null);
  const lines = Array.from({ length: size }, (_, i) => {
    const after = [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => `t${Math.floor(random() * size)}`))].filter(
      (id) => id !== `t${i}`,
    );
    if (random() < 0.1) after.push(`gone-${i}`);
    return JSON.stringify({
      kind: 'task',
      id: `t${i}`,
      title: `Task ${i} ${'é✓'.repeat(i % 3)}`,
      description: random() < 0.5 ? `Do **${i}**\nwith "quotes"` : '',
      status: pick(STATUSES),
      paused: random() < 0.1,
      priority: pick(PRIORITIES),
      tags: Array.from({ length: Math.floor(random() * 3) }, (_, k) => `tag-${(i + k) % 5}`),
      after,
      model: maybe('sonnet'),
      executor: maybe('claude'),
      exec: maybe('make test'),
      repo: maybe('acme/app'),
      role: maybe('dev'),
      assigned: maybe(`agent-${i}`),
      created_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      started_at: maybe('2026-02-01T10:00:00.000Z'),
      completed_at: maybe('2026-02-01T11:00:00.000Z'),
      failure_reason: maybe(`exit code ${i}: \u001b[31mfailed\u001b[0m`),
      artifacts: random() < 0.3 ? [`out/${i}.txt`] : [],
      results: random() < 0.3 ? { passed: i, nested: { ok: true, list: [1, 'two', null] } } : {},
      evaluation:
        random() < 0.3
          ? { score: random(), dimensions: { correctness: 0.9 }, evaluator: 'judge', notes: null, timestamp: '2026-02-02T00:00:00.000Z' }
          : null,
      retry_count: Math.floor(random() * 3),
      max_retries: maybe(4),
      cost_usd: random() < 0.5 ? 0 : 0.125 * i,
      tokens_in: i * 10,
      tokens_out: i,
      log:
        random() < 0.5
          ? [
              { timestamp: '2026-02-01T10:00:00.000Z', actor: 'agent', message: `started ${i}` },
              { timestamp: '2026-02-01T10:05:00.000Z', actor: 'user', message: 'a note', user: 'ana' },
            ]
          : [],
      // Upstream's fields this app keeps for export.
      ...(random() < 0.3 ? { verify: `cargo test ${i}`, loop_iteration: i } : {}),
    });
  });
  await store.importJsonl(lines.join('\n'));
}

/** A random change, as the store's commands make them (each its own revision). */
async function randomChange(store: Store, random: () => number, serial: number): Promise<void> {
  const ids = (await store.list()).map((task) => task.id);
  const id = ids[Math.floor(random() * ids.length)] as string;
  const roll = random();
  if (roll < 0.3) await store.tasks.log(id, `progress ${serial}`, 'agent');
  else if (roll < 0.5) {
    const task = await store.get(id);
    await store.importJsonl(
      JSON.stringify({ ...task, title: `${task.title} (changed ${serial})`, status: 'done', tags: [...task.tags, `new-${serial}`] }),
    );
  } else if (roll < 0.7) {
    const dependency = ids[Math.floor(random() * ids.length)] as string;
    const task = await store.get(id);
    if (dependency !== id && !(await store.get(dependency)).after.includes(id))
      await store.importJsonl(JSON.stringify({ ...task, after: [...new Set([...task.after, dependency])] }));
  } else
    await store.core.write((rev) =>
      store.worktrees.insert(
        {
          id: `wt-${serial}`,
          task_id: id,
          agent_id: null,
          path: `/tmp/wt-${serial}`,
          branch: `wg/${id}`,
          base_branch: 'main',
          base_commit: 'abc123',
          owner: 'agent',
        },
        rev,
      ),
    );
}

/** What the table holds, made whole as the window makes it. */
const tableTasks = async (store: Store, since: number) => tasksOfTable((await store.snapshot(since)).tasks);

describe.each(STORE_KINDS)('graph:snapshot as a table, on %s', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>> | null = null;
  /**
   * The whole-task read on PostgreSQL lists a task's dependencies and tags in the order the server finds them;
   * the table in SQLite's on either store (each by id, those kept from an import after the others: the last
   * test), so there both are compared in one order.
   */
  const comparable = (tasks: Task[]): Task[] =>
    kind === 'sqlite' ? tasks : tasks.map((task) => ({ ...task, after: [...task.after].sort(), tags: [...task.tags].sort() }));
  afterEach(async () => {
    await t?.dispose();
    t = null;
  });

  it('holds every task equal, field by field, to the whole-task read, for every since and after a removal (full)', async () => {
    for (const seed of [1, 2, 3]) {
      await t?.dispose();
      t = await tempStore(new Date('2026-03-01T12:00:00Z'), kind);
      const { store } = t;
      const random = seededRandom(seed);
      await randomPlan(store, random, 40);
      const first = await store.snapshot(0);
      expect(first.tasks.columns).toEqual(TASK_COLUMNS);
      expect(comparable(tasksOfTable(first.tasks))).toStrictEqual(comparable(await listTasks(store.core)));
      const revs = [first.rev];
      for (let serial = 0; serial < 25; serial++) {
        await randomChange(store, random, serial);
        revs.push(await store.core.currentRev());
      }
      for (const since of revs) {
        const snapshot = await store.snapshot(since);
        expect(snapshot.full).toBeUndefined();
        expect(comparable(tasksOfTable(snapshot.tasks))).toStrictEqual(comparable(await tasksChangedSince(store.core, since)));
      }
      expect(comparable(await tableTasks(store, 0))).toStrictEqual(comparable(await listTasks(store.core)));

      const before = await store.core.currentRev();
      await store.core.write((rev) => removeTasks(store.core, ['t3'], rev));
      const afterRemoval = await store.snapshot(before);
      expect(afterRemoval.full).toBe(true);
      expect(comparable(tasksOfTable(afterRemoval.tasks))).toStrictEqual(comparable(await listTasks(store.core)));
    }
  });

  it('sends the same table as JSON text a part at a time (graph:snapshot with parts): each part its rows, in order', async () => {
    t = await tempStore(new Date('2026-03-01T12:00:00Z'), kind);
    await randomPlan(t.store, seededRandom(4), 40);
    const { tasks } = await t.store.snapshot(0);
    const text = tableAsText(tasks, 7);
    expect(text.columns).toEqual(TASK_COLUMNS);
    expect(text.parts.map((part) => (JSON.parse(part) as unknown[]).length)).toEqual([7, 7, 7, 7, 7, 5]);
    expect(tasksOfTable(text)).toStrictEqual(tasksOfTable(tasks));
    expect(text.parts.flatMap((part) => tasksOfPart(text.columns, part))).toStrictEqual(tasksOfTable(tasks));
    // As the operation answers it, by PART_ROWS; without `parts`, as values (a client of an older build asks so).
    const context = { store: t.store } as Parameters<(typeof graphHandlers)['graph:snapshot']>[1];
    const asked = await graphHandlers['graph:snapshot']({ parts: true }, context);
    expect('parts' in asked.tasks && asked.tasks.parts).toHaveLength(Math.ceil(40 / PART_ROWS));
    expect(tasksOfTable(asked.tasks)).toStrictEqual(tasksOfTable(tasks));
    expect('rows' in (await graphHandlers['graph:snapshot']({}, context)).tasks).toBe(true);
  });

  it("reads every task, its side tables, the runs and the revision in one round trip on PostgreSQL (a window's first)", async () => {
    t = await tempStore(undefined, kind);
    await randomPlan(t.store, seededRandom(7), 30);
    await t.store.snapshot();
    const trips = await roundTripsDuring(() => t?.store.snapshot());
    // It was six: the removals' stamp first, then the rows, then each side table one after the other.
    expect(trips).toBe(kind === 'postgres' ? 1 : 0);
  });

  it('is the same table on either store', async () => {
    const made = async (on: typeof kind) => {
      const made = await tempStore(new Date('2026-03-01T12:00:00Z'), on);
      const random = seededRandom(5);
      await randomPlan(made.store, random, 40);
      for (let serial = 0; serial < 10; serial++) await randomChange(made.store, random, serial);
      return made;
    };
    t = await made(kind);
    const sqlite = await made('sqlite');
    try {
      expect(await t.store.snapshot(0)).toStrictEqual(await sqlite.store.snapshot(0));
    } finally {
      await sqlite.dispose();
    }
  });

  it('reads the graph in its order (seq) though the rows are stored in another', async () => {
    t = await tempStore(new Date('2026-03-01T12:00:00Z'), kind);
    const { store } = t;
    await store.importJsonl(['c', 'a', 'b'].map((id) => JSON.stringify({ kind: 'task', id, title: id })).join('\n'));
    // The row stored first is now last in the graph's order.
    await store.core.write(() => sqlText(store.core, "UPDATE tasks SET seq = seq + 10 WHERE id = 'c'").run());
    expect((await tableTasks(store, 0)).map((task) => task.id)).toEqual((await listTasks(store.core)).map((task) => task.id));
    expect((await tableTasks(store, 0)).map((task) => task.id)).toEqual(['a', 'b', 'c']);
  });

  it('reads its rows as arrays of values, and the same statement gives objects to the next reader that asks for them', async () => {
    t = await tempStore(new Date('2026-03-01T12:00:00Z'), kind);
    const { store } = t;
    await store.importJsonl(['a', 'b'].map((id) => JSON.stringify({ kind: 'task', id, title: `T ${id}` })).join('\n'));
    const query = store.core.build.selectFrom('tasks').select(['id', 'title']).orderBy('seq');
    expect(await store.core.arrays(query)).toEqual([
      ['a', 'T a'],
      ['b', 'T b'],
    ]);
    expect(await store.core.all(query)).toEqual([
      { id: 'a', title: 'T a' },
      { id: 'b', title: 'T b' },
    ]);
  });
});

describe('a table of other columns (a window of another build)', () => {
  it('is read by name', () => {
    const tasks = tasksOfTable({ columns: ['id', 'title', 'status'], rows: [['a', 'A', 'done']] });
    // A coordinator older than the loops' column marks none (the window reads task.loop_back of every task).
    expect(tasks).toEqual([{ id: 'a', title: 'A', status: 'done', loop_back: [] }]);
  });
});
