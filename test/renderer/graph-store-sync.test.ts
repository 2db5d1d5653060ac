// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { GraphStore } from '../../src/renderer/state/graph-store';
import { startGraphStoreSync } from '../../src/renderer/state/graph-store-sync';
import { fakeBackend } from './support/fake-backend';
import { makeTask } from './support/fixtures';
import { FakeWorkgraph } from './support/fake-workgraph';

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('graph store sync', () => {
  it('loads a snapshot, then merges only what changed after each change event', async () => {
    const fake = new FakeWorkgraph();
    fake.seed([makeTask({ id: 'a' }), makeTask({ id: 'b' })]);
    const { backend } = fakeBackend(fake);
    const store = new GraphStore();
    const sync = startGraphStoreSync(backend.client, backend.events, store);
    await settle();
    const before = store.getState();
    expect(before.tasks.size).toBe(2);

    fake.update('a', { status: 'in-progress' });
    await settle();
    const after = store.getState();
    expect(after.tasks.get('a')?.status).toBe('in-progress');
    expect(after.tasks.get('b')).toBe(before.tasks.get('b'));
    expect(after.structureVersion).toBe(before.structureVersion);
    const lastSnapshot = fake.calls.filter((c) => c.name === 'graph:snapshot').at(-1);
    expect(lastSnapshot?.input).toEqual({ since: before.rev });

    await backend.client['task:addDep']({ task: 'b', dependency: 'a' });
    await settle();
    expect(store.getState().structureVersion).toBe(before.structureVersion + 1);
    sync.stop();
  });

  it('coalesces a burst of change events into few snapshot requests', async () => {
    const fake = new FakeWorkgraph();
    fake.seed(Array.from({ length: 50 }, (_, i) => makeTask({ id: `t${i}` })));
    const { backend } = fakeBackend(fake);
    const store = new GraphStore();
    const sync = startGraphStoreSync(backend.client, backend.events, store);
    await settle();
    const requestsBefore = fake.calls.filter((c) => c.name === 'graph:snapshot').length;
    for (let i = 0; i < 50; i++) fake.update(`t${i}`, { status: 'done' });
    await settle();
    const requests = fake.calls.filter((c) => c.name === 'graph:snapshot').length - requestsBefore;
    expect(requests).toBeLessThanOrEqual(3);
    expect([...store.getState().tasks.values()].every((t) => t.status === 'done')).toBe(true);
    sync.stop();
  });

  it("drops a task the store removed (upstream's gc through graph.jsonl): the snapshot after it is full", async () => {
    const fake = new FakeWorkgraph();
    fake.seed([makeTask({ id: 'a' }), makeTask({ id: 'b' })]);
    const { backend } = fakeBackend(fake);
    const store = new GraphStore();
    const sync = startGraphStoreSync(backend.client, backend.events, store);
    fake.update('b', { status: 'in-progress' });
    await settle();
    expect(store.getState().rev).toBeGreaterThan(0);
    fake.remove('b');
    await settle();
    expect([...store.getState().tasks.keys()]).toEqual(['a']);
    fake.update('a', { status: 'done' });
    await settle();
    expect(store.getState().tasks.get('a')?.status).toBe('done');
    sync.stop();
  });
});
