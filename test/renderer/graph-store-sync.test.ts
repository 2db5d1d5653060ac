// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { GraphStore } from '../../src/renderer/state/graph-store';
import { startGraphStoreSync, tasksOfAnswer } from '../../src/renderer/state/graph-store-sync';
import { makeTask } from './support/fixtures';
import { Workgraph } from './support/workgraph';
import { PART_ROWS, TASK_COLUMNS, tableAsText } from '../../src/shared/task-table';
import { parseInput } from '../../src/core/ops/dispatch';
import { errorMessage } from '../../src/renderer/api/op-error';

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('graph store sync', () => {
  it('loads a snapshot, then merges only what changed after each change event', async () => {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'a' }), makeTask({ id: 'b' })]);
    const { backend } = fake;
    const store = new GraphStore();
    const sync = startGraphStoreSync(backend.client, backend.events, store);
    await expect.poll(() => store.getState().tasks.size).toBe(2);
    const before = store.getState();

    await fake.update('a', { status: 'in-progress' });
    await expect.poll(() => store.getState().tasks.get('a')?.status).toBe('in-progress');
    const after = store.getState();
    expect(after.tasks.get('b')).toBe(before.tasks.get('b'));
    expect(after.structureVersion).toBe(before.structureVersion);
    const lastSnapshot = fake.calls.filter((c) => c.name === 'graph:snapshot').at(-1);
    expect(lastSnapshot?.input).toEqual({ since: before.rev, parts: true });

    await backend.client['task:addDep']({ task: 'b', dependency: 'a' });
    await expect.poll(() => store.getState().structureVersion).toBe(before.structureVersion + 1);
    sync.stop();
  });

  it('reads a plan of several parts (PART_ROWS rows each) whole and in its order', async () => {
    const fake = await Workgraph.open();
    const ids = Array.from({ length: 2 * PART_ROWS + 3 }, (_, i) => `t${i}`);
    await fake.seed(ids.map((id, i) => makeTask({ id, after: i > 0 ? [`t${i - 1}`] : [] })));
    const store = new GraphStore();
    let handed: string[] = [];
    const sync = startGraphStoreSync(fake.backend.client, fake.backend.events, store, (tasks) => {
      handed = [...tasks.keys()];
    });
    await expect.poll(() => store.getState().tasks.size).toBe(ids.length);
    expect(fake.calls.find((c) => c.name === 'graph:snapshot')?.input).toEqual({ parts: true });
    expect([...store.getState().tasks.keys()]).toEqual(ids);
    expect(handed).toEqual(ids);
    expect(store.getState().tasks.get(`t${2 * PART_ROWS + 1}`)?.after).toEqual([`t${2 * PART_ROWS}`]);
    sync.stop();
  });

  it('asks a coordinator of an older build, which refuses the parts field, without it from then on', async () => {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'a' }), makeTask({ id: 'b', after: ['a'] })]);
    const asked: unknown[] = [];
    const snapshot = fake.backend.client['graph:snapshot'];
    // As an older coordinator answers over IPC: the plain `{ error, code }` of its parseInput, whose refusal of a field
    // an operation does not take is today's (graph:export takes no `parts`).
    let refusal: unknown = null;
    try {
      parseInput('graph:export', { parts: true });
    } catch (error) {
      refusal = { error: errorMessage(error), code: 'invalid' };
    }
    expect(refusal).toEqual({ error: 'unknown field: parts', code: 'invalid' });
    const older: typeof snapshot = async (input) => {
      asked.push(input);
      if (input && 'parts' in input) throw refusal;
      return snapshot(input);
    };
    const store = new GraphStore();
    const sync = startGraphStoreSync({ ...fake.backend.client, 'graph:snapshot': older }, fake.backend.events, store);
    await expect.poll(() => store.getState().tasks.size).toBe(2);
    const rev = store.getState().rev;
    await fake.update('a', { status: 'done' });
    await expect.poll(() => store.getState().tasks.get('a')?.status).toBe('done');
    expect(asked).toEqual([{ parts: true }, {}, { since: rev }]);
    expect(store.getState().error).toBeNull();
    sync.stop();
  });

  it("reads an answer's parts one at a time, giving the thread back before each after the first; rows sent as values at once", async () => {
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((id) => makeTask({ id }));
    const table = { columns: TASK_COLUMNS, rows: tasks.map((task) => TASK_COLUMNS.map((column) => task[column])) };
    const text = tableAsText(table, 2);
    const seen: string[] = [];
    // Each part's text as it is taken, and each time the thread is given back.
    const parts = new Proxy(text.parts, {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) seen.push(`part ${key}`);
        return Reflect.get(target, key, receiver);
      },
    });
    const read = await tasksOfAnswer({ columns: text.columns, parts }, async () => {
      seen.push('yield');
    });
    expect(seen).toEqual(['part 0', 'yield', 'part 1', 'yield', 'part 2']);
    expect(read).toStrictEqual(tasks);
    expect(await tasksOfAnswer(table, () => Promise.reject(new Error('no yield for rows sent as values')))).toStrictEqual(tasks);
  });

  it('hands the first snapshot on as the Map the store then holds, before the store is told of it', async () => {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'a' }), makeTask({ id: 'b', after: ['a'] })]);
    const store = new GraphStore();
    let handed: ReadonlyMap<string, unknown> | null = null;
    let heldThen = -1;
    const sync = startGraphStoreSync(fake.backend.client, fake.backend.events, store, (tasks) => {
      handed = tasks;
      heldThen = store.getState().tasks.size;
    });
    await expect.poll(() => store.getState().tasks.size).toBe(2);
    // The same object: what boot.ts made of it (the layout's input) is the window's, not made again.
    expect(store.getState().tasks).toBe(handed);
    expect(heldThen).toBe(0);
    sync.stop();
  });

  it("takes the first graph though reading it first fails (boot.ts's head start), and shows why, as a refresh's failure", async () => {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'a' }), makeTask({ id: 'b', after: ['a'] })]);
    const store = new GraphStore();
    const sync = startGraphStoreSync(fake.backend.client, fake.backend.events, store, () => {
      throw new Error('the layout workers could not start');
    });
    await expect.poll(() => store.getState().error).toBe('the layout workers could not start');
    expect(store.getState().loaded).toBe(true);
    expect([...store.getState().tasks.keys()]).toEqual(['a', 'b']);
    // The next change is merged as usual, and clears the failure.
    await fake.update('a', { status: 'done' });
    await expect.poll(() => store.getState().tasks.get('a')?.status).toBe('done');
    expect(store.getState().error).toBeNull();
    sync.stop();
  });

  it('coalesces a burst of change events into few snapshot requests', async () => {
    const fake = await Workgraph.open();
    await fake.seed(Array.from({ length: 50 }, (_, i) => makeTask({ id: `t${i}` })));
    const { backend } = fake;
    const store = new GraphStore();
    const sync = startGraphStoreSync(backend.client, backend.events, store);
    await expect.poll(() => store.getState().tasks.size).toBe(50);
    const requestsBefore = fake.calls.filter((c) => c.name === 'graph:snapshot').length;
    // One burst, as a merge of many lines lands: the updates are started together.
    await Promise.all(Array.from({ length: 50 }, (_, i) => fake.update(`t${i}`, { status: 'done' })));
    await expect.poll(() => [...store.getState().tasks.values()].every((t) => t.status === 'done')).toBe(true);
    await settle();
    const requests = fake.calls.filter((c) => c.name === 'graph:snapshot').length - requestsBefore;
    expect(requests).toBeLessThanOrEqual(3);
    sync.stop();
  });

  it("drops a task the store removed (upstream's gc through graph.jsonl): the snapshot after it is full", async () => {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'a' }), makeTask({ id: 'b' })]);
    const { backend } = fake;
    const store = new GraphStore();
    const sync = startGraphStoreSync(backend.client, backend.events, store);
    await fake.update('b', { status: 'in-progress' });
    await expect.poll(() => store.getState().tasks.get('b')?.status).toBe('in-progress');
    expect(store.getState().rev).toBeGreaterThan(0);
    await fake.remove('b');
    await expect.poll(() => [...store.getState().tasks.keys()]).toEqual(['a']);
    await fake.update('a', { status: 'done' });
    await expect.poll(() => store.getState().tasks.get('a')?.status).toBe('done');
    sync.stop();
  });
});
